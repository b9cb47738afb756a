// Byte-level BPE training: split the corpus like Qwen2's pre-tokenizer, then repeatedly merge the
// most frequent adjacent pair. Ties go to the alphabetically first pair, so output is deterministic.
import { toByteLevel } from './byteLevel';

/** Qwen2's split pattern as written in tokenizer.json (Rust regex syntax; digits stay single). */
export const QWEN2_SPLIT_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

// The same pattern for JavaScript, which has no inline (?i:...) group.
const SPLIT_JS = /'(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

export function preTokenize(text: string): string[] {
  return text.match(SPLIT_JS) ?? [];
}

export type Merge = [string, string];

interface Word {
  symbols: string[];
  count: number;
}

function countWords(corpus: string): Word[] {
  const counts = new Map<string, number>();
  for (const piece of preTokenize(corpus)) {
    const word = toByteLevel(piece);
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts].map(([word, count]) => ({ symbols: [...word], count }));
}

function bestPair(words: Word[]): [string, string, number] | undefined {
  const pairs = new Map<string, number>();
  for (const { symbols, count } of words) {
    for (let i = 0; i + 1 < symbols.length; i++) {
      // Byte-level symbols never contain a space, so it can join the pair key.
      const key = `${symbols[i]} ${symbols[i + 1]}`;
      pairs.set(key, (pairs.get(key) ?? 0) + count);
    }
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [key, count] of pairs) {
    if (count > bestCount || (count === bestCount && best !== undefined && key < best)) {
      best = key;
      bestCount = count;
    }
  }
  if (best === undefined) return undefined;
  const [a, b] = best.split(' ');
  return [a, b, bestCount];
}

function applyMerge(words: Word[], a: string, b: string): void {
  for (const word of words) {
    const s = word.symbols;
    const merged: string[] = [];
    for (let i = 0; i < s.length; i++) {
      if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
        merged.push(a + b);
        i++;
      } else {
        merged.push(s[i]);
      }
    }
    word.symbols = merged;
  }
}

/** Up to `maxMerges` merges, stopping early once no pair occurs twice. */
export function trainBpe(corpus: string, maxMerges: number): Merge[] {
  const words = countWords(corpus);
  const merges: Merge[] = [];
  while (merges.length < maxMerges) {
    const best = bestPair(words);
    if (!best || best[2] < 2) break;
    merges.push([best[0], best[1]]);
    applyMerge(words, best[0], best[1]);
  }
  return merges;
}
