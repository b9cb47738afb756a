import * as assert from 'node:assert/strict';
import { AdaptiveDebounce, MIN_DEBOUNCE_MS } from '../../../src/completion/adaptiveDebounce';
import type { CompletionServiceOptions } from '../../../src/completion/completionService';
import { CompletionService } from '../../../src/completion/completionService';
import type { GenerationRecord } from '../../../src/completion/generation';
import { loggerFrom } from '../../../src/base/logger';
import { FakeGenerator, completionSettings, fakeModel, requestAt, tick } from './fakes';

const live = () => new AbortController().signal;
const AREA = 'function area(r: number) {\n  return ‸\n}\n';

/** A clock the test moves by hand, and a sleep that only records how long it was asked to wait. */
function fakeTime() {
  let now = 1000;
  const sleeps: number[] = [];
  return {
    sleeps,
    advance: (ms: number) => (now += ms),
    options: { now: () => now, sleep: async (ms: number) => { sleeps.push(ms); } } satisfies Partial<CompletionServiceOptions>,
  };
}

function service(generator: FakeGenerator, extra: Partial<CompletionServiceOptions> = {}) {
  const records: GenerationRecord[] = [];
  const model = fakeModel(generator);
  const svc = new CompletionService({ model: () => model, orphanGraceMs: 20, onGenerationEnd: (r) => records.push(r), ...extra });
  return { svc, records };
}

/** Settles to 'pending' when `promise` has not settled after the microtasks queued so far. */
async function state(promise: Promise<unknown>): Promise<'pending' | 'settled'> {
  return Promise.race([promise.then(() => 'settled' as const), tick().then(() => 'pending' as const)]);
}

describe('latency policy: when the completion is handed out', () => {
  it('hands out a one-line completion the moment its line is complete, while the engine still finishes its step', async () => {
    const fake = new FakeGenerator(() => '', { manual: true, stopLagMs: 1000 });
    const time = fakeTime();
    const { svc, records } = service(fake, time.options);
    const pending = svc.provide(requestAt(AREA), live());
    await tick();
    const call = fake.calls[0];
    call.emit('Math.PI * r');
    assert.equal(await state(pending), 'pending', 'the line is not complete yet');
    time.advance(40);
    call.emit(' * r;\n  console');
    const result = await pending;
    assert.equal(result?.text, 'Math.PI * r * r;');
    assert.equal(call.signal?.aborted, true, 'the engine was told to stop');
    assert.equal(call.settled, false, 'the engine had not answered yet when the completion was handed out');
    assert.equal(records.length, 0, 'the generation is still running in the engine');
    call.finish();
    await tick();
    assert.equal(records.length, 1);
    assert.equal(records[0].decidedEarly, true);
    assert.equal(records[0].decidedAt, 1040);
    assert.equal(records[0].cancelled, undefined, 'stopping a decided completion is not a cancellation');
  });

  it('with early stop off, lets the model run to its own end and hands the same completion out only then', async () => {
    const fake = new FakeGenerator(() => '', { manual: true, stopLagMs: 1000 });
    const { svc, records } = service(fake, { switches: { earlyStop: false } });
    const pending = svc.provide(requestAt(AREA), live());
    await tick();
    const call = fake.calls[0];
    call.emit('Math.PI * r * r;\n');
    call.emit('  console.log(r);\n');
    assert.equal(await state(pending), 'pending', 'nothing is shown before the model ends');
    assert.equal(call.signal?.aborted, false, 'the model was not stopped');
    call.finish('eos');
    assert.equal((await pending)?.text, 'Math.PI * r * r;');
    await tick();
    assert.equal(records[0].decidedEarly, true, 'the fit stages knew early; the switch kept the model going');
    assert.ok(records[0].pieces > (records[0].piecesAtDecision ?? Infinity), 'pieces were decoded after the decision');
  });

  it('a superseded generation is stopped when the next request arrives, before its debounce, and recorded as superseded', async () => {
    const fake = new FakeGenerator(() => '', { manual: true, stopLagMs: 1000 });
    const time = fakeTime();
    const { svc, records } = service(fake, time.options);
    const settings = completionSettings({ debounceMs: 200 });
    const first = new AbortController();
    void svc.provide(requestAt('const a = ‸', { trigger: 'automatic', settings }), first.signal);
    await tick();
    fake.calls[0].emit('4');
    first.abort();
    const second = svc.provide(requestAt('const a = 1;\nconst b = ‸', { trigger: 'automatic', settings }), live());
    assert.equal(fake.calls[0].signal?.aborted, true, 'told to stop at once, not after the debounce');
    assert.equal(svc.counters.superseded, 1);
    fake.calls[0].finish();
    await tick();
    assert.equal(records[0].cancelled, 'superseded');
    fake.calls[1].emit('2;');
    fake.calls[1].finish();
    assert.equal((await second)?.text, '2;');
  });
});

describe('latency policy: the debounce follows the time to first token', () => {
  it('waits the setting until a generation has been measured, then about the measured time to first token', async () => {
    const fake = new FakeGenerator(() => '1;', { timeToFirstTokenMs: 90 });
    const time = fakeTime();
    const { svc } = service(fake, time.options);
    const settings = completionSettings({ debounceMs: 200 });
    await svc.provide(requestAt('const a = ‸', { trigger: 'automatic', settings }), live());
    await tick();
    await svc.provide(requestAt('const b = ‸', { trigger: 'automatic', settings }), live());
    assert.deepEqual(time.sleeps, [200, 90]);
  });

  it('never waits longer than the setting, however slow the model', async () => {
    const fake = new FakeGenerator(() => '1;', { timeToFirstTokenMs: 900 });
    const time = fakeTime();
    const { svc } = service(fake, time.options);
    const settings = completionSettings({ debounceMs: 200 });
    for (const name of ['a', 'b', 'c']) {
      await svc.provide(requestAt(`const ${name} = ‸`, { trigger: 'automatic', settings }), live());
      await tick();
    }
    assert.deepEqual(time.sleeps, [200, 200, 200]);
  });

  it(`waits at least ${MIN_DEBOUNCE_MS} ms behind a very fast model, none for explicit requests, none with a 0 setting`, async () => {
    const fake = new FakeGenerator(() => '1;', { timeToFirstTokenMs: 3 });
    const time = fakeTime();
    const { svc } = service(fake, time.options);
    await svc.provide(requestAt('const a = ‸', { trigger: 'automatic', settings: completionSettings({ debounceMs: 200 }) }), live());
    await tick();
    await svc.provide(requestAt('const b = ‸', { trigger: 'automatic', settings: completionSettings({ debounceMs: 200 }) }), live());
    await svc.provide(requestAt('const c = ‸', { trigger: 'explicit', settings: completionSettings({ debounceMs: 200 }) }), live());
    await svc.provide(requestAt('const d = ‸', { trigger: 'automatic', settings: completionSettings({ debounceMs: 0 }) }), live());
    assert.deepEqual(time.sleeps, [200, MIN_DEBOUNCE_MS]);
  });

  it('keeps the fixed setting with the adaptive switch off', async () => {
    const fake = new FakeGenerator(() => '1;', { timeToFirstTokenMs: 60 });
    const time = fakeTime();
    const { svc } = service(fake, { ...time.options, switches: { adaptiveDebounce: false } });
    const settings = completionSettings({ debounceMs: 200 });
    await svc.provide(requestAt('const a = ‸', { trigger: 'automatic', settings }), live());
    await tick();
    await svc.provide(requestAt('const b = ‸', { trigger: 'automatic', settings }), live());
    assert.deepEqual(time.sleeps, [200, 200]);
  });

  it('learns from generations that were cancelled after their prompt step, not from ones cancelled in the queue', () => {
    const debounce = new AdaptiveDebounce();
    assert.equal(debounce.delayMs(200), 200);
    for (const ms of [120, 80, 900, 100, 90]) debounce.observe(ms);
    assert.equal(debounce.estimateMs, 100, 'the median shrugs off one cold prompt');
    assert.equal(debounce.delayMs(200), 100);
    for (const ms of [Number.NaN, -5]) debounce.observe(ms);
    assert.equal(debounce.estimateMs, 100, 'nonsense is ignored');
    for (const ms of [400, 420, 450]) debounce.observe(ms);
    assert.equal(debounce.estimateMs, 400, 'only the recent ones count');
    assert.equal(debounce.delayMs(5000), 400);
  });

  it('does not learn from a generation cancelled before the engine ran it', async () => {
    const fake = new FakeGenerator(() => '', { manual: true, timeToFirstTokenMs: 0 });
    const time = fakeTime();
    const { svc } = service(fake, time.options);
    const settings = completionSettings({ debounceMs: 200 });
    const first = new AbortController();
    void svc.provide(requestAt('const a = ‸', { trigger: 'explicit', settings }), first.signal);
    await tick();
    first.abort();
    void svc.provide(requestAt('const a = 1;\nconst b = ‸', { trigger: 'explicit', settings }), live());
    await tick();
    assert.equal(svc.debounceMsFor(200), 200, 'a cancelled generation that produced nothing teaches nothing');
  });
});

describe('where a completion\'s time went', () => {
  it('logs one debug line per completion: for a generated one the window, wait, prompt and the model\'s first token', async () => {
    const lines: string[] = [];
    const fake = new FakeGenerator(() => '1;', { timeToFirstTokenMs: 123 });
    const time = fakeTime();
    const model = fakeModel(fake);
    const svc = new CompletionService({ model: () => model, log: loggerFrom((level, m) => lines.push(`${level}: ${m}`)), ...time.options });
    const result = await svc.provide(requestAt('const a = ‸', { trigger: 'automatic', settings: completionSettings({ debounceMs: 200 }) }), live());
    assert.equal(result?.stats.debounceMs, 200);
    assert.equal(typeof result?.stats.promptMs, 'number');
    assert.equal(typeof result?.stats.contextMs, 'number');
    const completions = () => lines.filter((l) => l.startsWith('debug: completion'));
    assert.equal(completions().length, 1);
    assert.match(completions()[0]!, /^debug: completion \(generated, single\): \d+ ms = window \d+ \+ wait 200 \+ prompt \d+ \+ model \(first token 123\); \d+ prompt tokens, 1 generated$/);
    assert.ok(lines.some((l) => /^debug: generation: first piece after \d+ ms \(123 in the model process\)/.test(l)), lines.join('\n'));
    await svc.provide(requestAt('const a = ‸', { trigger: 'automatic', settings: completionSettings({ debounceMs: 200 }) }), live());
    assert.match(completions()[1] ?? '', /^debug: completion \(cache, single\): \d+ ms$/, 'an answer from the cache says so');
  });
});

describe('pipeline switches', () => {
  it('with the completion cache off, asks the model again for a repeated position and for typed-ahead text', async () => {
    const fake = new FakeGenerator(() => 'Math.PI * r * r;');
    const { svc } = service(fake, { switches: { completionCache: false } });
    await svc.provide(requestAt(AREA), live());
    const again = await svc.provide(requestAt(AREA), live());
    const typed = await svc.provide(requestAt('function area(r: number) {\n  return Math.PI‸\n}\n'), live());
    assert.equal(again?.stats.source, 'generated');
    assert.equal(typed?.stats.source, 'generated');
    assert.equal(fake.calls.length, 3);
  });

  it('with in-flight reuse off, a keystroke into the streamed text supersedes the generation', async () => {
    const fake = new FakeGenerator(() => '', { manual: true });
    const { svc } = service(fake, { switches: { inflightReuse: false } });
    const first = new AbortController();
    void svc.provide(requestAt('const greeting = ‸', { trigger: 'automatic' }), first.signal);
    await tick();
    fake.calls[0].emit('"hel');
    first.abort();
    void svc.provide(requestAt('const greeting = "h‸', { trigger: 'automatic' }), live());
    await tick();
    assert.equal(fake.calls.length, 2);
    assert.equal(fake.calls[0].signal?.aborted, true);
    assert.equal(svc.counters.inflightReuses, 0);
    fake.calls[1].finish();
  });
});
