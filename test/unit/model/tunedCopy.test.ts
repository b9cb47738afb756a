// The tuned copy of a downloaded model: the rewrite itself (read back node by node, and run through
// onnxruntime), the cache's rules for it (made once, remade when the original changes, never
// half-written), and the real model process loading it — from a hub download — and writing the same
// greedy text as the original.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { LoadProgress } from '../../../src/model/protocol';
import { planTunedCopy, writePlanned } from '../../../src/model/process/tunedCopy/copyPlan';
import { OnnxFormatError } from '../../../src/model/process/tunedCopy/onnxFields';
import { ensureHubModel } from '../../../src/model/process/download/hubModel';
import { makeTunedCopy, usableTunedCopy } from '../../../src/model/process/tunedCopy/tunedCopy';
import { ensureTestModel, type TestModelDtype } from '../../../tools/makeModel/modelCache';
import { modelRecipe } from '../../../tools/makeModel/recipes';
import { readOnnx } from '../../../tools/makeModel/test/readOnnx';
import { SUCCESSOR_ALPHABET } from '../../../tools/makeModel/successorScript';
import { startHub, type HubServer } from '../../support/hubServer';
import { mountTinyDisk } from '../../support/tinyDisk';
import { localLoad, newEngine, request } from './engineFixture';

const COPY = { q8: join('onnx', 'model-tuned_quantized.onnx'), q4: join('onnx', 'model-tuned_q4.onnx') };
const ORIGINAL = { q8: join('onnx', 'model_quantized.onnx'), q4: join('onnx', 'model_q4.onnx') };

describe('the tuned copy of a downloaded model', function () {
  this.timeout(60000);
  const made: string[] = [];
  const scratch = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  /** A folder of our own holding the successor model (the hub's style: no accuracy_level, no num_logits_to_keep). */
  const successorFolder = async (dtype: 'q8' | 'q4' = 'q4') => {
    const folder = scratch('inkling-tuned-');
    cpSync(await ensureTestModel('successor', dtype), folder, { recursive: true });
    return folder;
  };
  const copyOf = async (dtype: 'q8' | 'q4') => {
    const source = join(await ensureTestModel('successor', dtype), ORIGINAL[dtype]);
    const target = join(scratch('inkling-tuned-'), 'copy.onnx');
    const plan = await planTunedCopy(source, { accuracyLevel: 4 });
    await writePlanned(source, target, plan);
    return { source, target, plan };
  };
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  for (const dtype of ['q8', 'q4'] as const) {
    it(`${dtype}: adds num_logits_to_keep ahead of the vocabulary projection and leaves every other node and weight as it was`, async () => {
      const { source, target, plan } = await copyOf(dtype);
      const before = readOnnx(source);
      const after = readOnnx(target);
      assert.ok(!before.inputs.includes('num_logits_to_keep'));
      assert.ok(after.inputs.includes('num_logits_to_keep'));
      assert.equal(plan.logitsToKeep, true);
      assert.equal(statSync(target).size, plan.size);
      const added = after.nodes.filter((n) => n.outputs.some((o) => o.startsWith('/inkling/')));
      assert.deepEqual(added.map((n) => n.opType), ['Constant', 'Reshape', 'Neg', 'Constant', 'Constant', 'Slice']);
      const kept = after.nodes.filter((n) => !added.includes(n));
      assert.equal(kept.length, before.nodes.length);
      const slice = added.at(-1)!;
      const readers = kept.filter((n, i) => n.inputs.join() !== before.nodes[i]!.inputs.join());
      // The projection (after its activation's quantizer in q8) now reads the slice.
      assert.deepEqual(readers.map((n) => n.opType), [dtype === 'q8' ? 'MatMulInteger' : 'MatMulNBits']);
      assert.deepEqual(readers[0]!.inputs[0], slice.outputs[0]);
      assert.equal(slice.inputs[0], before.nodes[kept.indexOf(readers[0]!)]!.inputs[0]);
      kept.forEach((node, i) => {
        const old = before.nodes[i]!;
        assert.equal(node.opType, old.opType);
        const expected = old.opType === 'MatMulNBits' ? { ...old.attributes, accuracy_level: 4 } : old.attributes;
        assert.deepEqual(node.attributes, expected, `node ${i} (${old.opType})`);
      });
      assert.equal(plan.accuracyLevelNodes, before.nodes.filter((n) => n.opType === 'MatMulNBits').length);
      assert.deepEqual([...after.initializers.values()], [...before.initializers.values()]);
      assert.equal(after.graphRecords, before.graphRecords);
    });
  }

  it('computes the last positions\' logits alone, exactly as the original computes them', async () => {
    const { source, target } = await copyOf('q8');
    const { dims } = modelRecipe('successor');
    const ids = [5, 17, 23, 42, 8, 99, 61];
    const int64 = (values: number[], shape: number[]) => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), shape);
    const feeds = (n: number, from = 0): Record<string, ort.Tensor> => {
      const f: Record<string, ort.Tensor> = {
        input_ids: int64(ids.slice(from, n), [1, n - from]),
        attention_mask: int64(Array(n).fill(1), [1, n]),
        position_ids: int64(ids.slice(from, n).map((_, i) => from + i), [1, n - from]),
      };
      for (let l = 0; l < dims.layers; l++) for (const part of ['key', 'value']) f[`past_key_values.${l}.${part}`] = new ort.Tensor('float32', new Float32Array(0), [1, dims.kvHeads, 0, dims.headDim]);
      return f;
    };
    const original = await ort.InferenceSession.create(source);
    const copy = await ort.InferenceSession.create(target);
    try {
      const all = (await original.run(feeds(ids.length))).logits as ort.Tensor;
      assert.deepEqual(all.dims, [1, ids.length, dims.vocab]);
      for (const keep of [1, 3]) {
        const kept = (await copy.run({ ...feeds(ids.length), num_logits_to_keep: int64([keep], []) })).logits as ort.Tensor;
        assert.deepEqual(kept.dims, [1, keep, dims.vocab]);
        // The activation is quantized over every position before the slice: the same numbers, not close ones.
        assert.deepEqual(kept.data, (all.data as Float32Array).slice((ids.length - keep) * dims.vocab));
      }
      const every = (await copy.run({ ...feeds(ids.length), num_logits_to_keep: int64([0], []) })).logits as ort.Tensor;
      assert.deepEqual(every.dims, [1, ids.length, dims.vocab], '0 keeps every position');
    } finally {
      await original.release();
      await copy.release();
    }
  });

  it('moves every initializer of 1 KiB or more, byte for byte, into the data file, and computes the same logits from it', async () => {
    const source = join(await ensureTestModel('successor', 'q4'), ORIGINAL.q4);
    const dir = scratch('inkling-tuned-');
    const inline = join(dir, 'inline.onnx');
    const split = join(dir, 'split.onnx');
    await writePlanned(source, inline, await planTunedCopy(source, { accuracyLevel: 4 }));
    const plan = await planTunedCopy(source, { accuracyLevel: 4, externalData: 'split.onnx_data' });
    await writePlanned(source, split, plan, `${split}_data`);
    assert.equal(statSync(`${split}_data`).size, plan.data?.size);
    const before = readOnnx(source);
    const after = readOnnx(split);
    const data = readFileSync(`${split}_data`);
    let moved = 0;
    for (const [name, tensor] of before.initializers) {
      const now = after.initializers.get(name)!;
      assert.deepEqual(now.dims, tensor.dims, name);
      if (tensor.bytes < 1024) {
        assert.equal(now.location, 'inline', name);
        continue;
      }
      moved++;
      assert.equal(now.location, 'split.onnx_data', name);
      assert.equal(now.bytes, tensor.bytes, name);
      assert.equal(now.offset! % 64, 0, `${name} starts aligned`);
      assert.deepEqual(data.subarray(now.offset!, now.offset! + now.bytes), tensor.raw, name);
    }
    assert.equal(moved, plan.data?.tensors);
    assert.ok(moved > 10);
    assert.ok(statSync(split).size < statSync(inline).size / 10, 'the model file keeps only the graph and small tensors');

    const { dims } = modelRecipe('successor');
    const int64 = (values: number[], shape: number[]) => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), shape);
    const ids = [5, 17, 23, 42];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(ids, [1, ids.length]), attention_mask: int64(ids.map(() => 1), [1, ids.length]), position_ids: int64(ids.map((_, i) => i), [1, ids.length]),
      num_logits_to_keep: int64([2], []),
    };
    for (let l = 0; l < dims.layers; l++) for (const part of ['key', 'value']) feeds[`past_key_values.${l}.${part}`] = new ort.Tensor('float32', new Float32Array(0), [1, dims.kvHeads, 0, dims.headDim]);
    const logits = async (path: string) => {
      const session = await ort.InferenceSession.create(path);
      try {
        return Array.from((await session.run(feeds)).logits!.data as Float32Array);
      } finally {
        await session.release();
      }
    };
    assert.deepEqual(await logits(split), await logits(inline));
  });

  it('plans nothing for a model that takes num_logits_to_keep and says its products\' level', async () => {
    const file = join(await ensureTestModel('random', 'q4'), ORIGINAL.q4);
    const compact = readOnnx(file);
    assert.ok(compact.inputs.includes('num_logits_to_keep'));
    assert.ok(compact.nodes.some((n) => n.opType === 'MatMulNBits' && n.attributes.accuracy_level === 4));
    const plan = await planTunedCopy(file, { accuracyLevel: 4 });
    assert.equal(plan.accuracyLevelNodes, 0);
    assert.equal(plan.logitsToKeep, false);
    assert.equal(plan.size, statSync(file).size);
  });

  it('calls a cut-short model file damaged', async () => {
    const folder = await successorFolder();
    const source = join(folder, ORIGINAL.q4);
    truncateSync(source, Math.floor(statSync(source).size / 2));
    await assert.rejects(planTunedCopy(source), OnnxFormatError);
  });

  it('gives up quickly on a hostile file of millions of tiny fields', async () => {
    const source = join(scratch('inkling-tuned-'), 'model_q4.onnx');
    // Field 1 (ir_version) as a varint, two bytes a field, two million times.
    writeFileSync(source, Buffer.alloc(4_000_000).fill(Buffer.from([0x08, 0x01])));
    const started = performance.now();
    await assert.rejects(planTunedCopy(source), /more than 1000000 fields/);
    assert.ok(performance.now() - started < 20000);
  });

  it('is made once, remade when the original changes, and leaves a damaged original alone with a note', async () => {
    const folder = await successorFolder();
    const log: string[] = [];
    const preparing: string[] = [];
    const control = { log: (m: string) => log.push(m), onPreparing: (f: string) => preparing.push(f) };
    assert.equal(await usableTunedCopy(folder, 'q4'), undefined);
    await makeTunedCopy(folder, 'q4', control);
    assert.deepEqual(await usableTunedCopy(folder, 'q4'), { modelFileName: 'model-tuned', file: 'onnx/model-tuned_q4.onnx' });
    assert.deepEqual(preparing, ['onnx/model-tuned_q4.onnx']);
    assert.match(log.at(-1)!, /int8 compute on \d+ 4-bit products, logits for the last positions only/);
    const firstMade = statSync(join(folder, COPY.q4)).mtimeMs;
    assert.ok(existsSync(join(folder, `${COPY.q4}_data`)), 'the weights are in the data file beside it');

    await makeTunedCopy(folder, 'q4', control);
    assert.equal(preparing.length, 1, 'made again although the original did not change');
    assert.equal(statSync(join(folder, COPY.q4)).mtimeMs, firstMade);
    assert.equal(await usableTunedCopy(folder, 'q8'), undefined, 'the folder has no q8 file');
    assert.equal(await usableTunedCopy(folder, 'fp32'), undefined, 'fp32 gets no copy');

    // A data file cut short (a full disk, a crash): the copy is not used, and is made again.
    const dataFile = join(folder, `${COPY.q4}_data`);
    truncateSync(dataFile, statSync(dataFile).size - 100);
    assert.equal(await usableTunedCopy(folder, 'q4'), undefined);
    await makeTunedCopy(folder, 'q4', control);
    assert.ok(await usableTunedCopy(folder, 'q4'));
    assert.equal(preparing.length, 2);

    // A new original (another download): the copy no longer describes it, and is made again.
    const source = join(folder, ORIGINAL.q4);
    utimesSync(source, new Date(), new Date(Date.now() + 5000));
    assert.equal(await usableTunedCopy(folder, 'q4'), undefined);
    await makeTunedCopy(folder, 'q4', control);
    assert.equal(preparing.length, 3);
    assert.ok(await usableTunedCopy(folder, 'q4'));

    // A damaged original: no copy, no leftovers, the original untouched, a note in the log.
    const damaged = readFileSync(source).subarray(0, 1000);
    writeFileSync(source, damaged);
    await makeTunedCopy(folder, 'q4', control);
    assert.equal(await usableTunedCopy(folder, 'q4'), undefined);
    assert.deepEqual(readFileSync(source), damaged);
    assert.deepEqual(readdirSync(join(folder, 'onnx')).filter((f) => f.includes('inkling-tmp')), []);
    assert.match(log.at(-1)!, /Could not make the tuned copy .*the original is used/);
  });

  it('removes the q4-only copy an earlier version made', async () => {
    const folder = await successorFolder();
    const retired = join(folder, 'onnx', 'model-int8-compute_q4.onnx');
    mkdirSync(join(folder, 'onnx'), { recursive: true });
    writeFileSync(retired, 'old copy');
    writeFileSync(`${retired}.inkling.json`, '{}');
    await makeTunedCopy(folder, 'q4');
    assert.ok(!existsSync(retired) && !existsSync(`${retired}.inkling.json`));
    assert.ok(await usableTunedCopy(folder, 'q4'));
  });

  it('is not made where the disk has no room for it, and says so', async function () {
    const source = join(await ensureTestModel('successor', 'q4'), ORIGINAL.q4);
    const disk = mountTinyDisk(Math.ceil((statSync(source).size * 1.5) / 1024));
    if (!disk) this.skip();
    try {
      const folder = join(disk!.path, 'model');
      cpSync(await ensureTestModel('successor', 'q4'), folder, { recursive: true });
      const log: string[] = [];
      await makeTunedCopy(folder, 'q4', { log: (m) => log.push(m) });
      assert.equal(await usableTunedCopy(folder, 'q4'), undefined);
      assert.ok(!existsSync(join(folder, COPY.q4)));
      assert.match(log.join('\n'), /Not making the tuned copy .* needs \d+ MB and the disk has \d+ MB free/);
    } finally {
      disk!.unmount();
    }
  });

  describe('in the model process', () => {
    let hub: HubServer;
    before(async () => {
      hub = await startHub({
        'inkling-test/successor-q8': await ensureTestModel('successor', 'q8'),
        'inkling-test/successor-q4': await ensureTestModel('successor', 'q4'),
      });
    });
    after(async () => {
      await hub.close();
    });

    for (const dtype of ['q8', 'q4'] as const) {
      it(`a ${dtype} download gets the copy, loads from it and writes what the original writes`, async () => {
        const cacheDir = scratch('inkling-tuned-hub-');
        const progress: LoadProgress[] = [];
        const { engine, log } = newEngine();
        const { engine: original, log: originalLog } = newEngine();
        const copyFile = COPY[dtype].replace('\\', '/');
        try {
          const info = await engine.load({ model: `inkling-test/successor-${dtype}`, dtype, device: 'cpu', threads: 1, cacheDir, remoteHost: hub.url }, (p) => progress.push(p));
          assert.equal(info.weightsFile, copyFile, log.join('\n'));
          assert.ok(progress.some((p) => p.status === 'preparing' && p.file === copyFile));
          assert.ok(existsSync(join(cacheDir, 'inkling-test', `successor-${dtype}`, COPY[dtype])));
          const fromOriginal = await original.load(localLoad(await successorFolder(dtype), { dtype: dtype as TestModelDtype }));
          assert.equal(fromOriginal.weightsFile, ORIGINAL[dtype].replace('\\', '/'), 'a folder of the user\'s own gets no copy');
          assert.match(originalLog.join('\n'), /takes no num_logits_to_keep .* a folder of your own runs as it is/);
          assert.doesNotMatch(log.join('\n'), /takes no num_logits_to_keep/);
          for (const prompt of ['abc', 'klm', 'vwx']) {
            const start = SUCCESSOR_ALPHABET.indexOf(prompt.at(-1)!) + 1;
            const text = (await engine.generate(request(prompt))).text;
            assert.equal(text, SUCCESSOR_ALPHABET.slice(start));
            assert.equal(text, (await original.generate(request(prompt))).text);
          }
        } finally {
          engine.dispose();
          original.dispose();
        }
      });
    }

    it('a download for another device than the CPU makes no copy', async () => {
      const cacheDir = scratch('inkling-tuned-gpu-');
      const folder = await ensureHubModel({ repo: 'inkling-test/successor-q4', dtype: 'q4', cacheDir, hubUrl: hub.url, onProgress: () => undefined });
      assert.ok(existsSync(join(folder, ORIGINAL.q4)));
      assert.ok(!existsSync(join(folder, COPY.q4)));
    });

    it('a copy that does not open is deleted and the original loaded', async () => {
      const folder = await successorFolder();
      await makeTunedCopy(folder, 'q4');
      // Same size, so the record still matches: only opening it shows the damage.
      const copy = join(folder, COPY.q4);
      writeFileSync(copy, Buffer.alloc(statSync(copy).size, 0xff));
      const { engine, log } = newEngine();
      try {
        const info = await engine.load(localLoad(folder, { dtype: 'q4' }));
        assert.equal(info.weightsFile, 'onnx/model_q4.onnx');
        assert.ok(!existsSync(copy) && !existsSync(`${copy}_data`));
        assert.match(log.join('\n'), /tuned copy .* did not open/);
        assert.equal((await engine.generate(request('abc'))).text, SUCCESSOR_ALPHABET.slice(3));
      } finally {
        engine.dispose();
      }
    });
  });
});
