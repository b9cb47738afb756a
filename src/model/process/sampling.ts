// Picks the next token from one position's logits. Pure: the randomness comes in as a function,
// so a seeded generator makes sampling repeatable.
import type { SamplingOptions } from '../protocol';

export type Random = () => number;

/** mulberry32: tiny, fast and good enough to draw tokens; the same seed gives the same stream. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type TokenSampler = Pick<SamplingOptions, 'temperature' | 'topK' | 'topP' | 'repetitionPenalty'>;

/**
 * Returns the chosen token id. `logits` is not modified. `previous` are the ids already in the
 * context, which the repetition penalty makes less likely (the CTRL rule HF uses).
 */
export function sampleToken(logits: ArrayLike<number>, options: TokenSampler, previous: Iterable<number>, random: Random): number {
  const scores = Float32Array.from(logits);
  applyRepetitionPenalty(scores, previous, options.repetitionPenalty);
  if (!(options.temperature > 0)) return argmax(scores);
  for (let i = 0; i < scores.length; i++) scores[i] /= options.temperature;
  const candidates = topKCandidates(scores, options.topK);
  const probs = softmaxOver(scores, candidates);
  const kept = nucleus(candidates, probs, options.topP);
  return draw(kept, probs, random);
}

export function applyRepetitionPenalty(scores: Float32Array, previous: Iterable<number>, penalty: number): void {
  if (!(penalty > 0) || penalty === 1) return;
  for (const id of new Set(previous)) {
    if (id < 0 || id >= scores.length) continue;
    scores[id] = scores[id] > 0 ? scores[id] / penalty : scores[id] * penalty;
  }
}

export function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

/** Indices of the k highest scores, best first; all indices when k is 0 or covers the vocabulary. */
export function topKCandidates(scores: Float32Array, k: number): number[] {
  if (!(k > 0) || k >= scores.length) return Array.from(scores.keys());
  // A small sorted window beats sorting a 150k vocabulary for every token.
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (best.length === k && scores[i] <= scores[best[k - 1]]) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && scores[best[at - 1]] < scores[i]) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Softmax over the candidates only; the result is indexed by token id (others stay 0). */
function softmaxOver(scores: Float32Array, candidates: number[]): Float64Array {
  let max = -Infinity;
  for (const id of candidates) if (scores[id] > max) max = scores[id];
  const probs = new Float64Array(scores.length);
  let sum = 0;
  for (const id of candidates) {
    const p = Math.exp(scores[id] - max);
    probs[id] = p;
    sum += p;
  }
  for (const id of candidates) probs[id] /= sum;
  return probs;
}

/**
 * The smallest set of most likely candidates whose probability reaches topP, best first.
 * Only candidates above a threshold are sorted; the threshold drops until they cover topP,
 * which yields the same set as sorting everything.
 */
export function nucleus(candidates: number[], probs: Float64Array, topP: number): number[] {
  if (!(topP > 0) || topP >= 1) return candidates;
  for (let threshold = 1e-3; ; threshold /= 10) {
    const above = threshold < 1e-12 ? candidates : candidates.filter((id) => probs[id] >= threshold);
    let mass = 0;
    for (const id of above) mass += probs[id];
    if (mass < topP && above !== candidates) continue;
    above.sort((a, b) => probs[b] - probs[a] || a - b);
    const kept: number[] = [];
    let cumulative = 0;
    for (const id of above) {
      kept.push(id);
      cumulative += probs[id];
      if (cumulative >= topP) break;
    }
    return kept;
  }
}

function draw(kept: number[], probs: Float64Array, random: Random): number {
  let total = 0;
  for (const id of kept) total += probs[id];
  let r = random() * total;
  for (const id of kept) {
    r -= probs[id];
    if (r < 0) return id;
  }
  return kept[kept.length - 1];
}
