// Counting tokens sits on the typing path, so the default is a synchronous estimate; a real tokenizer
// count can be plugged in wherever a TokenCounter is taken.

export interface TokenCounter {
  count(text: string): number;
}

/** Code averages 3.5–4 characters per token in BPE vocabularies; rounding up per piece keeps the sum an overestimate. */
export const ESTIMATED_CHARS_PER_TOKEN = 3.5;

export const estimateTokens: TokenCounter = {
  count: (text) => Math.ceil(text.length / ESTIMATED_CHARS_PER_TOKEN),
};

/** The longest tail of `text` that fits in `tokens` (binary search, so any counter works). */
export function fitTail(text: string, tokens: number, counter: TokenCounter): string {
  return text.slice(text.length - longestFit(text, tokens, counter, (n) => text.slice(text.length - n)));
}

/** The longest head of `text` that fits in `tokens`. */
export function fitHead(text: string, tokens: number, counter: TokenCounter): string {
  return text.slice(0, longestFit(text, tokens, counter, (n) => text.slice(0, n)));
}

/** How many characters of `text`, taken by `part`, fit in `tokens`. */
function longestFit(text: string, tokens: number, counter: TokenCounter, part: (chars: number) => string): number {
  if (tokens <= 0) return 0;
  if (counter.count(text) <= tokens) return text.length;
  let lo = 0;
  let hi = Math.min(text.length, Math.ceil(tokens * 16));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (counter.count(part(mid)) <= tokens) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
