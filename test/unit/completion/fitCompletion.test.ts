// The entry point's rules one at a time (the golden cases cover them in real situations).
import * as assert from 'node:assert/strict';
import type { FitEdit, FitInput } from '../../../src/completion/fitCompletion';
import { fitCompletion, startFit } from '../../../src/completion/fitCompletion';
import { fitContextOf } from '../../../src/completion/fitContext';
import { STAGES } from '../../../src/completion/fitStream';
import { cursorIn } from './fakes';

function input(document: string, modelOutput: string, extra: Partial<FitInput> = {}): FitInput {
  const { text, offset } = cursorIn(document);
  return { before: text.slice(0, offset), after: text.slice(offset), languageId: 'typescript', trigger: 'automatic', indentation: { insertSpaces: true, tabSize: 2 }, modelOutput, ...extra };
}

/** The document after accepting, or undefined when nothing is shown. */
function accepted(document: string, modelOutput: string, extra: Partial<FitInput> = {}): string | undefined {
  const i = input(document, modelOutput, extra);
  const edit = fitCompletion(i);
  return edit && i.before + edit.insertText + i.after.slice(edit.replaceLength);
}

describe('fitCompletion', () => {
  it('cuts at the earliest stop string', () => {
    assert.equal(accepted('x = ‸', 'a + b<|file_sep|>junk<|endoftext|>', { options: { stops: ['<|endoftext|>', '<|file_sep|>'] } }), 'x = a + b');
  });

  it('one line for a statement; a completion that starts on the next line shows that line (it used to show nothing)', () => {
    assert.equal(accepted('const a = ‸', 'b + c;\nconsole.log(a);'), 'const a = b + c;');
    assert.equal(accepted('  const a = 1;‸\n}', '\n  const b = 2;\n}'), '  const a = 1;\n  const b = 2;\n}');
  });

  it('the block for a line that opens one: { ( [ =>, then/do, and Python\'s colon', () => {
    assert.equal(accepted('if (ready) ‸', '{\n  go();\n}\nnext();'), 'if (ready) {\n  go();\n}');
    assert.equal(accepted('const xs = ‸', '[\n  1,\n  2,\n];\nuse(xs);'), 'const xs = [\n  1,\n  2,\n];');
    assert.equal(accepted('if x > 0 then‸', '\n  y = 1\nend\nz = 2', { languageId: 'lua' }), 'if x > 0 then\n  y = 1\nend');
    assert.equal(accepted('def run(self):‸', '\n    return 1\nx = 2', { languageId: 'python' }), 'def run(self):\n    return 1');
  });

  it('on an empty indented line, lines up to a blank line or a dedent; on an empty top-level line, one line', () => {
    assert.equal(accepted('  x = 1;\n  ‸', 'y = 2;\n  z = 3;\n\n  w = 4;'), '  x = 1;\n  y = 2;\n  z = 3;');
    assert.equal(accepted('x = 1;\n‸', 'y = 2;\nz = 3;'), 'x = 1;\ny = 2;');
  });

  it('before code on the line: nothing on an automatic request, and no generation for it; explicit meets the code', () => {
    assert.equal(startFit(input('const total = ‸price * qty;', '')), undefined);
    assert.equal(accepted('const total = ‸price * qty;', 'subtotal + price', { trigger: 'explicit' }), 'const total = subtotal + price * qty;');
    assert.equal(accepted('const total = ‸price * qty;', 'sum()\nnext();', { trigger: 'explicit' }), undefined, 'cannot meet it');
  });

  it('inside a line comment, one line', () => {
    assert.equal(accepted('  // TODO: handle {‸', ' errors\n  if (x) {\n  }'), '  // TODO: handle { errors');
  });

  it('obeys multiline never and always', () => {
    assert.equal(accepted('function f() {\n  ‸\n}', 'a();\n  b();', { options: { multiline: 'never' } }), 'function f() {\n  a();\n}');
    assert.equal(accepted('const a = 1;‸', '\nconst b = 2;', { options: { multiline: 'never' } }), undefined);
    assert.equal(accepted('x = ‸', '1;\ny = 2;\nz = 3;', { options: { multiline: 'always' } }), 'x = 1;\ny = 2;\nz = 3;');
  });

  it('caps a completion at maxLines', () => {
    assert.equal(accepted('function f() {\n  ‸\n}', 'a();\n  b();\n  c();', { options: { maxLines: 2 } }), 'function f() {\n  a();\n  b();\n}');
  });

  it('drops trailing whitespace at the line end, and shows nothing for a blank completion', () => {
    assert.equal(accepted('x = ‸', '1;   \t'), 'x = 1;');
    assert.equal(accepted('function f() {\n  ‸\n}', '   \n\n  '), undefined);
    assert.equal(accepted('x = ‸', ''), undefined);
  });

  it('replaces closers after the cursor, keeping each: retyped, the user\'s, and the completion\'s own', () => {
    const edit = (document: string, output: string): FitEdit | undefined => fitCompletion(input(document, output));
    assert.deepEqual(edit('greet(‸)', 'user.name)'), { insertText: 'user.name)', replaceLength: 1 });
    assert.deepEqual(edit('greet(‸)', 'bar()'), { insertText: 'bar())', replaceLength: 1 }, 'balanced brackets belong to the completion');
    assert.equal(accepted('f(g(‸))', 'x)'), 'f(g(x))', 'only the closers it leaves open');
    assert.equal(accepted('s = "‸"', 'say \\"hi\\""'), 's = "say \\"hi\\""');
    assert.equal(accepted('  run() {‸}', '\n    start();\n    stop();\n  }'), '  run() {\n    start();\n    stop();\n  }');
  });

  it('streams: push() says when generation can stop, and later text changes nothing', () => {
    const stream = startFit(input('const a = ‸', ''))!;
    assert.equal(stream.push('b +'), false);
    assert.equal(stream.push(' c;\ncons'), true, 'the line is complete');
    assert.equal(stream.push('ole.log(a);'), true);
    assert.deepEqual(stream.finish(), { insertText: 'b + c;', replaceLength: 0 });
    assert.deepEqual(stream.finish(), { insertText: 'b + c;', replaceLength: 0 }, 'finish twice');
  });

  it('stops a looping model as soon as the loop is long enough', () => {
    const stream = startFit(input('function f() {\n  ‸\n}', ''))!;
    let pushed = 0;
    for (; pushed < 40 && !stream.push('  tick();\n'); pushed++);
    assert.ok(pushed < 10, `stopped after ${pushed} lines`);
    assert.equal(stream.finish(), undefined, 'nothing but the loop');
  });

  it('gives every stage the same output however its input is cut', () => {
    const texts = ['```ts\nfoo(a, b);\n  bar();\n```\nx', '\n    return a\n\ndef g():\n  pass', 'a, b));\r\n  }\n}\n', '  x = 1  \n\ty = [1,\n 2]\n<|endoftext|>z'];
    const places = [input('foo(‸)', ''), input('def f(a):\n    ‸\n', '', { languageId: 'python' }), input('const t = ‸price;', '', { trigger: 'explicit' }), input('if (a) {\n  ‸\n}', '', { options: { stops: ['<|endoftext|>'], maxLines: 3 } })];
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const place of places) {
      const context = fitContextOf(place);
      for (const make of STAGES) {
        for (const text of texts) {
          const whole = make(context);
          const expected = whole.push(text) + whole.end();
          for (let round = 0; round < 5; round++) {
            const stage = make(context);
            let out = '';
            for (let at = 0; at < text.length;) {
              const size = 1 + Math.floor(random() * 5);
              out += stage.push(text.slice(at, at + size));
              at += size;
            }
            assert.equal(out + stage.end(), expected, `${make.name} on ${JSON.stringify(text)}`);
          }
        }
      }
    }
  });
});
