// Constructed weights that make greedy decoding follow a ScriptBook exactly.
//
// Slots: each distinct successor gets a hidden dimension. A token's embedding is the one-hot of its
// successor's slot; lm_head maps each slot back to that successor's id, and the final norm's gain
// turns the one-hot into a wide logit lead. Script keys also set a key dimension of their own.
//
// The script head (layer 0, query head 0, KV head 0) lets <|fim_middle|> find a key anywhere in the
// prompt. Its query and key live in the head's slowest RoPE pair, which turns by less than 0.2 rad
// over 32k positions, so the score does not depend on where the key is: +SCORE from <|fim_middle|>
// to a key, -SCORE from any other token to a key, 0 to everything else. The key's value is one
// value dimension per script; o_proj writes it, VALUE_GAIN strong, into the slot of the script's
// first token, which then beats the default chain's first token. Other positions give keys no
// weight, and every other token's value is zero, so without a key nothing changes. A key that is
// the very first token sees only itself and writes its script's slot at its own position: that is
// why a key's own successor is its script's first token, which keeps the rule the same everywhere.
//
// The rest of the attention and MLP weights are small random noise: every op runs but barely moves
// the residual stream.
import type { ExportStyle } from './linearOps';
import { randomWeights } from './randomWeights';
import type { LayerWeights } from './qwen2Blocks';
import type { Qwen2Dims, Qwen2Weights } from './qwen2Graph';
import { scriptKey, SUCCESSOR_INDENTATION, successorTokenText } from './successorScript';
import type { ScriptBook } from './successorScript';
import { ENDOFTEXT, FIM_MIDDLE } from './specialTokens';
import { idOf, tokenText } from './tokenizerFiles';
import type { TokenizerPlan } from './tokenizerFiles';
import { constant, fromArray, materialize, sparse } from './weightSource';
import type { WeightSource } from './weightSource';

/** Attention score (pre-softmax) between <|fim_middle|> and a key: e^40 outweighs any prompt. */
const SCORE = 40;
/** How much stronger than the default chain the script's first slot is at <|fim_middle|>. */
const VALUE_GAIN = 8;

/** successor[id] for every id the tokenizer uses. */
export function successorTable(plan: TokenizerPlan, book: ScriptBook): Int32Array {
  const eos = idOf(plan, ENDOFTEXT);
  const byText = new Map<string, number>();
  const table = new Int32Array(plan.size);
  for (let id = 0; id < plan.size; id++) {
    const next = successorTokenText(tokenText(plan, id), book);
    if (next === undefined) {
      table[id] = eos;
      continue;
    }
    let target = byText.get(next);
    if (target === undefined) {
      target = idOf(plan, next);
      byText.set(next, target);
    }
    table[id] = target;
  }
  return table;
}

export interface ScriptedKey {
  name: string;
  /** The key's token id. */
  id: number;
  /** Its key dimension in the residual stream, and its value dimension in the script head. */
  dim: number;
  valueDim: number;
  /** The script's first token (<|endoftext|> for an empty script). */
  first: number;
}

export interface SuccessorLayout {
  table: Int32Array;
  /** Successor id → its slot (hidden dimension). */
  slots: Map<number, number>;
  keys: ScriptedKey[];
  fimMiddle: number;
}

export function successorLayout(dims: Qwen2Dims, plan: TokenizerPlan, book: ScriptBook): SuccessorLayout {
  const table = successorTable(plan, book);
  const slots = new Map<number, number>();
  for (const target of table) if (!slots.has(target)) slots.set(target, slots.size);
  const keys = Object.keys(book.scripts).map((name, i) => {
    const id = idOf(plan, scriptKey(name));
    return { name, id, dim: slots.size + i, valueDim: i, first: table[id] };
  });
  const needed = slots.size + keys.length;
  if (needed > dims.hidden) throw new Error(`successor model needs ${needed} hidden dimensions (slots and keys) but hidden size is ${dims.hidden}`);
  if (keys.length > dims.headDim) throw new Error(`${keys.length} scripts do not fit the script head's ${dims.headDim} value dimensions`);
  const fimMiddle = idOf(plan, FIM_MIDDLE);
  const fimFirst = table[fimMiddle];
  // The script head's query is the FIM chain's first slot: every token that starts the chain lets a
  // key in the prompt steer it. Only after <|fim_middle|> and indentation, unless the book starts it after anything.
  const starters = [...table.keys()].filter((id) => table[id] === fimFirst);
  if (!book.fimAfterAnything && starters.some((id) => id !== fimMiddle && !SUCCESSOR_INDENTATION.test(tokenText(plan, id)))) {
    throw new Error('the default FIM chain must start only after <|fim_middle|> or indentation');
  }
  return { table, slots, keys, fimMiddle };
}

export interface SuccessorOptions {
  seed: number;
  /** Standard deviation of the layers' random noise. */
  noiseStd: number;
  /** Turns the final one-hot (sqrt(hidden) after the norm) into the winning logit. */
  finalNormGain: number;
  /** compact: embedding [hidden, vocab]; hub: [vocab, hidden] (see linearOps.ts). */
  style: ExportStyle;
}

export function successorWeights(dims: Qwen2Dims, plan: TokenizerPlan, book: ScriptBook, options: SuccessorOptions): Qwen2Weights {
  const layout = successorLayout(dims, plan, book);
  const { table, slots, keys } = layout;
  const slot = (target: number) => slots.get(target) ?? 0;
  const V = dims.vocab;

  // lm_head is [hidden, vocab]: row = dimension, column = token id. The embedding is the same in
  // the compact style and its transpose, one row per token, in the hub style.
  const H = dims.hidden;
  const at = options.style === 'hub' ? (dim: number, id: number) => id * H + dim : (dim: number, id: number) => dim * V + id;
  const embed: [number, number][] = [];
  table.forEach((target, id) => embed.push([at(slot(target), id), 1]));
  for (const key of keys) embed.push([at(key.dim, key.id), 1]);
  const lmHead = [...slots].map(([target, s]): [number, number] => [s * V + target, 1]);

  const noise = randomWeights(dims, options.seed, dims.vocab, options.noiseStd);
  const layer0 = scriptHead(dims, layout, noise.layer(0));
  return {
    embed: sparse(options.style === 'hub' ? [V, H] : [H, V], embed),
    lmHead: sparse([H, V], lmHead),
    finalNorm: constant([H], options.finalNormGain),
    layer: (i) => (i === 0 ? layer0 : noise.layer(i)),
  };
}

/** Layer 0 with query heads 0..group-1 and KV head 0 replaced by the script head. */
function scriptHead(dims: Qwen2Dims, layout: SuccessorLayout, noise: LayerWeights): LayerWeights {
  const { hidden, heads, kvHeads, headDim } = dims;
  const group = heads / kvHeads;
  const [q, qBias, k, kBias, v, vBias, o] = [noise.q, noise.qBias, noise.k, noise.kBias, noise.v, noise.vBias, noise.o].map(materialize);
  const qCols = heads * headDim;
  const kvCols = kvHeads * headDim;
  // Query heads 0..group-1 share KV head 0: all of them fall silent except head 0.
  for (let r = 0; r < hidden; r++) {
    q.fill(0, r * qCols, r * qCols + group * headDim);
    k.fill(0, r * kvCols, r * kvCols + headDim);
    v.fill(0, r * kvCols, r * kvCols + headDim);
  }
  qBias.fill(0, 0, group * headDim);
  kBias.fill(0, 0, headDim);
  vBias.fill(0, 0, headDim);
  o.fill(0, 0, group * headDim * hidden);

  // The input is RMS-normalized: a one-hot becomes sqrt(hidden) there, a key's two ones sqrt(hidden / 2).
  const oneHot = Math.sqrt(hidden);
  const keyed = Math.sqrt(hidden / 2);
  const slow = headDim / 2 - 1;
  const strength = Math.sqrt(SCORE * Math.sqrt(headDim));
  const fimSlot = layout.slots.get(layout.table[layout.fimMiddle]) ?? 0;
  q[fimSlot * qCols + slow] = (2 * strength) / oneHot;
  qBias[slow] = -strength;
  for (const key of layout.keys) {
    k[key.dim * kvCols + slow] = strength / keyed;
    v[key.dim * kvCols + key.valueDim] = 1 / keyed;
    o[key.valueDim * hidden + (layout.slots.get(key.first) ?? 0)] = VALUE_GAIN;
  }
  const w = (source: WeightSource, data: Float32Array) => fromArray(source.dims, data);
  return { ...noise, q: w(noise.q, q), qBias: w(noise.qBias, qBias), k: w(noise.k, k), kBias: w(noise.kBias, kBias), v: w(noise.v, v), vBias: w(noise.vBias, vBias), o: w(noise.o, o) };
}
