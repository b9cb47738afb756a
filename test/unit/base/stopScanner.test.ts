// Stop strings cut client-side as the text streams in, whatever the server honoured.
import * as assert from 'node:assert/strict';
import { StopScanner } from '../../../src/base/stopScanner';

function run(stops: string[], pieces: string[]): { handed: string[]; stopped: boolean; text: string } {
  const scanner = new StopScanner(stops);
  const handed: string[] = [];
  let stopped = false;
  for (const piece of pieces) {
    const step = scanner.push(piece);
    if (step.text) handed.push(step.text);
    if (step.stopped) {
      stopped = true;
      break;
    }
  }
  if (!stopped) {
    const rest = scanner.flush();
    if (rest) handed.push(rest);
  }
  return { handed, stopped, text: handed.join('') };
}

describe('stop strings over a stream', () => {
  it('ends before a stop string split over three pieces, and never hands on any of it', () => {
    const result = run(['<|endoftext|>'], ['return x', '<|end', 'of', 'text|>more']);
    assert.deepEqual(result, { handed: ['return x'], stopped: true, text: 'return x' });
  });

  it('holds back only what could still become a stop string, and hands it on once it cannot', () => {
    const scanner = new StopScanner(['\n\n\n']);
    assert.deepEqual(scanner.push('a\n'), { text: 'a', stopped: false });
    assert.deepEqual(scanner.push('\nb'), { text: '\n\nb', stopped: false });
  });

  it('takes the earliest of several stop strings', () => {
    assert.equal(run(['\n', '<EOT>'], ['x = 1<EOT>\ny']).text, 'x = 1');
  });

  it('hands on everything when no stop string comes, the held tail at the end', () => {
    assert.deepEqual(run(['<|im_end|>'], ['hello <', '|im']), { handed: ['hello ', '<|im'], stopped: false, text: 'hello <|im' });
  });

  it('ignores empty stop strings', () => {
    assert.equal(run(['', '\n'], ['ab', 'c\nd']).text, 'abc');
  });
});
