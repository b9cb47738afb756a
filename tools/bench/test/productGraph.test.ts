import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readOnnx, readOptimized } from '../../makeModel/test/readOnnx';
import { PRODUCT_KINDS, writeProductGraph, type ProductShape } from '../productGraph';

const SHAPE: ProductShape = { layers: 2, hidden: 64, kvWidth: 32, intermediate: 128, vocab: 96 };
const PER_LAYER = 64 * 64 * 2 + 64 * 32 * 2 + 64 * 128 * 3;

describe('product floor graphs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkling-products-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const kind of PRODUCT_KINDS) {
    it(`${kind}: seven products a layer and the output layer alone, run by onnxruntime, weights counted`, async () => {
      const layers = join(dir, 'layers.onnx');
      const head = join(dir, 'head.onnx');
      const layerBytes = writeProductGraph(layers, kind, 'layers', SHAPE);
      const headBytes = writeProductGraph(head, kind, 'head', SHAPE);
      const op = kind === 'int8' ? 'MatMulInteger' : 'MatMulNBits';
      assert.equal(readOnnx(layers).nodes.filter((n) => n.opType === op).length, 7 * SHAPE.layers);
      assert.equal(readOnnx(head).nodes.filter((n) => n.opType === op).length, 1);
      // int8 stores a byte a weight; 4-bit blocks half of that, each with a float scale per 32.
      const perWeight = { int8: 1, q4: 0.5 + 4 / 32, nbits8: 1 + 4 / 32 }[kind];
      assert.equal(layerBytes, SHAPE.layers * PER_LAYER * perWeight);
      assert.equal(headBytes, 64 * 96 * perWeight);
      assert.ok(statSync(layers).size >= layerBytes);
      for (const [file, width] of [[layers, SHAPE.hidden], [head, SHAPE.vocab]] as const) {
        const session = await ort.InferenceSession.create(file);
        const { y } = await session.run({ x: new ort.Tensor('float32', new Float32Array(3 * 64).fill(0.25), [1, 3, 64]) });
        await session.release();
        assert.deepEqual(y!.dims, [1, 3, width]);
        assert.ok((y!.data as Float32Array).every(Number.isFinite));
      }
    });
  }

  it('int8: onnxruntime fuses every product, as it does the hub\'s q8 (each scale its own)', async () => {
    const layers = join(dir, 'layers.onnx');
    writeProductGraph(layers, 'int8', 'layers', SHAPE);
    assert.equal((await readOptimized(layers)).nodes.filter((n) => n.opType === 'MatMulInteger').length, 0);
  });
});
