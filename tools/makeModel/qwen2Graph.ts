// The whole Qwen2ForCausalLM decoder with a KV cache, in the input/output layout transformers.js
// feeds a qwen2 model: input_ids, attention_mask, position_ids, past_key_values.N.key/value (and,
// in the compact style, num_logits_to_keep) in; logits and present.N.key/value out.
import { GraphBuilder } from './graphBuilder';
import { LinearOps } from './linearOps';
import type { ExportStyle, WeightDtype } from './linearOps';
import { DataType, encodeModel } from './onnxProto';
import { attention, attentionMask, rmsNorm, rotary, swiGlu } from './qwen2Blocks';
import type { LayerWeights } from './qwen2Blocks';
import type { TensorSink } from './tensorSink';
import type { WeightSource } from './weightSource';

export interface Qwen2Dims {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  vocab: number;
  ropeTheta: number;
  rmsEps: number;
}

export interface Qwen2Weights {
  /** The input embedding: [hidden, vocab] (lm_head's layout) in the compact style, [vocab, hidden] in the hub style. */
  embed: WeightSource;
  /** [hidden, vocab]; absent when the embedding is tied to lm_head (compact style only). */
  lmHead?: WeightSource;
  finalNorm: WeightSource;
  /** Asked for one layer at a time, so big models never hold every layer's weights. */
  layer(index: number): LayerWeights;
}

const OPSET = 17;

/** The encoded ModelProto; the weights have gone to `sink` on the way. See linearOps.ts for the styles. */
export function buildQwen2Onnx(dims: Qwen2Dims, weights: Qwen2Weights, dtype: WeightDtype, sink: TensorSink, style: ExportStyle = 'compact'): Uint8Array {
  const g = new GraphBuilder(sink);
  const ops = new LinearOps(g, dtype, style);
  const kvDims = ['batch_size', dims.kvHeads, 'past_sequence_length', dims.headDim];

  const inputIds = g.input('input_ids', DataType.int64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', DataType.int64, ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', DataType.int64, ['batch_size', 'sequence_length']);
  const caches = Array.from({ length: dims.layers }, (_, i) => ({
    pastKey: g.input(`past_key_values.${i}.key`, DataType.float, kvDims),
    pastValue: g.input(`past_key_values.${i}.value`, DataType.float, kvDims),
    presentKey: `present.${i}.key`,
    presentValue: `present.${i}.value`,
  }));
  // Optimum's export (the hub's) has no num_logits_to_keep: its logits cover every input position.
  const keep = style === 'compact' ? g.input('num_logits_to_keep', DataType.int64, []) : undefined;

  const table = style === 'compact' ? ops.embeddingTable('model.embed_tokens.weight', weights.embed) : undefined;
  let hidden = table ? ops.lookup(table, inputIds) : ops.hubEmbedding('model.embed_tokens.weight', weights.embed, inputIds);
  const rope = rotary(g, positionIds, dims.headDim, dims.ropeTheta);
  const allowed = attentionMask(g, inputIds, mask);

  for (let i = 0; i < dims.layers; i++) {
    const name = `model.layers.${i}`;
    g.scope = `/${name}`;
    const w = weights.layer(i);
    const attended = attention(g, ops, rmsNorm(g, hidden, `${name}.input_layernorm`, w.inputNorm, dims.rmsEps), `${name}.self_attn`, w, dims, rope, allowed, caches[i]);
    hidden = g.one('Add', [hidden, attended]);
    const mlp = swiGlu(g, ops, rmsNorm(g, hidden, `${name}.post_attention_layernorm`, w.postNorm, dims.rmsEps), `${name}.mlp`, w);
    hidden = g.one('Add', [hidden, mlp]);
  }
  g.scope = '/model';
  const normed = rmsNorm(g, hidden, 'model.norm', weights.finalNorm, dims.rmsEps);

  // num_logits_to_keep: 0 keeps every position, k keeps the last k (transformers.js passes 1 while generating).
  const kept = keep ? g.one('Slice', [normed, g.one('Neg', [g.one('Reshape', [keep, g.int64s([1])])]), g.int64s([Number.MAX_SAFE_INTEGER]), g.int64s([1])]) : normed;
  if (table) {
    ops.logits(weights.lmHead ? ops.embeddingTable('lm_head.weight', weights.lmHead) : table, kept, 'logits');
  } else {
    if (!weights.lmHead) throw new Error('the hub style needs an lm_head of its own');
    g.one('Identity', [ops.linear(kept, 'lm_head', weights.lmHead)], undefined, { outputs: ['logits'] });
  }

  g.output('logits', DataType.float, ['batch_size', keep ? 'logits_length' : 'sequence_length', dims.vocab]);
  for (const c of caches) {
    const presentDims = ['batch_size', dims.kvHeads, 'total_sequence_length', dims.headDim];
    g.output(c.presentKey, DataType.float, presentDims);
    g.output(c.presentValue, DataType.float, presentDims);
  }
  const opsets: Record<string, number> = { '': OPSET };
  if (dtype === 'q4') opsets['com.microsoft'] = 1;
  return encodeModel(g.build('qwen2_decoder', opsets, 'inkling-make-model'));
}
