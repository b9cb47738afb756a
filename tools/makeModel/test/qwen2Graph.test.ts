// The ONNX graph, driven directly through onnxruntime: it computes Qwen2 (checked against a plain
// reference), and its KV cache, num_logits_to_keep and padding give the same logits as recomputing.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelRecipe } from '../recipes';
import { ONNX_FILE } from '../modelConfig';
import { ensureTestModel } from '../modelCache';
import type { TestModelDtype } from '../modelCache';
import { referenceLogits } from './referenceQwen2';

const { dims, weights } = modelRecipe('random');
const IDS = [17, 250, 3, 99, 401, 42, 7, 300];

type Feeds = Record<string, ort.Tensor>;
const int64 = (values: number[], shape: number[]) => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), shape);

function emptyCache(batch: number): Feeds {
  const feeds: Feeds = {};
  for (let l = 0; l < dims.layers; l++) {
    for (const part of ['key', 'value']) {
      feeds[`past_key_values.${l}.${part}`] = new ort.Tensor('float32', new Float32Array(0), [batch, dims.kvHeads, 0, dims.headDim]);
    }
  }
  return feeds;
}

function nextCache(outputs: ort.InferenceSession.OnnxValueMapType): Feeds {
  const feeds: Feeds = {};
  for (let l = 0; l < dims.layers; l++) {
    for (const part of ['key', 'value']) feeds[`past_key_values.${l}.${part}`] = outputs[`present.${l}.${part}`] as ort.Tensor;
  }
  return feeds;
}

/** Runs `chunks` of IDS one after another through the cache; returns each run's logits rows. */
async function runChunks(session: ort.InferenceSession, chunks: number[][], keep = 0): Promise<Float32Array[]> {
  let cache = emptyCache(1);
  let done = 0;
  const rows: Float32Array[] = [];
  for (const chunk of chunks) {
    const out = await session.run({
      input_ids: int64(chunk, [1, chunk.length]),
      attention_mask: int64(Array(done + chunk.length).fill(1), [1, done + chunk.length]),
      position_ids: int64(chunk.map((_, i) => done + i), [1, chunk.length]),
      num_logits_to_keep: int64([keep], []),
      ...cache,
    });
    const logits = out.logits as ort.Tensor;
    const data = logits.data as Float32Array;
    for (let r = 0; r < logits.dims[1]; r++) rows.push(data.slice(r * dims.vocab, (r + 1) * dims.vocab));
    cache = nextCache(out);
    done += chunk.length;
  }
  return rows;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

const sessions = new Map<TestModelDtype, ort.InferenceSession>();
async function session(dtype: TestModelDtype): Promise<ort.InferenceSession> {
  let s = sessions.get(dtype);
  if (!s) {
    s = await ort.InferenceSession.create(join(await ensureTestModel('random', dtype), 'onnx', ONNX_FILE[dtype]));
    sessions.set(dtype, s);
  }
  return s;
}

describe('Qwen2 ONNX graph (random model)', () => {
  let reference: Float64Array[];
  before(() => {
    reference = referenceLogits(dims, weights, IDS);
  });
  after(async () => {
    for (const s of sessions.values()) await s.release();
    sessions.clear();
  });

  it('fp32 computes what the reference Qwen2 computes, at every position', async () => {
    const rows = await runChunks(await session('fp32'), [IDS]);
    assert.equal(rows.length, IDS.length);
    rows.forEach((row, t) => assert.ok(maxDiff(row, reference[t]) < 1e-4, `position ${t}: ${maxDiff(row, reference[t])}`));
  });

  it('step-by-step decoding with the KV cache equals full recomputation', async () => {
    const s = await session('fp32');
    const full = await runChunks(s, [IDS]);
    const steps = await runChunks(s, IDS.map((id) => [id]));
    const chunked = await runChunks(s, [IDS.slice(0, 3), IDS.slice(3, 7), IDS.slice(7)]);
    for (let t = 0; t < IDS.length; t++) {
      assert.ok(maxDiff(steps[t], full[t]) < 1e-5, `step ${t}: ${maxDiff(steps[t], full[t])}`);
      assert.ok(maxDiff(chunked[t], full[t]) < 1e-5, `chunked ${t}`);
    }
  });

  it('num_logits_to_keep = 1 returns only the last position', async () => {
    const s = await session('fp32');
    const last = await runChunks(s, [IDS.slice(0, 5), IDS.slice(5)], 1);
    assert.equal(last.length, 2);
    assert.ok(maxDiff(last[1], reference[IDS.length - 1]) < 1e-4);
  });

  it('a left-padded row in a batch gives the same logits as the row alone', async () => {
    // Row 0: the whole sequence. Row 1: three pad slots, then the first five ids. Positions as
    // transformers.js makes them: cumsum(mask) - 1, with padded slots set to 1.
    const padded = [0, 0, 0, ...IDS.slice(0, 5)];
    const mask = [...Array(IDS.length).fill(1), 0, 0, 0, 1, 1, 1, 1, 1];
    const positions = [...IDS.map((_, i) => i), 1, 1, 1, 0, 1, 2, 3, 4];
    const out = await (await session('fp32')).run({
      input_ids: int64([...IDS, ...padded], [2, IDS.length]),
      attention_mask: int64(mask, [2, IDS.length]),
      position_ids: int64(positions, [2, IDS.length]),
      num_logits_to_keep: int64([1], []),
      ...emptyCache(2),
    });
    const data = (out.logits as ort.Tensor).data as Float32Array;
    assert.ok(maxDiff(data.subarray(0, dims.vocab), reference[IDS.length - 1]) < 1e-4, 'full row');
    assert.ok(maxDiff(data.subarray(dims.vocab), reference[4]) < 1e-4, 'padded row');
  });

  for (const dtype of ['q8', 'q4'] as TestModelDtype[]) {
    it(`${dtype} stays close to the fp32 reference, with and without the cache`, async () => {
      const s = await session(dtype);
      const full = await runChunks(s, [IDS]);
      const steps = await runChunks(s, IDS.map((id) => [id]));
      const scale = Math.max(...reference.map((r) => Math.max(...r.map(Math.abs))));
      for (let t = 0; t < IDS.length; t++) {
        assert.ok(maxDiff(full[t], reference[t]) < 0.1 * scale, `${dtype} position ${t}: ${maxDiff(full[t], reference[t])} vs scale ${scale}`);
        assert.ok(maxDiff(steps[t], full[t]) < 0.05 * scale, `${dtype} step ${t}`);
      }
    });
  }
});
