// Every engine request has a deadline: a model process that never answers a token count, a chat
// prompt or a load (a hostile template, a native call that hangs) is killed and the request fails
// with a message that says what took too long, and the next request gets a fresh process.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ModelEngine, type EngineDeadlines } from '../../../src/model/host/modelEngine';
import { repoRoot } from '../../../tools/repoRoot';
import { localLoad } from './engineFixture';

type Failure = Error & { code?: string };

describe('engine deadlines', function () {
  this.timeout(20_000);
  const engines: ModelEngine[] = [];
  const silent = (deadlines: Partial<EngineDeadlines>, env: NodeJS.ProcessEnv = {}) => {
    const engine = new ModelEngine({ processEntry: join(repoRoot(), 'out', 'test', 'support', 'silentModelProcess.js'), deadlines, env });
    engines.push(engine);
    return engine;
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  after(() => engines.forEach((e) => e.dispose()));

  it('starts the model process with onnxruntime telemetry turned off', async () => {
    const info = await silent({}).load(localLoad('/models/any'));
    assert.deepEqual(info.specialTokens, ['ORT_DISABLE_TELEMETRY=1']);
  });

  it('gives up on a token count that never comes, kills the process, and starts a fresh one next time', async () => {
    const engine = silent({ countTokensMs: 300 });
    await engine.load(localLoad('/models/any'));
    const pid = engine.pid!;
    const started = Date.now();
    const error = await engine.countTokens('def f():').then(() => assert.fail('counted'), (e: Failure) => e);
    assert.ok(Date.now() - started < 3000);
    assert.equal(error.code, 'deadline');
    assert.equal(error.message, 'Counting tokens took longer than 0.3 s, so Inkling restarted the model process. Try a shorter selection or a smaller model.');
    // Killed at once; gone as soon as it is reaped (later on a busy machine).
    for (const end = Date.now() + 5000; alive(pid) && Date.now() < end;) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(!alive(pid), 'the stuck process still runs');
    await engine.countTokens('again').catch(() => undefined);
    assert.notEqual(engine.pid, pid, 'no fresh process');
  });

  it('gives up on a chat prompt that never comes', async () => {
    const engine = silent({ chatPromptMs: 300 });
    await engine.load(localLoad('/models/any'));
    const error = await engine.chatPrompt([{ role: 'user', content: 'hi' }]).then(() => assert.fail('rendered'), (e: Failure) => e);
    assert.equal(error.code, 'deadline');
    assert.equal(error.message, 'The chat template of the model /models/any took longer than 0.3 s, so Inkling restarted the model process. Choose another model for inkling.explain.model.');
  });

  it('rejects a chat prompt at once when its signal aborts (Stop), leaving the process running', async () => {
    const engine = silent({ chatPromptMs: 10_000 });
    await engine.load(localLoad('/models/any'));
    const pid = engine.pid!;
    const controller = new AbortController();
    const pending = engine.chatPrompt([{ role: 'user', content: 'hi' }], controller.signal);
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await pending.then(() => assert.fail('rendered'), (e: Failure) => e);
    assert.equal(error.name, 'AbortError');
    assert.ok(Date.now() - started < 1000);
    assert.equal(engine.pid, pid);
  });

  it('gives up on a load that makes no progress, saying which model', async () => {
    const engine = silent({ loadIdleMs: 300 }, { INKLING_SILENT_LOAD: '1' });
    const error = await engine.load(localLoad('/models/stuck')).then(() => assert.fail('loaded'), (e: Failure) => e);
    assert.equal(error.code, 'deadline');
    assert.equal(error.message, 'Loading the model /models/stuck made no progress for 0.3 s, so Inkling stopped it. Try again, or choose a smaller model.');
    assert.equal(engine.state, 'error');
  });
});
