import * as assert from 'node:assert/strict';
import { GenerationQueue, type QueuedGeneration } from '../../../src/model/host/generationQueue';
import type { GenerateRequest, GenerateResult } from '../../../src/model/protocol';
import { request } from './engineFixture';

// A runner the test finishes by hand, recording what ran and what was cancelled.
function manualRunner() {
  const started: string[] = [];
  const cancelled: number[] = [];
  const finishers: Array<() => void> = [];
  let nextId = 1;
  const runner = {
    run(job: QueuedGeneration): Promise<void> {
      started.push(job.request.prompt);
      job.id = nextId++;
      return new Promise<void>((resolve) => finishers.push(() => {
        job.resolve(result(job.request));
        resolve();
      }));
    },
    cancel: (id: number) => cancelled.push(id),
  };
  return { runner, started, cancelled, finishNext: () => finishers.shift()?.() };
}

function result(req: GenerateRequest): GenerateResult {
  return { text: req.prompt.toUpperCase(), finishReason: 'eos', promptTokens: 1, generatedTokens: 1, timeToFirstTokenMs: 0, totalMs: 0, reusedPromptTokens: 0 };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('GenerationQueue', () => {
  it('runs one generation at a time, in arrival order', async () => {
    const { runner, started, finishNext } = manualRunner();
    const queue = new GenerationQueue(runner);
    const results = ['a', 'b', 'c'].map((p) => queue.add(request(p), {}));
    await tick();
    assert.deepEqual(started, ['a']);
    assert.equal(queue.queued, 2);
    finishNext();
    assert.equal((await results[0]).text, 'A');
    await tick();
    assert.deepEqual(started, ['a', 'b']);
    finishNext();
    await results[1];
    await tick();
    finishNext();
    assert.deepEqual((await Promise.all(results)).map((r) => r.text), ['A', 'B', 'C']);
  });

  it('answers an aborted waiting request at once and never runs it', async () => {
    const { runner, started, cancelled, finishNext } = manualRunner();
    const queue = new GenerationQueue(runner);
    const first = queue.add(request('a'), {});
    const controller = new AbortController();
    const second = queue.add(request('b'), { signal: controller.signal });
    controller.abort();
    assert.equal((await second).finishReason, 'cancelled');
    finishNext();
    await first;
    await tick();
    assert.deepEqual(started, ['a']);
    assert.deepEqual(cancelled, []);
  });

  it('asks the runner to cancel a running request by its id', async () => {
    const { runner, cancelled, finishNext } = manualRunner();
    const queue = new GenerationQueue(runner);
    const controller = new AbortController();
    const running = queue.add(request('a'), { signal: controller.signal });
    await tick();
    controller.abort();
    assert.deepEqual(cancelled, [1]);
    finishNext();
    assert.equal((await running).text, 'A');
  });

  it('sends the next request as soon as the running one is aborted, without waiting for its end', async () => {
    const { runner, started, cancelled, finishNext } = manualRunner();
    const queue = new GenerationQueue(runner);
    const controller = new AbortController();
    const superseded = queue.add(request('a'), { signal: controller.signal });
    const current = queue.add(request('b'), {});
    await tick();
    assert.deepEqual(started, ['a']);
    controller.abort();
    await tick();
    assert.deepEqual(cancelled, [1]);
    assert.deepEqual(started, ['a', 'b'], 'b went out while a was still finishing its step');
    assert.equal(queue.queued, 0);
    const third = queue.add(request('c'), {});
    await tick();
    assert.deepEqual(started, ['a', 'b'], 'one request at a time besides the one winding down');
    finishNext();
    assert.equal((await superseded).text, 'A');
    finishNext();
    assert.equal((await current).text, 'B');
    await tick();
    finishNext();
    assert.equal((await third).text, 'C');
  });

  it('stops a background request for any other, running or waiting, and runs that one at once', async () => {
    const { runner, started, cancelled, finishNext } = manualRunner();
    const queue = new GenerationQueue(runner);
    const ahead = queue.add(request('ahead', {}, { background: true }), {});
    const alsoAhead = queue.add(request('ahead too', {}, { background: true }), {});
    await tick();
    assert.deepEqual(started, ['ahead'], 'background requests wait their turn among themselves');
    const explain = queue.add(request('explain'), {});
    await tick();
    assert.deepEqual(cancelled, [1], 'the running background request was told to stop');
    assert.deepEqual(started, ['ahead', 'explain'], 'the waiting one was dropped unsent');
    assert.equal((await alsoAhead).finishReason, 'cancelled');
    finishNext();
    await ahead;
    finishNext();
    assert.equal((await explain).text, 'EXPLAIN');
  });

  it('rejects the waiting requests, not the running one', async () => {
    const { runner, finishNext } = manualRunner();
    const queue = new GenerationQueue(runner);
    const running = queue.add(request('a'), {});
    const waiting = queue.add(request('b'), {});
    await tick();
    const error = new Error('gone');
    queue.rejectWaiting(error);
    await assert.rejects(waiting, (e) => e === error);
    finishNext();
    assert.equal((await running).text, 'A');
  });

  it('settles a request whose runner throws', async () => {
    const queue = new GenerationQueue({ run: () => Promise.reject(new Error('boom')), cancel: () => undefined });
    await assert.rejects(queue.add(request('a'), {}), /boom/);
  });
});
