// The benchmark's prompt: ordinary-looking TypeScript cut to an exact token count with the model's
// own tokenizer, so every variant and round sees the same tokens.

/** Deterministic source text of at least `minChars` characters; it starts with "//". */
export function sourceText(minChars: number): string {
  const parts = ['// Inventory helpers: parse, price and report stock levels.\n'];
  let length = parts[0].length;
  for (let i = 0; length < minChars; i++) {
    const name = `${['load', 'price', 'count', 'merge', 'check'][i % 5]}Item${i}`;
    const block = [
      `export function ${name}(items: Item[], limit = ${10 + (i % 7)}): number {`,
      `  let total = 0;`,
      `  for (const item of items.slice(0, limit)) {`,
      `    if (item.quantity > ${i % 3}) total += item.price * item.quantity;`,
      `  }`,
      `  return Math.round(total * ${100 + i}) / ${100 + i};`,
      `}\n\n`,
    ].join('\n');
    parts.push(block);
    length += block.length;
  }
  return parts.join('');
}

/**
 * The longest prefix of `text` with at most `tokens` tokens, by bisection on its length (byte-level
 * BPE counts grow with the length, give or take a merge at the cut).
 */
export async function cutToTokens(text: string, tokens: number, countTokens: (text: string) => Promise<number>): Promise<{ prompt: string; tokens: number }> {
  if ((await countTokens(text)) < tokens) throw new RangeError(`The source text has fewer than ${tokens} tokens; make it longer.`);
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if ((await countTokens(text.slice(0, mid))) <= tokens) low = mid;
    else high = mid - 1;
  }
  const prompt = text.slice(0, low);
  return { prompt, tokens: await countTokens(prompt) };
}

/** A prompt sharing no first token with the benchmark's, so that running it empties the kept cache. */
export const cacheFlushPrompt = '#';
