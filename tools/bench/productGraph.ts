// The model's matrix products and nothing else a step does: graphs for the product floor
// (productFloor.ts). Each layer's seven products, chained by the least glue that keeps their order
// (q, k and v feed o; gate and up feed down), or the output layer alone. The weights are random
// values: the kernels' speed does not depend on them.
import { INT8_ACCURACY_LEVEL } from '../../src/model/process/tunedCopy/accuracyLevel';
import { attr, GraphBuilder } from '../makeModel/graphBuilder';
import { LinearOps } from '../makeModel/linearOps';
import { DataType, encodeModel } from '../makeModel/onnxProto';
import { Q4_BLOCK } from '../makeModel/quantize';
import { ModelFileSink } from '../makeModel/tensorSink';
import { randomUniform } from '../makeModel/weightSource';

/**
 * How a product is stored and computed: `int8` as the hub's q8 (activations quantized per call,
 * MatMulInteger, which onnxruntime fuses), `q4` as the tuned copy of its q4 (4-bit blocks of 32,
 * int8 compute), `nbits8` as 8-bit blocks of 32 with int8 compute (an alternative for q8).
 */
export type ProductKind = 'int8' | 'q4' | 'nbits8';
export const PRODUCT_KINDS: readonly ProductKind[] = ['int8', 'q4', 'nbits8'];

export interface ProductShape {
  layers: number;
  hidden: number;
  /** Key and value width: KV heads × head size. */
  kvWidth: number;
  intermediate: number;
  vocab: number;
}

export type ProductPart = 'layers' | 'head';

/** Random weights in [-bound, bound): the kernels' speed does not depend on the values. */
const WEIGHT_BOUND = 0.05;

/** Writes the graph to `path`; its input is `x` [1, positions, hidden], its output `y`. Returns the weight bytes. */
export function writeProductGraph(path: string, kind: ProductKind, part: ProductPart, shape: ProductShape): number {
  const sink = new ModelFileSink(path);
  const g = new GraphBuilder(sink);
  const products = new ProductWriter(g, kind);
  let x = g.input('x', DataType.float, [1, 'positions', shape.hidden]);
  if (part === 'head') {
    x = products.product(x, shape.hidden, shape.vocab);
  } else {
    for (let layer = 0; layer < shape.layers; layer++) {
      const q = products.product(x, shape.hidden, shape.hidden);
      const k = products.product(x, shape.hidden, shape.kvWidth);
      const v = products.product(x, shape.hidden, shape.kvWidth);
      const mean = (t: string) => g.one('ReduceMean', [t], { axes: attr.ints([-1]) });
      x = g.one('Add', [x, products.product(g.one('Mul', [q, g.one('Add', [mean(k), mean(v)])]), shape.hidden, shape.hidden)]);
      const gated = g.one('Mul', [g.one('Sigmoid', [products.product(x, shape.hidden, shape.intermediate)]), products.product(x, shape.hidden, shape.intermediate)]);
      x = g.one('Add', [x, products.product(gated, shape.intermediate, shape.hidden)]);
    }
  }
  g.one('Identity', [x], undefined, { outputs: ['y'] });
  g.output('y', DataType.float, [1, 'positions', part === 'head' ? shape.vocab : shape.hidden]);
  sink.finish(encodeModel(g.build('products', { '': 13, 'com.microsoft': 1 }, 'inkling product floor')));
  return products.bytes;
}

/**
 * The products themselves: int8 and q4 as the model maker writes them (LinearOps: the hub's q8, the
 * compact style's 4-bit products with int8 compute), 8-bit blocks here, the one form it has not.
 */
class ProductWriter {
  bytes = 0;
  private count = 0;
  private readonly ops: LinearOps | undefined;

  constructor(private readonly g: GraphBuilder, private readonly kind: ProductKind) {
    this.ops = kind === 'nbits8' ? undefined : new LinearOps(g, kind === 'int8' ? 'q8' : 'q4', 'compact');
  }

  product(x: string, k: number, n: number): string {
    const name = `w${++this.count}`;
    const blocks = Math.ceil(k / Q4_BLOCK);
    if (this.ops) {
      this.bytes += this.kind === 'int8' ? k * n : n * blocks * (Q4_BLOCK / 2 + 4);
      return this.ops.linear(x, name, randomUniform(this.count, name, [k, n], WEIGHT_BOUND));
    }
    // Blocks of 32 as the q4 ones, a byte a weight.
    this.bytes += n * blocks * (Q4_BLOCK + 4);
    const blob = this.g.weight(name, DataType.uint8, [n, blocks, Q4_BLOCK], (emit) => emit(randomBytes(n * blocks * Q4_BLOCK, this.count)));
    const scales = this.g.weight(`${name}_scales`, DataType.float, [n * blocks], (emit) => emit(new Uint8Array(new Float32Array(n * blocks).fill(1e-3).buffer)));
    const attributes = { K: attr.int(k), N: attr.int(n), bits: attr.int(8), block_size: attr.int(Q4_BLOCK), accuracy_level: attr.int(INT8_ACCURACY_LEVEL) };
    return this.g.one('MatMulNBits', [x, blob, scales], attributes, { domain: 'com.microsoft' });
  }
}

/** Cheap deterministic bytes (xorshift): no two products alike, nothing a kernel could skip. */
function randomBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    bytes[i] = s & 0xff;
  }
  return bytes;
}
