// Emits y = x·W (+ b) the way each dtype's real exports do: MatMul (fp32), DynamicQuantizeLinear +
// MatMulInteger (q8), com.microsoft MatMulNBits (q4). Also the embedding table shared with lm_head.
import { attr } from './graphBuilder';
import type { GraphBuilder } from './graphBuilder';
import { DataType } from './onnxProto';
import { checkMatrix, int8Scale, packQ4, Q4_BLOCK, writeBytes, writeFloat32, writeInt8 } from './quantize';
import type { WeightSource } from './weightSource';

export type WeightDtype = 'fp32' | 'q8' | 'q4';

// MatMulNBits may compute in int8 after quantizing A on the fly (accuracy level 4): the fast path
// on AVX2 CPUs, and what int4 exports for CPU usually ask for.
const Q4_ACCURACY_LEVEL = 4;

/** An int8 [K, N] table with one scale, usable by both Gather (embedding) and q8 matmul (lm_head). */
export interface Int8Table {
  name: string;
  scale: string;
}

export class LinearOps {
  // Several projections read the same activation (q/k/v, gate/up): quantize it once.
  private readonly quantized = new Map<string, [string, string, string]>();

  constructor(private readonly g: GraphBuilder, readonly dtype: WeightDtype) {}

  linear(x: string, name: string, w: WeightSource, bias?: WeightSource): string {
    const [k, n] = checkMatrix(w);
    let y: string;
    if (this.dtype === 'fp32') {
      y = this.g.one('MatMul', [x, this.g.weight(`${name}.weight`, DataType.float, [k, n], writeFloat32(w))]);
    } else if (this.dtype === 'q8') {
      y = this.int8MatMul(x, this.int8Table(`${name}.weight`, w));
    } else {
      const packed = packQ4(w);
      const blob = this.g.weight(`${name}.weight_q4`, DataType.uint8, [n, packed.blocks, Q4_BLOCK / 2], writeBytes(packed.blob));
      const scales = this.g.weight(`${name}.weight_scales`, DataType.float, [n * packed.blocks], writeBytes(packed.scales));
      y = this.g.one('MatMulNBits', [x, blob, scales], {
        K: attr.int(k), N: attr.int(n), bits: attr.int(4), block_size: attr.int(Q4_BLOCK), accuracy_level: attr.int(Q4_ACCURACY_LEVEL),
      }, { domain: 'com.microsoft' });
    }
    if (!bias) return y;
    return this.g.one('Add', [y, this.g.weight(`${name}.bias`, DataType.float, bias.dims, writeFloat32(bias))]);
  }

  int8Table(name: string, w: WeightSource): Int8Table {
    const dims = checkMatrix(w);
    return { name: this.g.weight(name, DataType.int8, dims, writeInt8(w)), scale: this.g.float32s([int8Scale(w)], []) };
  }

  /** x [.., K] · table [K, N] with x quantized per call to uint8 (ORT's dynamic quantization pattern). */
  int8MatMul(x: string, table: Int8Table): string {
    let q = this.quantized.get(x);
    if (!q) {
      const [xq, xScale, xZero] = this.g.op('DynamicQuantizeLinear', [x], undefined, { outputs: 3 });
      q = [xq, xScale, xZero];
      this.quantized.set(x, q);
    }
    const [xq, xScale, xZero] = q;
    const acc = this.g.one('MatMulInteger', [xq, table.name, xZero]);
    const scale = this.g.one('Mul', [xScale, table.scale]);
    return this.g.one('Mul', [this.g.one('Cast', [acc], { to: attr.int(DataType.float) }), scale]);
  }

  /**
   * The token table is stored as [hidden, vocab] (lm_head's layout) so one initializer serves both
   * lookups (Gather along axis 1) and logits (matmul): a tied model keeps a single copy.
   */
  embeddingTable(name: string, w: WeightSource): EmbeddingTable {
    if (this.dtype === 'fp32') {
      return { kind: 'float', name: this.g.weight(name, DataType.float, checkMatrix(w), writeFloat32(w)) };
    }
    return { kind: 'int8', table: this.int8Table(name, w) };
  }

  /** input_ids [B, S] → [B, S, hidden]. */
  lookup(table: EmbeddingTable, ids: string): string {
    const source = table.kind === 'float' ? table.name : table.table.name;
    const gathered = this.g.one('Gather', [source, ids], { axis: attr.int(1) });
    const asFloat = table.kind === 'float' ? gathered : this.g.one('Cast', [gathered], { to: attr.int(DataType.float) });
    const rows = this.g.one('Transpose', [asFloat], { perm: attr.ints([1, 2, 0]) });
    return table.kind === 'float' ? rows : this.g.one('Mul', [rows, table.table.scale]);
  }

  /** hidden [.., hidden] → logits [.., vocab]. */
  logits(table: EmbeddingTable, hidden: string, outputName: string): string {
    if (table.kind === 'float') return this.g.one('MatMul', [hidden, table.name], undefined, { outputs: [outputName] });
    const y = this.int8MatMul(hidden, table.table);
    return this.g.one('Identity', [y], undefined, { outputs: [outputName] });
  }
}

export type EmbeddingTable = { kind: 'float'; name: string } | { kind: 'int8'; table: Int8Table };
