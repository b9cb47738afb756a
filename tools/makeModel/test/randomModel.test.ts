import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeModel } from '../makeModel';
import { ensureTestModel } from '../modelCache';
import type { TestModelDtype } from '../modelCache';
import { greedyIds, loadModel } from './loadModel';

const N = 12;

for (const dtype of ['fp32', 'q8', 'q4'] as TestModelDtype[]) {
  describe(`random model (${dtype})`, () => {
    it(`loads through transformers.js and generates ${N} tokens, the same ones each time`, async () => {
      const loaded = await loadModel(await ensureTestModel('random', dtype), dtype);
      try {
        const first = await greedyIds(loaded, 'def hello():\n    print(', N, N);
        assert.equal(first.length, N);
        assert.deepEqual(await greedyIds(loaded, 'def hello():\n    print(', N, N), first, 'greedy is deterministic');
        assert.equal(typeof loaded.tokenizer.decode(first), 'string');
      } finally {
        await loaded.model.dispose();
      }
    });
  });
}

describe('model folder layout', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkling-make-model-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes external data that transformers.js finds through config.json', async () => {
    const made = await makeModel({ kind: 'random', dtype: 'q8', out: dir, externalData: true });
    assert.deepEqual(made.files.filter((f) => f.startsWith('onnx/')), ['onnx/model_quantized.onnx', 'onnx/model_quantized.onnx_data']);
    assert.ok(statSync(join(dir, 'onnx', 'model_quantized.onnx')).size < 64 * 1024, 'weights are not inline');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(config['transformers.js_config'], { use_external_data_format: { 'model_quantized.onnx': 1 } });
    assert.equal(config.model_type, 'qwen2');
    assert.deepEqual(config.architectures, ['Qwen2ForCausalLM']);

    const loaded = await loadModel(dir, 'q8');
    try {
      const inline = await loadModel(await ensureTestModel('random', 'q8'), 'q8');
      try {
        const prompt = 'const x = ';
        assert.deepEqual(await greedyIds(loaded, prompt, 6, 6), await greedyIds(inline, prompt, 6, 6), 'same weights either way');
      } finally {
        await inline.model.dispose();
      }
    } finally {
      await loaded.model.dispose();
    }
  });

  it('builds a tiny model in well under two seconds', async () => {
    const made = await makeModel({ kind: 'successor', dtype: 'q8', out: join(dir, 'speed') });
    assert.ok(made.ms < 2000, `${made.ms} ms`);
  });
});
