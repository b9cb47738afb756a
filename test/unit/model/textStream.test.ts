import * as assert from 'node:assert/strict';
import { TextStream } from '../../../src/model/process/textStream';

// Each id is one piece of text, like a token.
function pieces(table: string[]): (ids: number[]) => string {
  return (ids) => ids.map((id) => table[id]).join('');
}

// Each id is one byte, decoded the way a byte-level tokenizer does: broken characters become U+FFFD.
const bytes = (ids: number[]): string => new TextDecoder().decode(Uint8Array.from(ids));

function run(stream: TextStream, ids: number[]): { emitted: string[]; stopped: boolean } {
  const emitted: string[] = [];
  let stopped = false;
  for (const id of ids) {
    const step = stream.push(id);
    emitted.push(step.text);
    if (step.stopped) {
      stopped = true;
      break;
    }
  }
  if (!stopped) emitted.push(stream.flush());
  return { emitted, stopped };
}

describe('TextStream', () => {
  it('emits each new piece as it comes', () => {
    const stream = new TextStream(pieces(['def', ' f', '(x)', ':']), []);
    const { emitted } = run(stream, [0, 1, 2, 3]);
    assert.deepEqual(emitted, ['def', ' f', '(x)', ':', '']);
    assert.equal(stream.text, 'def f(x):');
  });

  it('holds back text that could start a stop string, then releases it', () => {
    const stream = new TextStream(pieces(['a', '\n', 'b']), ['\n\n']);
    const { emitted, stopped } = run(stream, [0, 1, 2]);
    assert.deepEqual(emitted, ['a', '', '\nb', '']);
    assert.equal(stopped, false);
    assert.equal(stream.text, 'a\nb');
  });

  it('stops before a stop string split across tokens, without returning it', () => {
    const stream = new TextStream(pieces(['x = 1', '\n', '\nde', 'f g']), ['\n\ndef']);
    const { emitted, stopped } = run(stream, [0, 1, 2, 3]);
    assert.equal(stopped, true);
    assert.equal(emitted.join(''), 'x = 1');
    assert.equal(stream.text, 'x = 1');
    assert.deepEqual(stream.push(0), { text: '', stopped: true });
  });

  // Both orders: the earliest stop in the text wins, never the first or last one in the list.
  for (const stops of [['STOP', 'END'], ['END', 'STOP']]) {
    it(`stops at the earliest of several stop strings inside one token (stops ${stops.join(', ')})`, () => {
      const stream = new TextStream(pieces(['ab', 'c END x STOP']), stops);
      const { emitted, stopped } = run(stream, [0, 1]);
      assert.equal(stopped, true);
      assert.deepEqual(emitted, ['ab', 'c ']);
      assert.equal(stream.text, 'abc ');
    });

    it(`stops at a stop string begun in an earlier step before a later one completed with it (stops ${stops.join(', ')})`, () => {
      // "EN" is held back after step two; step three completes END and also brings a whole STOP.
      const stream = new TextStream(pieces(['x = 1 ', 'EN', 'D STOP']), stops);
      const { emitted, stopped } = run(stream, [0, 1, 2]);
      assert.equal(stopped, true);
      assert.deepEqual(emitted, ['x = 1 ', '', '']);
      assert.equal(stream.text, 'x = 1 ');
    });
  }

  it('stops at a stop string that starts exactly where the emitted text ends, taking nothing back', () => {
    // "}" was handed on (no stop starts with it); the stop "\n\n" then starts right at the emitted end.
    const stream = new TextStream(pieces(['  }', '\n', '\nnext']), ['\n\n']);
    const { emitted, stopped } = run(stream, [0, 1, 2]);
    assert.equal(stopped, true);
    assert.deepEqual(emitted, ['  }', '', '']);
    assert.equal(stream.text, '  }');
  });

  it('hands on held-back text at the end when the stop string never completes', () => {
    const stream = new TextStream(pieces(['x', '<|e']), ['<|end|>']);
    assert.deepEqual(run(stream, [0, 1]).emitted, ['x', '', '<|e']);
  });

  it('never emits half of a multi-byte character', () => {
    const stream = new TextStream(bytes, []);
    const ids = [...new TextEncoder().encode('é€x')];
    const { emitted } = run(stream, ids);
    assert.deepEqual(emitted.filter((p) => p), ['é', '€', 'x']);
    assert.ok(!emitted.join('').includes('\uFFFD'));
    assert.equal(stream.text, 'é€x');
  });

  it('ignores empty stop strings', () => {
    const stream = new TextStream(pieces(['a', 'b']), ['']);
    assert.deepEqual(run(stream, [0, 1]), { emitted: ['a', 'b', ''], stopped: false });
  });
});
