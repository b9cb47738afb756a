// Moving the prompt's window ahead while the model is idle: when the prefix is about to outgrow its
// window, the moved prompt is computed after a completion ends, and the next keystroke builds on it.
import * as assert from 'node:assert/strict';
import { CompletionService } from '../../../src/completion/completionService';
import type { CompletionRequest } from '../../../src/completion/completionTypes';
import { AHEAD_ROOM_TOKENS, mayNeedMove } from '../../../src/completion/windowAhead';
import type { ModelInfo } from '../../../src/model/protocol';
import { FakeGenerator, completionSettings, fakeModel, modelInfo, requestAt, tick, type FakeCall } from './fakes';

const live = () => new AbortController().signal;
const HEAD = Array.from({ length: 200 }, (_, i) => `  const value${i} = compute(${i}, "item-${i}");`).join('\n');
const LINE = '  total += values[index] * weights[index];\n';

/** The file with `lines` of LINE (and then `more`) typed at the cursor, which sits at the end of what was typed. */
function typed(lines: number, trigger: CompletionRequest['trigger'] = 'automatic', more = ''): CompletionRequest {
  return requestAt(`export function big() {\n${HEAD}\n${LINE.repeat(lines)}  ${more}‸\n}\n`, {
    trigger, settings: completionSettings({ contextTokens: 300, debounceMs: 0, multiline: 'always' }),
  });
}

const isAhead = (call: FakeCall) => call.request.sampling.maxNewTokens === 1;
/** The prompt's first line of code, after the path header: where its prefix starts. */
const prefixStart = (prompt: string) => prompt.split('\n')[1];

function setUp(info: ModelInfo = modelInfo(), manual = false) {
  const fake = new FakeGenerator(() => 'finish();\n', manual ? { manual: true } : {});
  const model = fakeModel(fake, info);
  const svc = new CompletionService({ model: () => model });
  return { fake, svc };
}

/** Types one LINE per request until a move ahead is asked for; returns how many lines that took. */
async function typeUntilAhead(svc: CompletionService, fake: FakeGenerator, maxLines = 12): Promise<number> {
  for (let lines = 0; lines <= maxLines; lines++) {
    await svc.provide(typed(lines), live());
    await tick(5);
    if (fake.calls.some(isAhead)) return lines;
  }
  return -1;
}

describe('moving the prompt window ahead while the model is idle', () => {
  it('computes the moved prompt once the prefix is about to outgrow its window, and the next keystroke builds on it', async () => {
    const { fake, svc } = setUp();
    const lines = await typeUntilAhead(svc, fake);
    assert.ok(lines > 0, 'the window was moved ahead while typing twelve lines');
    const real = fake.calls.filter((c) => !isAhead(c));
    const ahead = fake.calls.find(isAhead)!;
    assert.ok(real.slice(1).every((c) => prefixStart(c.request.prompt) === prefixStart(real[0].request.prompt)), 'until then every prompt kept its start');
    assert.notEqual(prefixStart(ahead.request.prompt), prefixStart(real[0].request.prompt), 'the moved prompt starts lower');
    assert.equal(svc.counters.windowsMovedAhead, 1);

    await svc.provide(typed(lines + 1), live());
    const next = fake.calls.at(-1)!;
    assert.equal(isAhead(next), false);
    assert.equal(prefixStart(next.request.prompt), prefixStart(ahead.request.prompt), 'the next keystroke keeps the moved start, which the kept cache holds');
    const shared = commonPrefix(next.request.prompt, ahead.request.prompt);
    assert.ok(shared > ahead.request.prompt.indexOf(LINE.repeat(lines)), `${shared} characters shared with the moved prompt`);
  });

  it('a keystroke right after the move builds on the moved prompt, not by appending to the old one', async () => {
    const { fake, svc } = setUp();
    const lines = await typeUntilAhead(svc, fake);
    const ahead = fake.calls.find(isAhead)!;
    await svc.provide(typed(lines, 'automatic', 'x'), live());
    const next = fake.calls.at(-1)!;
    assert.equal(isAhead(next), false);
    assert.equal(prefixStart(next.request.prompt), prefixStart(ahead.request.prompt));
    assert.ok(next.request.prompt.endsWith('<|fim_middle|>'), 'built afresh: the old prompt is no longer in the kept cache');
  });

  it('does not move while the prefix has room to grow', async () => {
    const { fake, svc } = setUp();
    await svc.provide(typed(0), live());
    await tick(5);
    assert.equal(fake.calls.filter(isAhead).length, 0);
    assert.ok(AHEAD_ROOM_TOKENS > 0);
  });

  it('a request that needs the model stops the move ahead; the request keeps the moved start', async () => {
    const { fake, svc } = setUp(modelInfo(), true);
    // Manual model: finish each real call as it comes, leave the move ahead running.
    let lines = 0;
    for (; lines <= 12 && !fake.calls.some(isAhead); lines++) {
      const pending = svc.provide(typed(lines), live());
      await tick();
      fake.calls.at(-1)!.emit('finish();\n');
      fake.calls.at(-1)!.finish();
      await pending;
      await tick(5);
    }
    const ahead = fake.calls.find(isAhead);
    assert.ok(ahead, 'the window was moved ahead');
    assert.equal(ahead.signal?.aborted, false, 'it runs while nothing else needs the model');
    const pending = svc.provide(typed(lines), live());
    await tick();
    assert.equal(ahead.signal?.aborted, true, 'the new request stopped it');
    const next = fake.calls.at(-1)!;
    assert.equal(prefixStart(next.request.prompt), prefixStart(ahead.request.prompt));
    next.finish();
    ahead.finish();
    await pending;
  });

  it('moves while the user types along a finished completion, the model idle', async () => {
    // Where the window moves at a completion's end when typing line by line…
    const probe = setUp();
    const moveAt = await typeUntilAhead(probe.svc, probe.fake);
    assert.ok(moveAt > 0);
    // …a completion two lines long, finished a line before that, is typed along instead.
    const along = LINE.repeat(3).slice(2);
    const fake = new FakeGenerator(() => along);
    const model = fakeModel(fake);
    const svc = new CompletionService({ model: () => model });
    for (let lines = 0; lines < moveAt; lines++) await svc.provide(typed(lines), live());
    await tick(5);
    assert.equal(fake.calls.filter(isAhead).length, 0, 'no move yet');
    const generated = fake.calls.length;
    let typedChars = 0;
    for (; typedChars < along.length && !fake.calls.some(isAhead); typedChars++) {
      const result = await svc.provide(typed(moveAt - 1, 'automatic', along.slice(0, typedChars + 1)), live());
      assert.equal(result?.fromCache, true, `keystroke ${typedChars + 1} along the completion came from the cache`);
    }
    assert.equal(fake.calls.filter(isAhead).length, 1, 'the window moved while the user typed along');
    assert.equal(fake.calls.length, generated + 1, 'and nothing else asked the model');
    assert.ok(typedChars < along.length);
  });

  it('builds no prompt on a typed-along keystroke that cannot have used up the room (a token is at least a character)', () => {
    assert.equal(mayNeedMove(undefined, 100), true, 'nothing known: build');
    assert.equal(mayNeedMove({ room: Infinity, offset: 0 }, 5000), false, 'the whole file fits: never');
    assert.equal(mayNeedMove({ room: AHEAD_ROOM_TOKENS + 10, offset: 100 }, 109), false);
    assert.equal(mayNeedMove({ room: AHEAD_ROOM_TOKENS + 10, offset: 100 }, 111), true);
    assert.equal(mayNeedMove({ room: AHEAD_ROOM_TOKENS + 10, offset: 100 }, 40), false, 'deleting frees room');
  });

  it('never for a model behind an inference server, nor for a completion asked for by hand', async () => {
    const server = setUp(modelInfo({ dtype: 'server', device: 'server' }));
    assert.equal(await typeUntilAhead(server.svc, server.fake), -1);
    const byHand = setUp();
    for (let lines = 0; lines <= 12; lines++) await byHand.svc.provide(typed(lines, 'explicit'), live());
    await tick(5);
    assert.equal(byHand.fake.calls.filter(isAhead).length, 0);
  });

  it('with the switch off, keeps moving the window at the keystroke as before', async () => {
    const fake = new FakeGenerator(() => 'finish();\n');
    const model = fakeModel(fake);
    const svc = new CompletionService({ model: () => model, switches: { windowAhead: false } });
    assert.equal(await typeUntilAhead(svc, fake), -1);
    const starts = new Set(fake.calls.map((c) => prefixStart(c.request.prompt)));
    assert.ok(starts.size > 1, 'the window moved at a keystroke instead');
  });
});

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
