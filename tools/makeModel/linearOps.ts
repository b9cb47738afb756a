// Emits y = x·W (+ b) the way each dtype's real exports do: MatMul (fp32), DynamicQuantizeLinear +
// MatMulInteger (q8), com.microsoft MatMulNBits (q4). Also the token embedding and lm_head, in one
// of two styles:
// - compact: one [hidden, vocab] table serves both (tied), int8 in q8 and q4; read with Gather(axis=1).
// - hub: as Optimum + transformers.js' quantize script export Qwen2.5 (onnx-community's files): the
//   embedding [vocab, hidden] and lm_head [hidden, vocab] are separate tensors; lm_head is an ordinary
//   linear (so 4-bit in q4), the embedding is float except in q8, where it is int8 behind
//   DequantizeLinear; MatMulNBits carries no accuracy_level (the quantize script's default); the graph
//   has no num_logits_to_keep input (Optimum does not export one), so logits cover every position.
import { attr } from './graphBuilder';
import type { GraphBuilder } from './graphBuilder';
import { DataType } from './onnxProto';
import type { Attribute } from './onnxProto';
import { checkMatrix, int8Scale, Q4_BLOCK, Q4Packer, writeFloat32, writeInt8 } from './quantize';
import type { WeightSource } from './weightSource';

export type WeightDtype = 'fp32' | 'q8' | 'q4';
export type ExportStyle = 'compact' | 'hub';

// MatMulNBits may compute in int8 after quantizing A on the fly (accuracy level 4): the fast path
// on AVX2 CPUs, and what int4 exports for CPU usually ask for. The compact style uses it.
const Q4_ACCURACY_LEVEL = 4;

/** An int8 [K, N] table with one scale, usable by both Gather (embedding) and q8 matmul (lm_head). */
export interface Int8Table {
  name: string;
  scale: string;
}

export class LinearOps {
  // Several projections read the same activation (q/k/v, gate/up): quantize it once.
  private readonly quantized = new Map<string, [string, string, string]>();
  private tables = 0;

  constructor(private readonly g: GraphBuilder, readonly dtype: WeightDtype, readonly style: ExportStyle = 'compact') {}

  linear(x: string, name: string, w: WeightSource, bias?: WeightSource): string {
    const [k, n] = checkMatrix(w);
    let y: string;
    if (this.dtype === 'fp32') {
      y = this.g.one('MatMul', [x, this.g.weight(`${name}.weight`, DataType.float, [k, n], writeFloat32(w))]);
    } else if (this.dtype === 'q8') {
      y = this.int8MatMul(x, this.int8Table(`${name}.weight`, w));
    } else {
      const packer = new Q4Packer(w);
      const blob = this.g.weight(`${name}.weight_q4`, DataType.uint8, [n, packer.blocks, Q4_BLOCK / 2], packer.writeBlob);
      const scales = this.g.weight(`${name}.weight_scales`, DataType.float, [n * packer.blocks], packer.writeScales);
      const attributes: Record<string, Attribute> = { K: attr.int(k), N: attr.int(n), bits: attr.int(4), block_size: attr.int(Q4_BLOCK) };
      if (this.style === 'compact') attributes.accuracy_level = attr.int(Q4_ACCURACY_LEVEL);
      y = this.g.one('MatMulNBits', [x, blob, scales], attributes, { domain: 'com.microsoft' });
    }
    if (!bias) return y;
    return this.g.one('Add', [y, this.g.weight(`${name}.bias`, DataType.float, bias.dims, writeFloat32(bias))]);
  }

  int8Table(name: string, w: WeightSource): Int8Table {
    const dims = checkMatrix(w);
    // Its own scale, as the hub's quantizer writes it, and one of its own value, as real weights have:
    // onnxruntime merges products' scale multiplications whose scales are equal in value (random
    // weights of one shape share a bound), and a merged one blocks their fusion into
    // MatMulIntegerToFloat. A 2^-20 step per table changes no weight by a quantization step.
    const scale = Float32Array.of(int8Scale(w) * (1 + ++this.tables * 2 ** -20));
    return {
      name: this.g.weight(name, DataType.int8, dims, writeInt8(w)),
      scale: this.g.weight(`${name}_scale`, DataType.float, [], (emit) => emit(new Uint8Array(scale.buffer))),
    };
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
   * Compact style: the token table is stored as [hidden, vocab] (lm_head's layout) so one
   * initializer serves both lookups (Gather along axis 1) and logits (matmul): a tied model keeps a
   * single copy.
   */
  embeddingTable(name: string, w: WeightSource): EmbeddingTable {
    if (this.dtype === 'fp32') {
      return { kind: 'float', name: this.g.weight(name, DataType.float, checkMatrix(w), writeFloat32(w)) };
    }
    return { kind: 'int8', table: this.int8Table(name, w) };
  }

  /** Compact style: input_ids [B, S] → [B, S, hidden]. */
  lookup(table: EmbeddingTable, ids: string): string {
    const source = table.kind === 'float' ? table.name : table.table.name;
    const gathered = this.g.one('Gather', [source, ids], { axis: attr.int(1) });
    const asFloat = table.kind === 'float' ? gathered : this.g.one('Cast', [gathered], { to: attr.int(DataType.float) });
    const rows = this.g.one('Transpose', [asFloat], { perm: attr.ints([1, 2, 0]) });
    return table.kind === 'float' ? rows : this.g.one('Mul', [rows, table.table.scale]);
  }

  /** Compact style: hidden [.., hidden] → logits [.., vocab]. */
  logits(table: EmbeddingTable, hidden: string, outputName: string): string {
    if (table.kind === 'float') return this.g.one('MatMul', [hidden, table.name], undefined, { outputs: [outputName] });
    const y = this.int8MatMul(hidden, table.table);
    return this.g.one('Identity', [y], undefined, { outputs: [outputName] });
  }

  /** Hub style: the [vocab, hidden] embedding read with Gather(axis=0); int8 + DequantizeLinear in q8, float otherwise. */
  hubEmbedding(name: string, w: WeightSource, ids: string): string {
    const dims = checkMatrix(w);
    if (this.dtype !== 'q8') return this.g.one('Gather', [this.g.weight(name, DataType.float, dims, writeFloat32(w)), ids], { axis: attr.int(0) });
    const table = this.g.weight(`${name}_quantized`, DataType.int8, dims, writeInt8(w));
    const gathered = this.g.one('Gather', [table, ids], { axis: attr.int(0) });
    const zero = this.g.int8s([0], true);
    return this.g.one('DequantizeLinear', [gathered, this.g.float32s([int8Scale(w)], []), zero]);
  }
}

export type EmbeddingTable = { kind: 'float'; name: string } | { kind: 'int8'; table: Int8Table };
