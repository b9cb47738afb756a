// A plain-loops Qwen2 forward pass (one sequence, no cache), written from HF's modeling_qwen2
// semantics: RMSNorm, rotate-half RoPE, grouped-query attention where query head h reads KV head
// floor(h / group), SwiGLU. The ONNX graph must agree with it.
import type { Qwen2Dims, Qwen2Weights } from '../qwen2Graph';
import { materialize } from '../weightSource';
import type { WeightSource } from '../weightSource';

type Vec = Float64Array;

function rmsNorm(x: Vec, weight: Float32Array, eps: number): Vec {
  let sum = 0;
  for (const v of x) sum += v * v;
  const inv = 1 / Math.sqrt(sum / x.length + eps);
  return x.map((v, i) => v * inv * weight[i]);
}

/** x · W for W [K, N] row-major, plus an optional bias. */
function matVec(x: Vec, w: Float32Array, n: number, bias?: Float32Array): Vec {
  const out = new Float64Array(n);
  for (let k = 0; k < x.length; k++) {
    const xk = x[k];
    for (let j = 0; j < n; j++) out[j] += xk * w[k * n + j];
  }
  if (bias) for (let j = 0; j < n; j++) out[j] += bias[j];
  return out;
}

function rope(x: Vec, heads: number, headDim: number, position: number, theta: number): Vec {
  const out = new Float64Array(x.length);
  const half = headDim / 2;
  for (let h = 0; h < heads; h++) {
    const base = h * headDim;
    for (let i = 0; i < half; i++) {
      const angle = position * theta ** (-(2 * i) / headDim);
      const a = x[base + i];
      const b = x[base + i + half];
      out[base + i] = a * Math.cos(angle) - b * Math.sin(angle);
      out[base + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
    }
  }
  return out;
}

/** Logits for every position of `ids`. */
export function referenceLogits(dims: Qwen2Dims, weights: Qwen2Weights, ids: readonly number[]): Float64Array[] {
  const { hidden, heads, kvHeads, headDim, intermediate, vocab } = dims;
  const m = (s: WeightSource) => materialize(s);
  const embed = m(weights.embed);
  let xs: Vec[] = ids.map((id) => Float64Array.from({ length: hidden }, (_, r) => embed[r * vocab + id]));
  const group = heads / kvHeads;

  for (let l = 0; l < dims.layers; l++) {
    const w = weights.layer(l);
    const [wq, bq, wk, bk, wv, bv, wo] = [w.q, w.qBias, w.k, w.kBias, w.v, w.vBias, w.o].map(m);
    const [inNorm, postNorm, wg, wu, wd] = [w.inputNorm, w.postNorm, w.gate, w.up, w.down].map(m);
    const normed = xs.map((x) => rmsNorm(x, inNorm, dims.rmsEps));
    const q = normed.map((x, t) => rope(matVec(x, wq, heads * headDim, bq), heads, headDim, t, dims.ropeTheta));
    const k = normed.map((x, t) => rope(matVec(x, wk, kvHeads * headDim, bk), kvHeads, headDim, t, dims.ropeTheta));
    const v = normed.map((x) => matVec(x, wv, kvHeads * headDim, bv));

    xs = xs.map((x, t) => {
      const context = new Float64Array(heads * headDim);
      for (let h = 0; h < heads; h++) {
        const kv = Math.floor(h / group) * headDim;
        const scores = Array.from({ length: t + 1 }, (_, s) => {
          let dot = 0;
          for (let d = 0; d < headDim; d++) dot += q[t][h * headDim + d] * k[s][kv + d];
          return dot / Math.sqrt(headDim);
        });
        const top = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - top));
        const total = e.reduce((a, b) => a + b, 0);
        e.forEach((p, s) => { for (let d = 0; d < headDim; d++) context[h * headDim + d] += (p / total) * v[s][kv + d]; });
      }
      const attended = matVec(context, wo, hidden).map((a, i) => a + x[i]);
      const n2 = rmsNorm(attended, postNorm, dims.rmsEps);
      const gate = matVec(n2, wg, intermediate);
      const up = matVec(n2, wu, intermediate);
      const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]);
      return matVec(act, wd, hidden).map((d, i) => d + attended[i]);
    });
  }
  const finalNorm = m(weights.finalNorm);
  const head = m(weights.lmHead ?? weights.embed);
  return xs.map((x) => matVec(rmsNorm(x, finalNorm, dims.rmsEps), head, vocab));
}
