// Picks the next token from one position's logits. Pure: the randomness comes in as a function,
// so a seeded generator makes sampling repeatable. One pass over the vocabulary per token: the
// 152k logits are never copied, sorted or scaled, only the few candidates that can be drawn are.
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

/** The tokens a draw can pick, most likely first, with their probabilities (summing to 1). */
export interface TokenChoice {
  ids: number[];
  probs: number[];
}

/**
 * Returns the chosen token id. `logits` is not modified. `previous` are the ids already in the
 * context, which the repetition penalty makes less likely (the CTRL rule HF uses).
 */
export function sampleToken(logits: ArrayLike<number>, options: TokenSampler, previous: Iterable<number>, random: Random): number {
  const scores = new PenalizedScores(logits, previous, options.repetitionPenalty);
  if (!(options.temperature > 0)) return scores.argmax();
  return drawFrom(choiceOver(scores, options), random);
}

/** What a draw at these settings can pick; greedy decoding gives the one best token with probability 1. */
export function tokenDistribution(logits: ArrayLike<number>, options: TokenSampler, previous: Iterable<number>): TokenChoice {
  const scores = new PenalizedScores(logits, previous, options.repetitionPenalty);
  if (!(options.temperature > 0)) return { ids: [scores.argmax()], probs: [1] };
  return choiceOver(scores, options);
}

export function drawFrom(choice: TokenChoice, random: Random): number {
  let r = random();
  for (let i = 0; i < choice.ids.length; i++) {
    r -= choice.probs[i];
    if (r < 0) return choice.ids[i];
  }
  return choice.ids[choice.ids.length - 1];
}

/** The choice with `id` removed and the rest renormalised; undefined when nothing is left. */
export function without(choice: TokenChoice, id: number): TokenChoice | undefined {
  const at = choice.ids.indexOf(id);
  if (at < 0) return choice;
  const rest = 1 - choice.probs[at];
  if (!(rest > 0)) return undefined;
  const ids = choice.ids.filter((_, i) => i !== at);
  const probs = choice.probs.filter((_, i) => i !== at).map((p) => p / rest);
  return { ids, probs };
}

export function probabilityOf(choice: TokenChoice, id: number): number {
  const at = choice.ids.indexOf(id);
  return at < 0 ? 0 : choice.probs[at];
}

export function applyRepetitionPenalty(scores: Float32Array, previous: Iterable<number>, penalty: number): void {
  if (!(penalty > 0) || penalty === 1) return;
  for (const id of new Set(previous)) {
    if (id < 0 || id >= scores.length) continue;
    scores[id] = penalize(scores[id], penalty);
  }
}

function penalize(score: number, penalty: number): number {
  return score > 0 ? score / penalty : score * penalty;
}

export function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

/**
 * The logits as the repetition penalty sees them, without copying them: the penalised ids (a few
 * hundred at most) are kept aside and scanned apart from the rest.
 */
class PenalizedScores {
  readonly penalized = new Map<number, number>();

  constructor(readonly logits: ArrayLike<number>, previous: Iterable<number>, penalty: number) {
    if (!(penalty > 0) || penalty === 1) return;
    for (const id of previous) {
      if (id >= 0 && id < logits.length && !this.penalized.has(id)) this.penalized.set(id, penalize(logits[id], penalty));
    }
  }

  get length(): number {
    return this.logits.length;
  }

  at(id: number): number {
    return this.penalized.get(id) ?? this.logits[id];
  }

  argmax(): number {
    const { logits, penalized } = this;
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < logits.length; i++) {
      if (logits[i] > bestScore && !penalized.has(i)) {
        best = i;
        bestScore = logits[i];
      }
    }
    for (const [id, score] of penalized) {
      if (score > bestScore || (score === bestScore && id < best) || best < 0) {
        best = id;
        bestScore = score;
      }
    }
    return Math.max(best, 0);
  }
}

/** Top-k, then softmax at the temperature, then top-p: the candidates a draw picks from. */
function choiceOver(scores: PenalizedScores, options: TokenSampler): TokenChoice {
  const k = options.topK > 0 && options.topK < scores.length ? options.topK : scores.length;
  const ids = k === scores.length ? Array.from({ length: scores.length }, (_, i) => i) : topKIds(scores, k);
  let max = -Infinity;
  for (const id of ids) max = Math.max(max, scores.at(id));
  let sum = 0;
  const weights = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    weights[i] = Math.exp((scores.at(ids[i]) - max) / options.temperature);
    sum += weights[i];
  }
  const probs = Float64Array.from(weights, (w) => w / sum);
  const kept = k === scores.length ? nucleus(ids, probs, options.topP) : nucleusOfSorted(ids, probs, options.topP);
  let keptMass = 0;
  for (const i of kept) keptMass += probs[i];
  return { ids: kept.map((i) => ids[i]), probs: kept.map((i) => probs[i] / keptMass) };
}

/** Positions of the first candidates (already best first) whose mass reaches topP. */
function nucleusOfSorted(ids: number[], probs: Float64Array, topP: number): number[] {
  const kept: number[] = [];
  let cumulative = 0;
  for (let i = 0; i < ids.length; i++) {
    kept.push(i);
    cumulative += probs[i];
    if (topP > 0 && topP < 1 && cumulative >= topP) break;
  }
  return kept;
}

/** The k best ids, best first (ties: lower id first), from one pass with a k-sized min-heap. */
function topKIds(scores: PenalizedScores, k: number): number[] {
  const heapIds = new Int32Array(k);
  const heapScores = new Float64Array(k);
  let size = 0;
  // "Worse" is a lower score, or an equal score with a higher id.
  const worse = (a: number, b: number): boolean => heapScores[a] < heapScores[b] || (heapScores[a] === heapScores[b] && heapIds[a] > heapIds[b]);
  const swap = (a: number, b: number): void => {
    [heapIds[a], heapIds[b]] = [heapIds[b], heapIds[a]];
    [heapScores[a], heapScores[b]] = [heapScores[b], heapScores[a]];
  };
  const siftDown = (from: number): void => {
    for (let at = from; ;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let worst = at;
      if (left < size && worse(left, worst)) worst = left;
      if (right < size && worse(right, worst)) worst = right;
      if (worst === at) return;
      swap(at, worst);
      at = worst;
    }
  };
  const offer = (id: number, score: number): void => {
    if (size < k) {
      heapIds[size] = id;
      heapScores[size] = score;
      for (let at = size++; at > 0;) {
        const parent = (at - 1) >> 1;
        if (!worse(at, parent)) break;
        swap(at, parent);
        at = parent;
      }
      return;
    }
    if (score < heapScores[0] || (score === heapScores[0] && id > heapIds[0])) return;
    heapIds[0] = id;
    heapScores[0] = score;
    siftDown(0);
  };
  const { logits, penalized } = scores;
  for (let i = 0; i < logits.length; i++) {
    // Most logits lose to the heap's worst at once: one comparison each.
    if (size === k && logits[i] <= heapScores[0]) continue;
    if (!penalized.has(i)) offer(i, logits[i]);
  }
  for (const [id, score] of penalized) offer(id, score);
  const order = Array.from({ length: size }, (_, i) => i);
  order.sort((a, b) => heapScores[b] - heapScores[a] || heapIds[a] - heapIds[b]);
  return order.map((i) => heapIds[i]);
}

/** Indices of the k highest scores, best first; all indices when k is 0 or covers the vocabulary. */
export function topKCandidates(scores: Float32Array, k: number): number[] {
  if (!(k > 0) || k >= scores.length) return Array.from(scores.keys());
  return topKIds(new PenalizedScores(scores, [], 1), k);
}

/**
 * The smallest set of most likely candidates whose probability reaches topP, best first, as
 * positions in `probs`. Only candidates above a threshold are sorted; the threshold drops until
 * they cover topP, which yields the same set as sorting everything.
 */
export function nucleus(candidates: number[], probs: Float64Array, topP: number): number[] {
  if (!(topP > 0) || topP >= 1) return candidates;
  for (let threshold = 1e-3; ; threshold /= 10) {
    const above = threshold < 1e-12 ? [...candidates] : candidates.filter((id) => probs[id] >= threshold);
    let mass = 0;
    for (const id of above) mass += probs[id];
    if (mass < topP && threshold >= 1e-12) continue;
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
