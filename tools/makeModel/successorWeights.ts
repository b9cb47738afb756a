// Constructed weights that make greedy decoding follow successorTokenText exactly.
// Each distinct successor gets a slot (a hidden dimension). A token's embedding is the one-hot of
// its successor's slot; lm_head maps each slot back to that successor's id. Attention and MLP get
// small random weights: they run (so the whole graph is exercised) but barely move the residual
// stream, and the final norm's gain turns the one-hot into a logit lead of about 30, far beyond
// what q8/q4 rounding can change.
import { randomWeights } from './randomWeights';
import type { Qwen2Dims, Qwen2Weights } from './qwen2Graph';
import { successorTokenText } from './successorScript';
import { ENDOFTEXT } from './specialTokens';
import { idOf, tokenText } from './tokenizerFiles';
import type { TokenizerPlan } from './tokenizerFiles';
import { constant, fromArray } from './weightSource';

const FINAL_NORM_GAIN = 4;

/** successor[id] for every id the tokenizer uses. */
export function successorTable(plan: TokenizerPlan): Int32Array {
  const eos = idOf(plan, ENDOFTEXT);
  const byText = new Map<string, number>();
  const table = new Int32Array(plan.size);
  for (let id = 0; id < plan.size; id++) {
    const next = successorTokenText(tokenText(plan, id));
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

export function successorWeights(dims: Qwen2Dims, plan: TokenizerPlan, seed: number): Qwen2Weights {
  const table = successorTable(plan);
  const slots = new Map<number, number>();
  for (const target of table) if (!slots.has(target)) slots.set(target, slots.size);
  if (slots.size > dims.hidden) throw new Error(`successor model needs ${slots.size} slots but hidden size is ${dims.hidden}`);

  // Both matrices are [hidden, vocab] (lm_head layout): row = slot, column = token id.
  const embed = new Float32Array(dims.hidden * dims.vocab);
  table.forEach((target, id) => { embed[(slots.get(target) ?? 0) * dims.vocab + id] = 1; });
  const lmHead = new Float32Array(dims.hidden * dims.vocab);
  for (const [target, slot] of slots) lmHead[slot * dims.vocab + target] = 1;

  const noise = randomWeights(dims, seed);
  return {
    embed: fromArray([dims.hidden, dims.vocab], embed),
    lmHead: fromArray([dims.hidden, dims.vocab], lmHead),
    finalNorm: constant([dims.hidden], FINAL_NORM_GAIN),
    layer: noise.layer,
  };
}
