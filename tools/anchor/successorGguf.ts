// The successor test model as a llama.cpp GGUF (architecture `qwen2`, float32): the same constructed
// weights and tokenizer as `npm run make-model -- --kind successor`, so llama.cpp's server writes the
// successor's known text. The README's llama.cpp server recipe is run against it (test/recipes/).
import { modelRecipe } from '../makeModel/recipes';
import { ENDOFTEXT } from '../makeModel/specialTokens';
import { elementCount, materialize } from '../makeModel/weightSource';
import type { WeightSource } from '../makeModel/weightSource';
import { tokenizerFromPlan, tokenizerMetadata } from './ggufTokenizer';
import { writeGguf } from './ggufWriter';
import type { GgufTensor } from './ggufWriter';
import { qwen2Metadata } from './qwen2Gguf';
import type { Qwen2Shape } from './qwen2Gguf';

/** Bump when the bytes written change, so cached copies are rebuilt. */
export const SUCCESSOR_GGUF_VERSION = 1;

function bytesOf(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** A tensor whose row-major layout already is ggml's (a vector, or [vocab, hidden] rows). */
function asIs(name: string, source: WeightSource, ggmlDims: readonly number[]): GgufTensor {
  if (elementCount(ggmlDims) !== elementCount(source.dims)) throw new Error(`${name}: ${ggmlDims} does not hold ${source.dims}`);
  return { name, dims: ggmlDims, type: 'F32', produce: (emit) => emit(bytesOf(materialize(source))) };
}

/**
 * A makeModel matrix is [in, out] row-major (x · W); ggml's dims [in, out] keep `in` contiguous, so
 * the rows it stores are the columns of W.
 */
function transposed(name: string, source: WeightSource): GgufTensor {
  const [rows, cols] = source.dims;
  return {
    name, dims: [rows, cols], type: 'F32',
    produce: (emit) => {
      const values = materialize(source);
      const out = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
      emit(bytesOf(out));
    },
  };
}

/** The successor's dimensions as llama.cpp's qwen2 loader reads them. */
function shape(): Qwen2Shape {
  const { dims, maxPositions } = modelRecipe('successor');
  const { layers, hidden, heads, kvHeads, intermediate, vocab, ropeTheta, rmsEps } = dims;
  return { layers, hidden, heads, kvHeads, intermediate, vocab, contextLength: maxPositions, ropeTheta, rmsEps };
}

/** The tensors in llama.cpp's qwen2 names; lm_head is untied, as in the ONNX successor. */
export function successorTensors(): GgufTensor[] {
  const { dims, weights, style } = modelRecipe('successor');
  if (style !== 'hub' || !weights.lmHead) throw new Error('The successor recipe changed: expected a [vocab, hidden] embedding and its own lm_head');
  const tensors: GgufTensor[] = [asIs('token_embd.weight', weights.embed, [dims.hidden, dims.vocab])];
  for (let i = 0; i < dims.layers; i++) {
    const w = weights.layer(i);
    const p = `blk.${i}.`;
    tensors.push(
      asIs(`${p}attn_norm.weight`, w.inputNorm, [dims.hidden]),
      transposed(`${p}attn_q.weight`, w.q), asIs(`${p}attn_q.bias`, w.qBias, w.qBias.dims),
      transposed(`${p}attn_k.weight`, w.k), asIs(`${p}attn_k.bias`, w.kBias, w.kBias.dims),
      transposed(`${p}attn_v.weight`, w.v), asIs(`${p}attn_v.bias`, w.vBias, w.vBias.dims),
      transposed(`${p}attn_output.weight`, w.o),
      asIs(`${p}ffn_norm.weight`, w.postNorm, [dims.hidden]),
      transposed(`${p}ffn_gate.weight`, w.gate),
      transposed(`${p}ffn_up.weight`, w.up),
      transposed(`${p}ffn_down.weight`, w.down),
    );
  }
  tensors.push(asIs('output_norm.weight', weights.finalNorm, [dims.hidden]), transposed('output.weight', weights.lmHead));
  return tensors;
}

export function writeSuccessorGguf(path: string): void {
  const { plan, dims } = modelRecipe('successor');
  const tokenizer = tokenizerFromPlan(plan, dims.vocab, { bos: ENDOFTEXT, eos: ENDOFTEXT, pad: ENDOFTEXT });
  writeGguf(path, { metadata: [...qwen2Metadata(shape(), 'F32', 'inkling-successor'), ...tokenizerMetadata(tokenizer)], tensors: successorTensors() });
}
