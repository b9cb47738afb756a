// The pieces of a Qwen2 decoder layer as ONNX ops: RMSNorm, rotary embeddings, the causal+padding
// mask, grouped-query attention over a KV cache, and the SwiGLU MLP. Layouts follow HF's Qwen2:
// query head h reads key/value head floor(h / group).
import { attr } from './graphBuilder';
import type { GraphBuilder } from './graphBuilder';
import type { LinearOps } from './linearOps';
import { DataType } from './onnxProto';
import { writeFloat32 } from './quantize';
import type { WeightSource } from './weightSource';

export interface AttentionShape {
  heads: number;
  kvHeads: number;
  headDim: number;
}

export interface LayerWeights {
  inputNorm: WeightSource;
  q: WeightSource; qBias: WeightSource;
  k: WeightSource; kBias: WeightSource;
  v: WeightSource; vBias: WeightSource;
  o: WeightSource;
  postNorm: WeightSource;
  gate: WeightSource; up: WeightSource; down: WeightSource;
}

/** Rotary tables shaped to broadcast against queries [B,KV,g,S,D] and keys [B,KV,S,D]. */
export interface Rotary {
  cosQ: string; sinQ: string; cosK: string; sinK: string;
}

/**
 * RMSNorm as PyTorch's exporter writes Qwen2's (`weight * (x * rsqrt(mean(x²) + eps))`, rsqrt as
 * `Div(1, Sqrt(…))`), as the hub's files exported from PyTorch have it. onnxruntime fuses this form into one
 * SimplifiedLayerNormalization node; an earlier `Mul(x, x)` … `Div(x, root)` form was left as six
 * nodes a norm, and the bench decoded slower than the hub's graph would (bench/README.md).
 */
export function rmsNorm(g: GraphBuilder, x: string, name: string, weight: WeightSource, eps: number): string {
  const meanSquare = g.one('ReduceMean', [g.one('Pow', [x, g.float32s([2], [])])], { axes: attr.ints([-1]), keepdims: attr.int(1) });
  const rms = g.one('Sqrt', [g.one('Add', [meanSquare, g.float32s([eps], [])])]);
  const w = g.weight(`${name}.weight`, DataType.float, weight.dims, writeFloat32(weight));
  return g.one('Mul', [w, g.one('Mul', [x, g.one('Div', [g.float32s([1]), rms])])]);
}

export function rotary(g: GraphBuilder, positionIds: string, headDim: number, theta: number): Rotary {
  const invFreq = Array.from({ length: headDim / 2 }, (_, i) => theta ** (-(2 * i) / headDim));
  const positions = g.one('Unsqueeze', [g.one('Cast', [positionIds], { to: attr.int(DataType.float) }), g.int64s([-1])]);
  const freqs = g.one('Mul', [positions, g.float32s(invFreq)]);
  const angles = g.one('Concat', [freqs, freqs], { axis: attr.int(-1) });
  const cos = g.one('Cos', [angles]);
  const sin = g.one('Sin', [angles]);
  const forQ = g.int64s([1, 2]);
  const forK = g.int64s([1]);
  return {
    cosQ: g.one('Unsqueeze', [cos, forQ]), sinQ: g.one('Unsqueeze', [sin, forQ]),
    cosK: g.one('Unsqueeze', [cos, forK]), sinK: g.one('Unsqueeze', [sin, forK]),
  };
}

function applyRotary(g: GraphBuilder, x: string, cos: string, sin: string): string {
  const [first, second] = g.op('Split', [x], { axis: attr.int(-1) }, { outputs: 2 });
  const rotated = g.one('Concat', [g.one('Neg', [second]), first], { axis: attr.int(-1) });
  return g.one('Add', [g.one('Mul', [x, cos]), g.one('Mul', [rotated, sin])]);
}

/**
 * [B,1,1,S,T] bool: query s (absolute position T-S+s) may see key t when t <= its position and
 * attention_mask[b,t] is 1.
 */
export function attentionMask(g: GraphBuilder, inputIds: string, attentionMaskInput: string): string {
  const total = g.one('Shape', [attentionMaskInput], { start: attr.int(1), end: attr.int(2) });
  const fresh = g.one('Shape', [inputIds], { start: attr.int(1), end: attr.int(2) });
  const totalScalar = g.one('Squeeze', [total, g.int64s([0])]);
  const pastScalar = g.one('Squeeze', [g.one('Sub', [total, fresh]), g.int64s([0])]);
  const one = g.int64s([1], true);
  const keys = g.one('Range', [g.int64s([0], true), totalScalar, one]);
  const queries = g.one('Range', [pastScalar, totalScalar, one]);
  const causal = g.one('LessOrEqual', [g.one('Unsqueeze', [keys, g.int64s([0])]), g.one('Unsqueeze', [queries, g.int64s([1])])]);
  const padding = g.one('Unsqueeze', [g.one('Cast', [attentionMaskInput], { to: attr.int(DataType.bool) }), g.int64s([1])]);
  return g.one('Unsqueeze', [g.one('And', [causal, padding]), g.int64s([1, 2])]);
}

export interface CacheNames {
  pastKey: string; pastValue: string; presentKey: string; presentValue: string;
}

export function attention(
  g: GraphBuilder, ops: LinearOps, x: string, name: string, w: LayerWeights,
  shape: AttentionShape, rope: Rotary, mask: string, cache: CacheNames,
): string {
  const { heads, kvHeads, headDim } = shape;
  const group = heads / kvHeads;
  const q = g.one('Transpose', [g.one('Reshape', [ops.linear(x, `${name}.q_proj`, w.q, w.qBias), g.int64s([0, 0, kvHeads, group, headDim])])], { perm: attr.ints([0, 2, 3, 1, 4]) });
  const toHeads = (t: string) => g.one('Transpose', [g.one('Reshape', [t, g.int64s([0, 0, kvHeads, headDim])])], { perm: attr.ints([0, 2, 1, 3]) });
  const k = toHeads(ops.linear(x, `${name}.k_proj`, w.k, w.kBias));
  const v = toHeads(ops.linear(x, `${name}.v_proj`, w.v, w.vBias));

  const qRot = g.one('Mul', [applyRotary(g, q, rope.cosQ, rope.sinQ), g.float32s([1 / Math.sqrt(headDim)], [])]);
  const kRot = applyRotary(g, k, rope.cosK, rope.sinK);
  const keys = g.one('Concat', [cache.pastKey, kRot], { axis: attr.int(2) }, { outputs: [cache.presentKey] });
  const values = g.one('Concat', [cache.pastValue, v], { axis: attr.int(2) }, { outputs: [cache.presentValue] });

  // Queries grouped per KV head: [B,KV,g,S,D] against keys [B,KV,1,D,T] needs no repeated K/V.
  const keysT = g.one('Unsqueeze', [g.one('Transpose', [keys], { perm: attr.ints([0, 1, 3, 2]) }), g.int64s([2])]);
  const scores = g.one('MatMul', [qRot, keysT]);
  const masked = g.one('Where', [mask, scores, g.float32s([-1e9], [])]);
  const probs = g.one('Softmax', [masked], { axis: attr.int(-1) });
  const context = g.one('MatMul', [probs, g.one('Unsqueeze', [values, g.int64s([2])])]);
  const merged = g.one('Reshape', [g.one('Transpose', [context], { perm: attr.ints([0, 3, 1, 2, 4]) }), g.int64s([0, 0, heads * headDim])]);
  return ops.linear(merged, `${name}.o_proj`, w.o);
}

export function swiGlu(g: GraphBuilder, ops: LinearOps, x: string, name: string, w: LayerWeights): string {
  const gate = ops.linear(x, `${name}.gate_proj`, w.gate);
  const up = ops.linear(x, `${name}.up_proj`, w.up);
  const activated = g.one('Mul', [g.one('Mul', [gate, g.one('Sigmoid', [gate])]), up]);
  return ops.linear(activated, `${name}.down_proj`, w.down);
}
