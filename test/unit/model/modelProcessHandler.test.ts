import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelProcessHandler } from '../../../src/model/process/modelProcessHandler';
import type { FromModelProcess, ToModelProcess } from '../../../src/model/protocol';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { localLoad, request } from './engineFixture';

// The model process's service run in this process, so a test can time messages exactly.
describe('ModelProcessHandler in process', function () {
  this.timeout(30000);
  let service: ModelProcessHandler;
  let cacheDir: string;
  let onMessage: (message: FromModelProcess) => void = () => undefined;

  function reply<T extends FromModelProcess['type']>(id: number, type: T, send: ToModelProcess): Promise<Extract<FromModelProcess, { type: T }>> {
    return new Promise((resolve, reject) => {
      const previous = onMessage;
      onMessage = (message) => {
        previous(message);
        if (message.id !== id) return;
        if (message.type === type) resolve(message as Extract<FromModelProcess, { type: T }>);
        else if (message.type === 'error') reject(new Error(message.error.message));
      };
      service.handle(send);
    });
  }

  before(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'inkling-service-'));
    service = new ModelProcessHandler((message) => onMessage(message));
    const folder = await ensureTestModel('random');
    await reply(1, 'loaded', { type: 'load', id: 1, options: localLoad(folder, { cacheDir }) });
  });
  after(async () => {
    await service.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('sees a cancel that arrives during generation before the next step', async () => {
    let tokens = 0;
    const previous = onMessage;
    onMessage = (message) => {
      previous(message);
      // Delivered on a later turn of the event loop, like a message from the host.
      if (message.type === 'token' && message.id === 2 && ++tokens === 3) setImmediate(() => service.handle({ type: 'cancel', id: 2 }));
    };
    const done = await reply(2, 'done', { type: 'generate', id: 2, request: request('def ', { maxNewTokens: 3000 }) });
    onMessage = previous;
    assert.equal(done.result.finishReason, 'cancelled');
    assert.equal(done.result.generatedTokens, 3);
  });

  it('honours a cancel that arrives before the generation starts', async () => {
    const done = reply(3, 'done', { type: 'generate', id: 3, request: request('def ', { maxNewTokens: 3000 }) });
    service.handle({ type: 'cancel', id: 3 });
    const { result } = await done;
    assert.deepEqual([result.finishReason, result.generatedTokens], ['cancelled', 0]);
  });

  it('says how long a request queued behind the generation before it, apart from its own time', async () => {
    const first = reply(6, 'done', { type: 'generate', id: 6, request: request('def ', { maxNewTokens: 40 }) });
    const second = reply(7, 'done', { type: 'generate', id: 7, request: request('def ', { maxNewTokens: 1 }) });
    const [a, b] = await Promise.all([first, second]);
    assert.ok((b.result.queuedMs ?? 0) >= a.result.totalMs - 5, `queued ${b.result.queuedMs} ms behind a generation of ${a.result.totalMs} ms`);
    assert.ok(b.result.totalMs < a.result.totalMs, 'its own time does not count the wait');
  });

  it('counts the time since the host sent a request, so a message held up while a pass blocked the process counts too', async () => {
    const { result } = await reply(8, 'done', { type: 'generate', id: 8, request: request('def ', { maxNewTokens: 1 }), sentAt: Date.now() - 200 });
    assert.ok((result.queuedMs ?? 0) >= 200, `begun ${result.queuedMs} ms after it was sent`);
  });

  it('ignores a cancel for a request it does not know', async () => {
    service.handle({ type: 'cancel', id: 40 });
    const { result } = await reply(40, 'done', { type: 'generate', id: 40, request: request('def ', { maxNewTokens: 3 }) });
    assert.equal(result.finishReason, 'length');
  });

  it('rejects an empty prompt as an invalid request', async () => {
    const error = await new Promise<FromModelProcess>((resolve) => {
      const previous = onMessage;
      onMessage = (message) => {
        previous(message);
        if (message.id === 5) resolve(message);
      };
      service.handle({ type: 'generate', id: 5, request: request('') });
    });
    assert.equal(error.type === 'error' && error.error.code, 'invalid-request');
  });
});
