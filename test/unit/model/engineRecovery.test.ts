import * as assert from 'node:assert/strict';
import { ModelEngine, type EngineState } from '../../../src/model/host/modelEngine';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { localLoad, newEngine, request } from './engineFixture';

// Greedy decoding of the random model from this prompt runs to maxNewTokens (thousands of 1 ms
// steps) without meeting an end token: long enough to cancel, kill or overrun.
const longRequest = (extra = {}) => request('def ', { maxNewTokens: 3000 }, extra);

function errorOf(promise: Promise<unknown>): Promise<Error & { code?: string; detail?: string }> {
  return promise.then(
    () => assert.fail('expected the request to fail'),
    (error: Error & { code?: string }) => error,
  );
}

function firstToken(): { onToken: () => void; arrived: Promise<void> } {
  let arrive = (): void => undefined;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  return { onToken: () => arrive(), arrived };
}

describe('ModelEngine cancellation and recovery', function () {
  this.timeout(30000);
  let engine: ModelEngine;
  let shortText: string;
  const states: EngineState[] = [];

  before(async () => {
    const folder = await ensureTestModel('random');
    ({ engine } = newEngine());
    engine.onDidChangeState((state) => states.push(state));
    await engine.load(localLoad(folder));
    shortText = (await engine.generate(request('def ', { maxNewTokens: 8 }))).text;
  });
  after(() => engine.dispose());

  it('cancels a running generation, resolving with the text streamed so far', async () => {
    const controller = new AbortController();
    const pieces: string[] = [];
    const started = Date.now();
    const result = await engine.generate(longRequest(), {
      signal: controller.signal,
      onToken: (text) => {
        pieces.push(text);
        if (pieces.length === 5) controller.abort();
      },
    });
    assert.equal(result.finishReason, 'cancelled');
    assert.equal(result.text, pieces.join(''));
    assert.ok(result.generatedTokens >= 5 && result.generatedTokens < 200, `generated ${result.generatedTokens}`);
    assert.ok(Date.now() - started < 2000);
  });

  it('drops a queued request whose signal fires, without running it', async () => {
    const running = new AbortController();
    const queued = new AbortController();
    const first = firstToken();
    const a = engine.generate(longRequest(), { signal: running.signal, onToken: first.onToken });
    let queuedTokens = 0;
    const b = engine.generate(request('abc'), { signal: queued.signal, onToken: () => queuedTokens++ });
    await first.arrived;
    queued.abort();
    const dropped = await b;
    assert.deepEqual([dropped.finishReason, dropped.generatedTokens, dropped.text], ['cancelled', 0, '']);
    running.abort();
    assert.equal((await a).finishReason, 'cancelled');
    assert.equal(queuedTokens, 0);
  });

  it('sends the current request while a superseded one finishes its step, and stays "generating" until the current one ends', async () => {
    const old = new AbortController();
    const first = firstToken();
    const superseded = engine.generate(longRequest(), { signal: old.signal, onToken: first.onToken });
    await first.arrived;
    // The engine's states and the current request's tokens, in the order the host saw them.
    const events: string[] = [];
    const watch = engine.onDidChangeState((state) => events.push(state));
    const current = engine.generate(request('def ', { maxNewTokens: 8 }), { onToken: () => events.push('token') });
    old.abort();
    const [a, b] = await Promise.all([superseded, current]);
    watch.dispose();
    assert.equal(a.finishReason, 'cancelled');
    assert.ok(a.generatedTokens < 200, `the superseded request ran on for ${a.generatedTokens} tokens`);
    assert.equal(b.text, shortText);
    assert.equal(b.reusedPromptTokens, 1, 'the current request found the superseded one\'s cache');
    assert.deepEqual(events.filter((e) => e !== 'token'), ['ready'], 'one state change: ready once the current request ended');
    assert.equal(events[events.length - 1], 'ready');
  });

  it('answers an already aborted signal at once', async () => {
    const result = await engine.generate(request('abc'), { signal: AbortSignal.abort() });
    assert.equal(result.finishReason, 'cancelled');
  });

  it('rejects everything pending with one process-crashed error when the process dies, then restarts', async () => {
    const pid = engine.pid;
    assert.ok(pid);
    const first = firstToken();
    const running = errorOf(engine.generate(longRequest(), { onToken: first.onToken }));
    const queued = errorOf(engine.generate(longRequest()));
    await first.arrived;
    states.length = 0;
    process.kill(pid, 'SIGKILL');
    const [a, b] = await Promise.all([running, queued]);
    assert.equal(a, b, 'one error for all pending requests');
    assert.equal(a.name, 'EngineError');
    assert.equal(a.code, 'process-crashed');
    assert.doesNotMatch(a.message, /\n\s+at /);
    assert.match(a.detail ?? '', /SIGKILL/);
    assert.deepEqual(states, ['error']);

    const after = await engine.generate(request('def ', { maxNewTokens: 8 }));
    assert.equal(after.text, shortText, 'the last model was loaded again');
    assert.ok(engine.pid && engine.pid !== pid);
    assert.deepEqual(states, ['error', 'loading', 'ready', 'generating', 'ready']);
  });

  it('restarts a process that died while idle on the next request of any kind', async () => {
    const pid = engine.pid;
    process.kill(pid!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(engine.pid, undefined);
    assert.equal(await engine.countTokens('<|im_start|>'), 1);
    assert.notEqual(engine.pid, pid);
  });

  it('kills a generation that overruns its deadline, and the next request succeeds', async () => {
    const pid = engine.pid;
    const started = Date.now();
    const error = await errorOf(engine.generate(longRequest({ deadlineMs: 300 })));
    const elapsed = Date.now() - started;
    assert.equal(error.code, 'deadline');
    assert.match(error.message, /300 ms/);
    assert.ok(elapsed >= 290 && elapsed < 3000, `took ${elapsed} ms`);
    assert.equal(engine.pid, undefined, 'the process was killed');
    const after = await engine.generate(request('def ', { maxNewTokens: 8 }));
    assert.equal(after.text, shortText);
    assert.ok(engine.pid && engine.pid !== pid);
  });

  it('reports a model process that cannot start as crashed, without harming the host', async () => {
    const broken = new ModelEngine({ processEntry: '/nonexistent/modelProcess.js' });
    try {
      const error = await errorOf(broken.load(localLoad('/nowhere')));
      assert.equal(error.code, 'process-crashed');
      assert.match(error.detail ?? '', /Cannot find module/);
    } finally {
      broken.dispose();
    }
  });

  it('lets a request that finishes in time keep its deadline unused', async () => {
    const result = await engine.generate(request('def ', { maxNewTokens: 8 }, { deadlineMs: 20000 }));
    assert.equal(result.text, shortText);
  });
});
