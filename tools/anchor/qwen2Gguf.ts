// A Qwen2 model as llama.cpp names and shapes it (architecture `qwen2`): the metadata keys its
// loader reads and the tensor list, with random weights. The embedding is tied (no output.weight),
// as in Qwen2.5-Coder-0.5B, so llama.cpp reuses token_embd as the output layer like Inkling does.
import { FILE_TYPE, f32, str, u32 } from './ggufFormat';
import type { GgmlType, GgufMetadata } from './ggufFormat';
import type { GgufTensor } from './ggufWriter';
import { randomTensorBytes } from './randomBlocks';

export interface Qwen2Shape {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  intermediate: number;
  vocab: number;
  contextLength: number;
  ropeTheta: number;
  rmsEps: number;
}

/** Qwen2.5-Coder-0.5B's dimensions, the same as Inkling's `bench` test model. */
export const QWEN25_CODER_05B: Qwen2Shape = {
  layers: 24, hidden: 896, heads: 14, kvHeads: 2, intermediate: 4864, vocab: 151936, contextLength: 32768, ropeTheta: 1e6, rmsEps: 1e-6,
};

export type WeightType = Extract<GgmlType, 'Q8_0' | 'Q4_0' | 'F16'>;

export function qwen2Metadata(shape: Qwen2Shape, type: GgmlType, name: string): GgufMetadata {
  return [
    ['general.architecture', str('qwen2')],
    ['general.name', str(name)],
    ['general.file_type', u32(FILE_TYPE[type])],
    ['qwen2.context_length', u32(shape.contextLength)],
    ['qwen2.embedding_length', u32(shape.hidden)],
    ['qwen2.block_count', u32(shape.layers)],
    ['qwen2.feed_forward_length', u32(shape.intermediate)],
    ['qwen2.attention.head_count', u32(shape.heads)],
    ['qwen2.attention.head_count_kv', u32(shape.kvHeads)],
    ['qwen2.rope.freq_base', f32(shape.ropeTheta)],
    ['qwen2.attention.layer_norm_rms_epsilon', f32(shape.rmsEps)],
  ];
}

function ones(name: string, size: number): GgufTensor {
  return {
    name, dims: [size], type: 'F32',
    produce: (emit) => {
      const values = new Float32Array(size).fill(1);
      emit(new Uint8Array(values.buffer));
    },
  };
}

/**
 * llama-quantize gives a tied embedding (it is also the output layer) Q6_K, which rows of 896 cannot
 * hold, so it falls back to Q8_0; Inkling's q4 export keeps that table in int8 too.
 */
export function embeddingType(type: WeightType): GgmlType {
  return type === 'Q4_0' ? 'Q8_0' : type;
}

/**
 * The tensors in llama.cpp's order. Matrices are [in, out] in ggml order (rows of `in` values);
 * norms and biases stay F32 as llama.cpp's converters leave them.
 */
export function qwen2Tensors(shape: Qwen2Shape, type: WeightType, seed: number): GgufTensor[] {
  const random = (name: string, dims: number[], t: GgmlType = type): GgufTensor => ({
    name, dims, type: t, produce: randomTensorBytes(t, dims.reduce((a, b) => a * b, 1), seed, name),
  });
  const headDim = shape.hidden / shape.heads;
  const kv = shape.kvHeads * headDim;
  const tensors: GgufTensor[] = [random('token_embd.weight', [shape.hidden, shape.vocab], embeddingType(type))];
  for (let i = 0; i < shape.layers; i++) {
    const p = `blk.${i}.`;
    tensors.push(
      ones(`${p}attn_norm.weight`, shape.hidden),
      random(`${p}attn_q.weight`, [shape.hidden, shape.hidden]), random(`${p}attn_q.bias`, [shape.hidden], 'F32'),
      random(`${p}attn_k.weight`, [shape.hidden, kv]), random(`${p}attn_k.bias`, [kv], 'F32'),
      random(`${p}attn_v.weight`, [shape.hidden, kv]), random(`${p}attn_v.bias`, [kv], 'F32'),
      random(`${p}attn_output.weight`, [shape.hidden, shape.hidden]),
      ones(`${p}ffn_norm.weight`, shape.hidden),
      random(`${p}ffn_gate.weight`, [shape.hidden, shape.intermediate]),
      random(`${p}ffn_up.weight`, [shape.hidden, shape.intermediate]),
      random(`${p}ffn_down.weight`, [shape.intermediate, shape.hidden]),
    );
  }
  tensors.push(ones('output_norm.weight', shape.hidden));
  return tensors;
}
