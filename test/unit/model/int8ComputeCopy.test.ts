// The int8-compute copy of a q4 model: the rewrite itself (read back node by node), the cache's
// rules for it (made once, remade when the original changes, never half-written), and the real
// model process loading it — from a hub download — and writing the same greedy text as the original.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadProgress } from '../../../src/model/protocol';
import { planAccuracyLevel, writePlanned } from '../../../src/model/process/int8Compute/accuracyLevel';
import { OnnxFormatError } from '../../../src/model/process/int8Compute/onnxFields';
import { ensureHubModel } from '../../../src/model/process/download/hubModel';
import { makeInt8ComputeCopy, usableInt8ComputeCopy } from '../../../src/model/process/int8Compute/int8ComputeCopy';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { readOnnx } from '../../../tools/makeModel/test/readOnnx';
import { SUCCESSOR_ALPHABET } from '../../../tools/makeModel/successorScript';
import { startHub, type HubServer } from '../../support/hubServer';
import { mountTinyDisk } from '../../support/tinyDisk';
import { localLoad, newEngine, request } from './engineFixture';

const COPY = join('onnx', 'model-int8-compute_q4.onnx');

describe('the int8-compute copy of a q4 model', function () {
  this.timeout(60000);
  const made: string[] = [];
  const scratch = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  /** A folder of our own holding the successor model at q4 (the hub's style: no accuracy_level). */
  const successorFolder = async () => {
    const folder = scratch('inkling-int8-');
    cpSync(await ensureTestModel('successor', 'q4'), folder, { recursive: true });
    return folder;
  };
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('sets accuracy level 4 on every MatMulNBits node and leaves every other node and weight as it was', async () => {
    const source = join(await ensureTestModel('successor', 'q4'), 'onnx', 'model_q4.onnx');
    const target = join(scratch('inkling-int8-'), 'copy.onnx');
    const plan = await planAccuracyLevel(source);
    await writePlanned(source, target, plan);
    const before = readOnnx(source);
    const after = readOnnx(target);
    const nbits = before.nodes.filter((n) => n.opType === 'MatMulNBits').length;
    assert.ok(nbits > 0);
    assert.equal(plan.nodes, nbits);
    assert.equal(statSync(target).size, plan.size);
    assert.equal(after.nodes.length, before.nodes.length);
    after.nodes.forEach((node, i) => {
      const old = before.nodes[i]!;
      assert.equal(node.opType, old.opType);
      assert.deepEqual(node.inputs, old.inputs);
      const expected = old.opType === 'MatMulNBits' ? { ...old.attributes, accuracy_level: 4 } : old.attributes;
      assert.deepEqual(node.attributes, expected, `node ${i} (${old.opType})`);
    });
    assert.deepEqual([...after.initializers.values()], [...before.initializers.values()]);
    assert.equal(after.graphRecords, before.graphRecords);
  });

  it('plans nothing for a model whose products already say their level, or have none', async () => {
    const compact = await planAccuracyLevel(join(await ensureTestModel('random', 'q4'), 'onnx', 'model_q4.onnx'));
    assert.ok(readOnnx(join(await ensureTestModel('random', 'q4'), 'onnx', 'model_q4.onnx')).nodes.some((n) => n.opType === 'MatMulNBits' && n.attributes.accuracy_level === 4));
    assert.equal(compact.nodes, 0);
    assert.equal((await planAccuracyLevel(join(await ensureTestModel('successor', 'q8'), 'onnx', 'model_quantized.onnx'))).nodes, 0);
  });

  it('calls a cut-short model file damaged', async () => {
    const folder = await successorFolder();
    const source = join(folder, 'onnx', 'model_q4.onnx');
    truncateSync(source, Math.floor(statSync(source).size / 2));
    await assert.rejects(planAccuracyLevel(source), OnnxFormatError);
  });

  it('gives up quickly on a hostile file of millions of tiny fields', async () => {
    const source = join(scratch('inkling-int8-'), 'model_q4.onnx');
    // Field 1 (ir_version) as a varint, two bytes a field, two million times.
    writeFileSync(source, Buffer.alloc(4_000_000).fill(Buffer.from([0x08, 0x01])));
    const started = performance.now();
    await assert.rejects(planAccuracyLevel(source), /more than 1000000 fields/);
    assert.ok(performance.now() - started < 20000);
  });

  it('is made once, remade when the original changes, and leaves a damaged original alone with a note', async () => {
    const folder = await successorFolder();
    const log: string[] = [];
    const preparing: string[] = [];
    const control = { log: (m: string) => log.push(m), onPreparing: (f: string) => preparing.push(f) };
    assert.equal(await usableInt8ComputeCopy(folder, 'q4'), undefined);
    await makeInt8ComputeCopy(folder, 'q4', control);
    assert.deepEqual(await usableInt8ComputeCopy(folder, 'q4'), { modelFileName: 'model-int8-compute', file: 'onnx/model-int8-compute_q4.onnx' });
    assert.deepEqual(preparing, ['onnx/model-int8-compute_q4.onnx']);
    const firstMade = statSync(join(folder, COPY)).mtimeMs;

    await makeInt8ComputeCopy(folder, 'q4', control);
    assert.equal(preparing.length, 1, 'made again although the original did not change');
    assert.equal(statSync(join(folder, COPY)).mtimeMs, firstMade);
    assert.equal(await usableInt8ComputeCopy(folder, 'q8'), undefined, 'only q4 has a copy');

    // A new original (another download): the copy no longer describes it, and is made again.
    const source = join(folder, 'onnx', 'model_q4.onnx');
    utimesSync(source, new Date(), new Date(Date.now() + 5000));
    assert.equal(await usableInt8ComputeCopy(folder, 'q4'), undefined);
    await makeInt8ComputeCopy(folder, 'q4', control);
    assert.equal(preparing.length, 2);
    assert.ok(await usableInt8ComputeCopy(folder, 'q4'));

    // A damaged original: no copy, no leftovers, the original untouched, a note in the log.
    const damaged = readFileSync(source).subarray(0, 1000);
    writeFileSync(source, damaged);
    await makeInt8ComputeCopy(folder, 'q4', control);
    assert.equal(await usableInt8ComputeCopy(folder, 'q4'), undefined);
    assert.deepEqual(readFileSync(source), damaged);
    assert.deepEqual(readdirSync(join(folder, 'onnx')).filter((f) => f.includes('inkling-tmp')), []);
    assert.match(log.at(-1)!, /Could not make the int8-compute copy .*computes in float/);
  });

  it('is not made where the disk has no room for it, and says so', async function () {
    const source = join(await ensureTestModel('successor', 'q4'), 'onnx', 'model_q4.onnx');
    const disk = mountTinyDisk(Math.ceil((statSync(source).size * 1.5) / 1024));
    if (!disk) this.skip();
    try {
      const folder = join(disk!.path, 'model');
      cpSync(await ensureTestModel('successor', 'q4'), folder, { recursive: true });
      const log: string[] = [];
      await makeInt8ComputeCopy(folder, 'q4', { log: (m) => log.push(m) });
      assert.equal(await usableInt8ComputeCopy(folder, 'q4'), undefined);
      assert.ok(!existsSync(join(folder, COPY)));
      assert.match(log.join('\n'), /Not making the int8-compute copy .* needs \d+ MB and the disk has \d+ MB free/);
    } finally {
      disk!.unmount();
    }
  });

  describe('in the model process', () => {
    let hub: HubServer;
    before(async () => {
      hub = await startHub({ 'inkling-test/successor': await ensureTestModel('successor', 'q4') });
    });
    after(async () => {
      await hub.close();
    });

    it('a q4 download gets the copy, loads from it and writes what the original writes', async () => {
      const cacheDir = scratch('inkling-int8-hub-');
      const progress: LoadProgress[] = [];
      const { engine, log } = newEngine();
      const original = newEngine().engine;
      try {
        const info = await engine.load({ model: 'inkling-test/successor', dtype: 'q4', device: 'cpu', threads: 1, cacheDir, remoteHost: hub.url }, (p) => progress.push(p));
        assert.equal(info.weightsFile, 'onnx/model-int8-compute_q4.onnx', log.join('\n'));
        assert.ok(progress.some((p) => p.status === 'preparing' && p.file === 'onnx/model-int8-compute_q4.onnx'));
        assert.ok(existsSync(join(cacheDir, 'inkling-test', 'successor', COPY)));
        const fromOriginal = await original.load(localLoad(await successorFolder(), { dtype: 'q4' }));
        assert.equal(fromOriginal.weightsFile, 'onnx/model_q4.onnx', 'a folder of the user\'s own gets no copy');
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

    it('a download for another device than the CPU makes no copy', async () => {
      const cacheDir = scratch('inkling-int8-gpu-');
      const folder = await ensureHubModel({ repo: 'inkling-test/successor', dtype: 'q4', cacheDir, hubUrl: hub.url, onProgress: () => undefined });
      assert.ok(existsSync(join(folder, 'onnx', 'model_q4.onnx')));
      assert.ok(!existsSync(join(folder, COPY)));
    });

    it('a copy that does not open is deleted and the original loaded', async () => {
      const folder = await successorFolder();
      await makeInt8ComputeCopy(folder, 'q4');
      // Same size, so the record still matches: only opening it shows the damage.
      const copy = join(folder, COPY);
      writeFileSync(copy, Buffer.alloc(statSync(copy).size, 0xff));
      const { engine, log } = newEngine();
      try {
        const info = await engine.load(localLoad(folder, { dtype: 'q4' }));
        assert.equal(info.weightsFile, 'onnx/model_q4.onnx');
        assert.ok(!existsSync(copy));
        assert.match(log.join('\n'), /int8-compute copy .* did not open/);
        assert.equal((await engine.generate(request('abc'))).text, SUCCESSOR_ALPHABET.slice(3));
      } finally {
        engine.dispose();
      }
    });
  });
});
