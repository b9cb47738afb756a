// The model's matrix products and nothing else a step does: graphs for the product floor
// (productFloor.ts). Each layer's seven products, chained by the least glue that keeps their order
// (q, k and v feed o; gate and up feed down), or the output layer alone. The weights are random
// bytes: the kernels' speed does not depend on the values.
import { attr, GraphBuilder } from '../makeModel/graphBuilder';
import { DataType, encodeModel } from '../makeModel/onnxProto';
import { ModelFileSink } from '../makeModel/tensorSink';

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

const BLOCK = 32;
const INT8_COMPUTE = 4;

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

class ProductWriter {
  bytes = 0;
  private count = 0;
  /** The hub's q8 quantizes an activation once for every product that reads it. */
  private readonly quantized = new Map<string, string[]>();

  constructor(private readonly g: GraphBuilder, private readonly kind: ProductKind) {}

  product(x: string, k: number, n: number): string {
    const id = ++this.count;
    if (this.kind === 'int8') {
      let q = this.quantized.get(x);
      if (!q) {
        q = this.g.op('DynamicQuantizeLinear', [x], undefined, { outputs: 3 });
        this.quantized.set(x, q);
      }
      const weight = this.weight(`w${id}`, DataType.int8, [k, n]);
      // A scale of its own value, as real weights have (equal ones would be merged, and not fused).
      const scale = this.g.weight(`w${id}_scale`, DataType.float, [], (emit) => emit(new Uint8Array(Float32Array.of(1e-3 * (1 + id * 2 ** -20)).buffer)));
      const sum = this.g.one('Cast', [this.g.one('MatMulInteger', [q[0], weight, q[2]])], { to: attr.int(DataType.float) });
      return this.g.one('Mul', [sum, this.g.one('Mul', [q[1], scale])]);
    }
    const bits = this.kind === 'q4' ? 4 : 8;
    const blocks = Math.ceil(k / BLOCK);
    const blob = this.weight(`w${id}`, DataType.uint8, [n, blocks, (BLOCK * bits) / 8]);
    const scales = this.g.weight(`w${id}_scales`, DataType.float, [n * blocks], (emit) => emit(new Uint8Array(new Float32Array(n * blocks).fill(1e-3).buffer)));
    this.bytes += n * blocks * 4;
    const attributes = { K: attr.int(k), N: attr.int(n), bits: attr.int(bits), block_size: attr.int(BLOCK), accuracy_level: attr.int(INT8_COMPUTE) };
    return this.g.one('MatMulNBits', [x, blob, scales], attributes, { domain: 'com.microsoft' });
  }

  private weight(name: string, dataType: typeof DataType.int8 | typeof DataType.uint8, dims: number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    this.bytes += size;
    return this.g.weight(name, dataType, dims, (emit) => emit(randomBytes(size, this.count)));
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
