// The editor bench's split of a first ghost text into VS Code's time and Inkling's.
import * as assert from 'node:assert/strict';
import { parseCompletionLine, splitGhost } from '../ghostSplit';

const at = (time: string) => new Date(`2026-11-30T${time}`).getTime();
const line = (time: string, ms: number, source = 'generated, single') =>
  `2026-11-30 ${time} [debug] completion (${source}): ${ms} ms = window 1 + wait 200 + prompt 0 + model (first token 900); 204 prompt tokens, 2 generated`;

describe('editor bench: where the first ghost text\'s time went', () => {
  it('reads the time a completion was answered and how long it took', () => {
    assert.deepEqual(parseCompletionLine(line('12:06:41.583', 4460)), { answeredAt: at('12:06:41.583'), latencyMs: 4460 });
    assert.deepEqual(parseCompletionLine('2026-11-30 12:06:41.583 [debug] completion (typedAhead, multi): 1 ms'), { answeredAt: at('12:06:41.583'), latencyMs: 1 });
    assert.equal(parseCompletionLine('2026-11-30 12:06:41.583 [info] Started model process 9912'), undefined);
  });

  it('splits at the last completion answered before the ghost text showed', () => {
    const key = at('12:06:33.000');
    const ghost = at('12:06:42.000');
    // Before the keystroke, an answer the ghost text did not wait for (typed ahead), the one shown, and a later one.
    const lines = [line('12:06:30.000', 900), line('12:06:35.000', 1, 'typedAhead, multi'), line('12:06:41.500', 4000), line('12:06:45.000', 700)];
    assert.deepEqual(splitGhost(key, ghost, lines), { beforeAskMs: 4500, inklingMs: 4000, drawMs: 500 });
  });

  it('has nothing to split when no completion was answered in between', () => {
    assert.equal(splitGhost(at('12:06:33.000'), at('12:06:34.000'), [line('12:06:30.000', 900)]), undefined);
  });
});
