import * as assert from 'node:assert/strict';
import { EnginePool, type PoolEvent, type PooledEngine } from '../../../src/model/host/enginePool';
import type { GenerateResult, LoadOptions, ModelInfo } from '../../../src/model/protocol';

class FakeEngine implements PooledEngine {
  static made: FakeEngine[] = [];
  loads: LoadOptions[] = [];
  disposed = false;
  constructor(private readonly failWith?: Error) {
    FakeEngine.made.push(this);
  }
  async load(options: LoadOptions): Promise<ModelInfo> {
    this.loads.push(options);
    if (this.failWith) throw this.failWith;
    return { model: options.model, dtype: options.dtype, device: options.device, specialTokens: [], modelType: 'qwen2', eosTokens: [], loadMs: 1 };
  }
  async generate(): Promise<GenerateResult> {
    return { text: 'x', finishReason: 'eos', promptTokens: 1, generatedTokens: 1, timeToFirstTokenMs: 0, totalMs: 0, reusedPromptTokens: 0 };
  }
  async countTokens(): Promise<number> { return 1; }
  async chatPrompt(): Promise<string> { return ''; }
  dispose(): void { this.disposed = true; }
}

const options = (model: string): LoadOptions => ({ model, dtype: 'q8', device: 'cpu' });

describe('engine pool', () => {
  let events: PoolEvent[];
  let pool: EnginePool;
  beforeEach(() => {
    FakeEngine.made = [];
    events = [];
    pool = new EnginePool(() => new FakeEngine(), (e) => events.push(e));
  });

  it('shares one model process between completions and explanations of the same model', async () => {
    await pool.acquire('completion', options('a'));
    await pool.acquire('explain', options('a'));
    assert.equal(FakeEngine.made.length, 1);
    assert.equal(FakeEngine.made[0]!.loads.length, 1);
  });

  it('starts a second process for a different explain model, and keeps the first', async () => {
    await pool.acquire('completion', options('a'));
    await pool.acquire('explain', options('b'));
    assert.equal(FakeEngine.made.length, 2);
    assert.equal(FakeEngine.made[0]!.disposed, false);
  });

  it('replaces the process when the model setting changes', async () => {
    await pool.acquire('completion', options('a'));
    await pool.acquire('completion', options('b'));
    assert.equal(FakeEngine.made[0]!.disposed, true);
    assert.equal(pool.infoFor('completion')?.model, 'b');
  });

  it('starts a fresh process when the weights, device, threads or hub of the same model change', async () => {
    const changes: Array<Partial<LoadOptions>> = [{ dtype: 'q4' }, { device: 'cuda' }, { threads: 2 }, { remoteHost: 'http://mirror/' }, { cacheDir: '/elsewhere' }];
    await pool.acquire('completion', options('a'));
    for (const change of changes) await pool.acquire('completion', { ...options('a'), ...change });
    assert.equal(FakeEngine.made.length, changes.length + 1);
    assert.deepEqual(FakeEngine.made.map((e) => e.disposed), [...changes.map(() => true), false]);
    assert.equal(FakeEngine.made.at(-1)!.loads[0]!.cacheDir, '/elsewhere');
  });

  it('says ready once per role and load, however many requests follow', async () => {
    for (let i = 0; i < 3; i++) await pool.acquire('completion', options('a'));
    await pool.acquire('explain', options('a'));
    await pool.acquire('explain', options('a'));
    const ready = events.filter((e): e is Extract<PoolEvent, { type: 'ready' }> => e.type === 'ready');
    assert.deepEqual(ready.map((e) => e.role), ['completion', 'explain']);
  });

  it('reports loading, ready and busy, and forgets a failed load so the next request retries', async () => {
    let fail = true;
    pool = new EnginePool(() => new FakeEngine(fail ? new Error('bad') : undefined), (e) => events.push(e));
    await assert.rejects(pool.acquire('completion', options('a')), /bad/);
    assert.deepEqual(events.map((e) => e.type), ['loading', 'failed']);
    fail = false;
    const model = await pool.acquire('completion', options('a'));
    await model.generate({ prompt: 'p', stop: [], sampling: { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 1 } });
    assert.deepEqual(events.map((e) => e.type), ['loading', 'failed', 'loading', 'ready', 'busy', 'busy']);
    assert.equal(FakeEngine.made[0]!.disposed, true);
  });

  it('does not report background work (a prompt computed ahead) as busy: nobody waits for it', async () => {
    const model = await pool.acquire('completion', options('a'));
    const sampling = { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 1 };
    await model.generate({ prompt: 'ahead', stop: [], sampling, background: true });
    assert.deepEqual(events.map((e) => e.type), ['loading', 'ready']);
    await model.generate({ prompt: 'p', stop: [], sampling });
    assert.deepEqual(events.map((e) => e.type), ['loading', 'ready', 'busy', 'busy']);
  });
});
