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

/**
 * `tensor` cut to the first `length` positions of its sequence dim (second to last), in place: the
 * result shares the input's memory, which the caller must no longer use. Each [batch, head] block
 * is contiguous, so the kept positions move down as one run per block and the first stays put.
 */
export function truncateSequence(tensor: Tensor, length: number): Tensor {
  const dims = tensor.dims;
  const seqDim = dims.length - 2;
  const [seq, inner] = [dims[seqDim], dims[seqDim + 1]];
  const outer = dims.slice(0, seqDim).reduce((a, b) => a * b, 1);
  const data = tensor.data as unknown as { copyWithin(target: number, start: number, end: number): void; subarray(a: number, b: number): unknown };
  for (let block = 1; block < outer; block++) {
    const from = block * seq * inner;
    data.copyWithin(block * length * inner, from, from + length * inner);
  }
  const newDims = [...dims];
  newDims[seqDim] = length;
  return new Tensor(tensor.type as never, data.subarray(0, outer * length * inner) as never, newDims);
}

/** Every tensor of `past` cut to `length` positions, in place (see truncateSequence). */
export function truncatePast(past: PastKeyValues, length: number): PastKeyValues {
  const cut: PastKeyValues = {};
  for (const [name, tensor] of Object.entries(past)) cut[name] = truncateSequence(tensor, length);
  return cut;
}

/** Whether `past` holds only attention keys/values in main memory, which can be cut back to a prefix. */
export function canTruncate(past: PastKeyValues): boolean {
  return Object.entries(past).every(([name, t]) => name.startsWith('past_key_values.') && t.location === 'cpu');
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
    if (!canTruncate(past)) {
      // Recurrent states or device-resident tensors cannot be cut back to a shorter prefix.
      disposePast(past);
      return { reused: 0 };
    }
    return { past: truncatePast(past, reused), reused };
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
