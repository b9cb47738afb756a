// The engine port both the editor and the CLI go through: a device this platform does not offer falls
// back to the CPU with one word per episode, every generation carries a deadline scaled to its token
// budget, and a crash or an overrun is reported once as a problem.
import * as assert from 'node:assert/strict';
import { EngineError } from '../../../src/model/host/engineError';
import type { PooledEngine } from '../../../src/model/host/enginePool';
import { EnginePort, type EngineEvent } from '../../../src/model/host/enginePort';
import type { GenerateRequest, GenerateResult, LoadOptions, ModelInfo } from '../../../src/model/protocol';
import type { ModelSettings } from '../../../src/settings/settings';

/** Records what the port asks of its engine; `failWith` makes every generation reject. */
class RecordingEngine implements PooledEngine {
  loads: LoadOptions[] = [];
  requests: GenerateRequest[] = [];
  failWith: Error | undefined;
  async load(options: LoadOptions): Promise<ModelInfo> {
    this.loads.push(options);
    return { model: options.model, dtype: options.dtype, device: options.device, specialTokens: [], modelType: 'qwen2', eosTokens: [], loadMs: 1 };
  }
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.requests.push(request);
    if (this.failWith) throw this.failWith;
    return { text: 'x', finishReason: 'eos', promptTokens: 1, generatedTokens: 1, timeToFirstTokenMs: 0, totalMs: 0, reusedPromptTokens: 0 };
  }
  async countTokens(): Promise<number> { return 1; }
  async chatPrompt(): Promise<string> { return ''; }
  dispose(): void {}
}

const model = (device: ModelSettings['device']): ModelSettings => ({ id: 'm', dtype: 'q8', device, threads: 0, hubUrl: '' });
const sampling = { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 100 };

describe('engine port', () => {
  let engines: RecordingEngine[];
  let events: EngineEvent[];
  let port: EnginePort;

  beforeEach(() => {
    engines = [];
    events = [];
    port = new EnginePort({
      processEntry: 'unused.js',
      onEvent: (event) => events.push(event),
      createEngine: () => {
        const engine = new RecordingEngine();
        engines.push(engine);
        return engine;
      },
      platform: { os: 'linux', arch: 'x64' },
    });
  });

  afterEach(() => port.dispose());

  const fallbacks = () => events.filter((e) => e.type === 'deviceFallback');

  it('loads on the cpu when the device is not offered here, and says so once', async () => {
    const loaded = await port.acquire('completion', 'm', model('dml'));
    assert.equal(loaded.info.device, 'cpu');
    assert.equal(engines[0]!.loads[0]!.device, 'cpu');
    await port.acquire('completion', 'm', model('dml'));
    assert.deepEqual(fallbacks(), [{ type: 'deviceFallback', requested: 'dml', platform: 'linux-x64' }]);
  });

  it('says it again only after the device setting changed in between', async () => {
    await port.acquire('completion', 'm', model('dml'));
    await port.acquire('completion', 'm', model('cpu'));
    await port.acquire('completion', 'm', model('dml'));
    assert.equal(fallbacks().length, 2);
  });

  it('keeps a device this platform offers, without a word', async () => {
    const loaded = await port.acquire('completion', 'm', model('cuda'));
    assert.equal(loaded.info.device, 'cuda');
    assert.deepEqual(fallbacks(), []);
  });

  it('gives every generation a deadline of 30 s plus 250 ms per token it may generate', async () => {
    const loaded = await port.acquire('completion', 'm', model('cpu'));
    await loaded.generate({ prompt: 'p', sampling, stop: [] });
    await loaded.generate({ prompt: 'p', sampling: { ...sampling, maxNewTokens: 8 }, stop: [] });
    await loaded.generate({ prompt: 'p', sampling, stop: [], deadlineMs: 500 });
    assert.deepEqual(engines[0]!.requests.map((r) => r.deadlineMs), [55_000, 32_000, 500]);
  });

  it('reports a crash or an overrun as a problem, and other errors not', async () => {
    const loaded = await port.acquire('completion', 'm', model('cpu'));
    const engine = engines[0]!;
    for (const error of [new EngineError('process-crashed', 'crashed'), new EngineError('deadline', 'late'), new EngineError('internal', 'odd'), new Error('plain')]) {
      engine.failWith = error;
      await assert.rejects(loaded.generate({ prompt: 'p', sampling, stop: [] }), (thrown) => thrown === error);
    }
    const problems = events.filter((e): e is Extract<EngineEvent, { type: 'problem' }> => e.type === 'problem');
    assert.deepEqual(problems.map((p) => p.error.code), ['process-crashed', 'deadline']);
  });
});
