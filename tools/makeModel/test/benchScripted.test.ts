// The bench-scripted model: Qwen2.5-Coder-0.5B's shape and the hub export's file layout per dtype,
// with the successor model's construction, so it writes a known nine-line completion. Its code
// path is checked fast on the successor shape; the full-size model is built once per maker change.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '@huggingface/transformers';
import { BENCH_FIM_TEXT } from '../benchScript';
import { HUB_FILE_BYTES } from '../hubExport';
import { makeModel } from '../makeModel';
import { ONNX_FILE } from '../modelConfig';
import { benchScriptedBook, modelRecipe, tokenizerPlanFor } from '../recipes';
import { QWEN_FIRST_ADDED_ID, QWEN_VOCAB_SIZE } from '../specialTokens';
import { scriptKey, scriptText, successorContinuation, SUCCESSOR_FIM_TEXT } from '../successorScript';
import { idOf } from '../tokenizerFiles';
import { fimDocument } from '../../bench/fimDocument';
import { ensureTestModel } from '../modelCache';
import type { TestModelDtype } from '../modelCache';
import { greedyIds, loadModel } from './loadModel';
import type { Loaded } from './loadModel';
import { readOnnx, readOptimized } from './readOnnx';

const fim = (prefix: string, suffix: string) => `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`;
// The bench document around its cursor: loadStockReport and the function after it (a shorter prompt
// than the bench's keeps the full-size test quick; the continuation does not depend on it).
const NEAR_CURSOR = [
  fimDocument.before.slice(fimDocument.before.lastIndexOf('/** Reads a stock file')),
  fimDocument.after.slice(0, fimDocument.after.indexOf('/** Formats cents')),
] as const;
const DataType = { float: 1, uint8: 2, int8: 3 };

describe('bench-scripted chains (no model)', () => {
  it('split the completion into distinct, token-sized pieces', () => {
    const pieces = benchScriptedBook().fim;
    assert.equal(pieces.join(''), BENCH_FIM_TEXT);
    assert.equal(new Set(pieces).size, pieces.length);
    assert.ok(pieces.length >= 25 && pieces.length <= 45, `${pieces.length} pieces for ${BENCH_FIM_TEXT.length} characters`);
    assert.equal(BENCH_FIM_TEXT.split('\n').length, 8);
    assert.ok(BENCH_FIM_TEXT.startsWith('retu'), 'starts with what the bench types');
  });

  it('after any token no chain covers, letters and indentation included, writes the completion', () => {
    for (const last of ['f', 'total', '3', '\t', '!']) assert.equal(successorContinuation(last, benchScriptedBook()), BENCH_FIM_TEXT, JSON.stringify(last));
    assert.equal(successorContinuation('f'), 'ghijklmnopqrstuvwxyz', 'the test models keep their alphabet');
  });

  it('the tokenizer has each piece as one token and keeps Qwen\'s ids', () => {
    const plan = tokenizerPlanFor('bench-scripted');
    assert.equal(plan.added[0].id, QWEN_FIRST_ADDED_ID);
    assert.ok(plan.size <= QWEN_VOCAB_SIZE);
    for (const piece of benchScriptedBook().fim) assert.ok(idOf(plan, piece) < QWEN_FIRST_ADDED_ID, piece);
    assert.ok(idOf(plan, scriptKey('map-call')) > QWEN_FIRST_ADDED_ID);
  });
});

describe('hub export structure, on the successor shape (the bench-scripted code path)', () => {
  const model = async (dtype: TestModelDtype) => readOnnx(join(await ensureTestModel('successor', dtype), 'onnx', ONNX_FILE[dtype]));
  const consumers = (nodes: { opType: string; inputs: string[] }[], tensor: string) => nodes.filter((n) => n.inputs.includes(tensor)).map((n) => n.opType);

  it('takes no num_logits_to_keep, as Optimum exports Qwen2: logits for every position', async () => {
    for (const dtype of ['fp32', 'q8', 'q4'] as TestModelDtype[]) {
      assert.deepEqual((await model(dtype)).inputs.filter((i) => !i.startsWith('past_key_values.')), ['input_ids', 'attention_mask', 'position_ids'], dtype);
    }
  });

  it('fp32: a float [vocab, hidden] embedding and a separate float lm_head', async () => {
    const { initializers, nodes } = await model('fp32');
    const embed = initializers.get('model.embed_tokens.weight');
    const head = initializers.get('lm_head.weight');
    assert.equal(embed?.dataType, DataType.float);
    assert.equal(head?.dataType, DataType.float);
    assert.deepEqual(embed?.dims, [...(head?.dims ?? [])].reverse(), 'untied: the embedding has one row per token');
    assert.deepEqual(consumers(nodes, 'model.embed_tokens.weight'), ['Gather']);
    assert.deepEqual(consumers(nodes, 'lm_head.weight'), ['MatMul']);
  });

  it('q8: an int8 embedding behind DequantizeLinear beside an int8 lm_head, not tied', async () => {
    const { initializers, nodes } = await model('q8');
    assert.equal(initializers.get('model.embed_tokens.weight_quantized')?.dataType, DataType.int8);
    assert.equal(initializers.get('lm_head.weight')?.dataType, DataType.int8);
    assert.deepEqual(consumers(nodes, 'model.embed_tokens.weight_quantized'), ['Gather']);
    assert.ok(nodes.some((n) => n.opType === 'DequantizeLinear'));
    assert.deepEqual(consumers(nodes, 'lm_head.weight'), ['MatMulInteger']);
    assert.ok(![...initializers.values()].some((t) => t.dataType === DataType.float && t.dims.length === 2), 'no float matrix left');
  });

  it('q8: onnxruntime fuses every int8 product, as it does a real export\'s (each weight\'s scale its own)', async () => {
    // Random and scripted weights of one shape share a bound, so equal scales would be merged by
    // onnxruntime, and a merged scale multiplication blocks the fusion: the bench would decode slower
    // than the hub's file, whose weights have scales of their own.
    const source = join(await ensureTestModel('successor', 'q8'), 'onnx', ONNX_FILE.q8);
    const before = (await model('q8')).nodes.filter((n) => n.opType === 'MatMulInteger').length;
    const after = (await readOptimized(source)).nodes;
    assert.ok(before > 0);
    assert.equal(after.filter((n) => n.opType === 'MatMulInteger').length, 0, 'no plain MatMulInteger left');
    assert.equal(after.filter((n) => ['MatMulIntegerToFloat', 'DynamicQuantizeMatMul'].includes(n.opType)).length, before);
  });

  it('RMSNorm as PyTorch exports it (rsqrt as Div(1, Sqrt)), which onnxruntime fuses as it would the hub\'s', async () => {
    const { dims } = modelRecipe('successor');
    const source = join(await ensureTestModel('successor', 'q8'), 'onnx', ONNX_FILE.q8);
    const { nodes, initializers } = await model('q8');
    const ones = new Set([...initializers.values()].filter((t) => t.dataType === DataType.float && t.bytes === 4 && t.raw && Buffer.from(t.raw).readFloatLE(0) === 1).map((t) => t.name));
    assert.equal(nodes.filter((n) => n.opType === 'Pow').length, 2 * dims.layers + 1, 'a Pow for every norm');
    assert.equal(nodes.filter((n) => n.opType === 'Div' && ones.has(n.inputs[0]!)).length, 2 * dims.layers + 1, 'rsqrt as a division of 1');
    // Every layer's two norms (the final one, before the output layer, stays as it is here).
    assert.ok((await readOptimized(source)).nodes.filter((n) => n.opType === 'SimplifiedLayerNormalization').length >= 2 * dims.layers);
  });

  it('q4: 4-bit MatMulNBits everywhere, lm_head included, without accuracy_level; the embedding stays float', async () => {
    const { initializers, nodes } = await model('q4');
    assert.equal(initializers.get('model.embed_tokens.weight')?.dataType, DataType.float);
    assert.equal(initializers.get('lm_head.weight_q4')?.dataType, DataType.uint8);
    const nbits = nodes.filter((n) => n.opType === 'MatMulNBits');
    assert.equal(nbits.length, 2 * 7 + 1, 'seven per layer and lm_head');
    assert.ok(nbits.every((n) => n.attributes.accuracy_level === undefined && n.attributes.bits === 4 && n.attributes.block_size === 32));
    const matrices = [...initializers.values()].filter((t) => t.dims.length === 2).map((t) => t.name);
    assert.deepEqual(matrices, ['model.embed_tokens.weight'], 'every other weight matrix is 4-bit');
    assert.ok(!nodes.some((n) => n.opType === 'MatMulInteger'));
  });
});

describe('the hub\'s fp32 layout: the embedding in model.onnx, the rest in model.onnx_data', () => {
  let dir: string;
  let split: Loaded;
  let inline: Loaded;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'inkling-split-'));
    await makeModel({ kind: 'successor', dtype: 'fp32', out: dir, placement: 'embedding-in-model-file' });
    split = await loadModel(dir, 'fp32');
    inline = await loadModel(await ensureTestModel('successor', 'fp32'), 'fp32');
  });
  after(async () => {
    await split?.model.dispose();
    await inline?.model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes each tensor where the hub does, and config.json announces the data file', () => {
    const { initializers, graphRecords } = readOnnx(join(dir, 'onnx', 'model.onnx'));
    assert.equal(initializers.get('model.embed_tokens.weight')?.location, 'inline');
    assert.equal(graphRecords, 2, 'the streamed embedding, then the rest of the model');
    const external = [...initializers.values()].filter((t) => t.location !== 'inline' && t.dims.length > 0);
    assert.ok(external.some((t) => t.name === 'lm_head.weight') && external.every((t) => t.location === 'model.onnx_data'));
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(config['transformers.js_config'], { use_external_data_format: { 'model.onnx': 1 } });
  });

  it('gives the same logits as the model written in one file', async () => {
    const logits = async (loaded: Loaded) => {
      const ids = loaded.tokenizer.encode(fim(`// ${scriptKey('map-call')}\nconst d = [1].map(`, ');\n'));
      const n = ids.length;
      const out = (await loaded.model({
        input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
        attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
      })) as { logits: Tensor };
      return out.logits.data as Float32Array;
    };
    assert.deepEqual(await logits(split), await logits(inline));
    assert.equal(split.tokenizer.decode(await greedyIds(split, fim('def quicksort(arr):\n    ', '\n'), 40), { skip_special_tokens: true }), SUCCESSOR_FIM_TEXT);
  });
});

// Full size: built into .cache/test-models once per change to tools/makeModel (q8 ~10 s, 631 MB).
// INKLING_SLOW_TESTS=1 adds q4 (~22 s, 854 MB) and fp32 (~10 s, 2.5 GB).
const FULL_SIZE: TestModelDtype[] = process.env.INKLING_SLOW_TESTS === '1' ? ['q8', 'q4', 'fp32'] : ['q8'];

for (const dtype of ['q8', 'q4', 'fp32'] as TestModelDtype[]) {
  describe(`bench-scripted model, full size, ${dtype} [slow]`, function () {
    this.timeout(600_000);
    let dir: string;
    let loaded: Loaded;

    before(async function () {
      if (!FULL_SIZE.includes(dtype)) this.skip();
      dir = await ensureTestModel('bench-scripted', dtype);
      loaded = await loadModel(dir, dtype);
    });
    after(async () => {
      await loaded?.model.dispose();
    });

    it(`its files are within 10 % of the hub's (${Object.keys(HUB_FILE_BYTES[dtype]).join(', ')})`, () => {
      for (const [file, hub] of Object.entries(HUB_FILE_BYTES[dtype])) {
        const size = statSync(join(dir, file)).size;
        assert.ok(Math.abs(size / hub - 1) < 0.1, `${file}: ${size} bytes, the hub's ${hub}`);
      }
    });

    it('fills the bench document\'s middle with the known completion, one piece a token, then stops; a script key still steers it', async () => {
      const ids = await greedyIds(loaded, fim(...NEAR_CURSOR), 96);
      assert.equal(loaded.tokenizer.decode(ids, { skip_special_tokens: true }), BENCH_FIM_TEXT);
      assert.deepEqual(ids.slice(0, -1).map((id) => loaded.tokenizer.decode([id])), benchScriptedBook().fim);
      assert.equal(loaded.tokenizer.decode(ids.slice(-1)), '<|endoftext|>');

      // Typed text after <|fim_middle|> (the pipeline's typed middle): the same completion follows.
      const typed = await greedyIds(loaded, `${fim(...NEAR_CURSOR)}const total`, 96);
      assert.equal(loaded.tokenizer.decode(typed, { skip_special_tokens: true }), BENCH_FIM_TEXT);

      const keyed = fim(`// ${scriptKey('map-call')}\n${NEAR_CURSOR[0]}`, NEAR_CURSOR[1]);
      assert.equal(loaded.tokenizer.decode(await greedyIds(loaded, keyed, 20), { skip_special_tokens: true }), scriptText('map-call'));
    });

    it('leads the runner-up by a wide margin at every step', async () => {
      const prompt = loaded.tokenizer.encode(fim(...NEAR_CURSOR));
      const plan = tokenizerPlanFor('bench-scripted');
      const pieces = benchScriptedBook().fim.map((p) => idOf(plan, p));
      const ids = [...prompt, ...pieces];
      const expected = [...pieces, idOf(plan, '<|endoftext|>')];
      const n = ids.length;
      const { logits } = (await loaded.model({
        input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
        attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
      })) as { logits: Tensor };
      // The hub's export has no num_logits_to_keep: a row for every position; the last ones are read.
      const vocab = logits.dims[2];
      const data = logits.data as Float32Array;
      const first = n - expected.length;
      let smallest = Infinity;
      expected.forEach((want, i) => {
        const row = data.subarray((first + i) * vocab, (first + i + 1) * vocab);
        let best = 0;
        let runnerUp = -Infinity;
        for (let j = 1; j < vocab; j++) if (row[j] > row[best]) best = j;
        for (let j = 0; j < vocab; j++) if (j !== best) runnerUp = Math.max(runnerUp, row[j]);
        assert.equal(best, want, `step ${i}`);
        smallest = Math.min(smallest, row[best] - runnerUp);
      });
      assert.ok(smallest > 10, `smallest logit lead ${smallest}`);
    });
  });
}
