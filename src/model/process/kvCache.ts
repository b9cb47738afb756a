// Keeps the last request's key/value cache so that the next prompt, which usually shares a long
// prefix with it (same file, a few keystrokes later), only runs its new tokens.
import { Tensor } from '@huggingface/transformers';

/** Model inputs named "past_key_values.N.key|value" with dims [batch, heads, sequence, headDim]. */
export type PastKeyValues = Record<string, Tensor>;

export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

export function disposePast(past: PastKeyValues | undefined): void {
  if (!past) return;
  for (const tensor of Object.values(past)) tensor.dispose();
}

/** A copy of `tensor` keeping the first `length` positions of its sequence dim (second to last). */
export function truncateSequence(tensor: Tensor, length: number): Tensor {
  const dims = tensor.dims;
  const seqDim = dims.length - 2;
  const [seq, inner] = [dims[seqDim], dims[seqDim + 1]];
  const outer = dims.slice(0, seqDim).reduce((a, b) => a * b, 1);
  const source = tensor.data as unknown as { subarray(a: number, b: number): ArrayLike<number>; constructor: new (n: number) => { set(a: ArrayLike<number>, at: number): void } };
  const target = new source.constructor(outer * length * inner);
  // Each [batch, head] block is contiguous, so the kept positions copy as one run per block.
  for (let block = 0; block < outer; block++) {
    const from = block * seq * inner;
    target.set(source.subarray(from, from + length * inner), block * length * inner);
  }
  const newDims = [...dims];
  newDims[seqDim] = length;
  return new Tensor(tensor.type as never, target as never, newDims);
}

export class KvCache {
  private ids: number[] = [];
  private past: PastKeyValues | undefined;

  /**
   * Hands over the kept cache trimmed to the longest prefix it shares with `promptIds`, leaving at
   * least one prompt token to run (its logits pick the first new token). The caller owns the result.
   */
  take(promptIds: readonly number[]): { past?: PastKeyValues; reused: number } {
    const past = this.past;
    const kept = this.ids;
    this.past = undefined;
    this.ids = [];
    const reused = Math.min(commonPrefixLength(kept, promptIds), promptIds.length - 1);
    if (!past || reused <= 0) {
      disposePast(past);
      return { reused: 0 };
    }
    if (reused === kept.length) return { past, reused };
    if (!Object.entries(past).every(([name, t]) => name.startsWith('past_key_values.') && t.location === 'cpu')) {
      // Recurrent states or device-resident tensors cannot be cut back to a shorter prefix.
      disposePast(past);
      return { reused: 0 };
    }
    const trimmed: PastKeyValues = {};
    for (const [name, tensor] of Object.entries(past)) trimmed[name] = truncateSequence(tensor, reused);
    disposePast(past);
    return { past: trimmed, reused };
  }

  /** Keeps `past`, which holds the keys and values of exactly `ids`. */
  keep(ids: readonly number[], past: PastKeyValues): void {
    this.clear();
    this.ids = [...ids];
    this.past = past;
  }

  clear(): void {
    disposePast(this.past);
    this.past = undefined;
    this.ids = [];
  }
}
