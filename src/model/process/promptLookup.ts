// Prompt-lookup drafting: code completions often repeat what the prompt already holds (a name, a
// line from above, the code after the cursor). The tokens that followed the latest earlier
// occurrence of the context's last few tokens are a cheap guess at what comes next; the model then
// checks all of them in one forward pass (decodeLoop.ts) and keeps the prefix it agrees with.

export interface LookupOptions {
  /** The most tokens drafted per step. */
  maxDraft: number;
  /** Longest and shortest n-gram matched, longest first. */
  maxNgram: number;
  minNgram: number;
}

export const defaultLookup: LookupOptions = { maxDraft: 8, maxNgram: 3, minNgram: 2 };

/**
 * Up to `limit` tokens that followed the latest earlier occurrence of `context`'s last n tokens
 * (n from maxNgram down to minNgram); empty when nothing matches.
 */
export function draftTokens(context: readonly number[], limit: number, options: LookupOptions = defaultLookup): number[] {
  const length = context.length;
  const wanted = Math.min(limit, options.maxDraft);
  if (wanted <= 0) return [];
  for (let n = Math.min(options.maxNgram, length - 1); n >= Math.max(options.minNgram, 1); n--) {
    const tail = length - n;
    // The latest match first: nearby code is the likeliest to repeat.
    for (let start = tail - 1; start >= 0; start--) {
      let k = 0;
      while (k < n && context[start + k] === context[tail + k]) k++;
      if (k < n) continue;
      const from = start + n;
      return context.slice(from, Math.min(from + wanted, length));
    }
  }
  return [];
}
