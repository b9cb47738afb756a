// What the `bench-scripted` model writes after <|fim_middle|> when the prompt holds no script key:
// the rest of `loadStockReport` in the bench's fill-in-the-middle document (test/bench/fimDocument.ts,
// cursor on the indented empty line before the closing brace), one token-sized piece at a time.
import { preTokenize } from './bpeTrainer';
import { SUCCESSOR_EXPLAIN_TOKENS, SUCCESSOR_EXPLAIN_TRIGGER, SUCCESSOR_SCRIPTS } from './successorScript';
import type { ScriptBook } from './successorScript';

/** The completion, exactly: nine lines, then <|endoftext|>. It starts with what the bench types ("retu"). */
export const BENCH_FIM_TEXT = [
  'return {',
  '    lines: merged,',
  '    skipped,',
  '    totalCents: merged.reduce(',
  '      (sum, line) => sum + line.quantity * line.priceCents,',
  '      0,',
  '    ),',
  '  };',
].join('\n');

/** Words as Qwen2's pre-tokenizer splits them, identifiers also split at their humps (`totalCents` → `total`, `Cents`). */
function tokenSizedWords(text: string): string[] {
  return preTokenize(text).flatMap((word) => word.split(/(?<=[a-z])(?=[A-Z])/));
}

/**
 * Splits `text` into pieces about the size of real tokens. The model's next token depends only on
 * its last one, so each piece may occur once: a word that would repeat a piece (or is in `reserved`)
 * is joined to the words after it. Pieces may be existing vocabulary tokens; the caller gives the
 * rest vocabulary entries of their own.
 */
export function uniquePieces(text: string, reserved: (piece: string) => boolean): string[] {
  const used = new Set<string>();
  const taken = (piece: string) => used.has(piece) || reserved(piece);
  const pieces: string[] = [];
  let pending = '';
  for (const word of tokenSizedWords(text)) {
    pending += word;
    if (taken(pending)) continue;
    pieces.push(pending);
    used.add(pending);
    pending = '';
  }
  // A repeat at the very end joins the pieces before it instead.
  while (pending !== '') {
    const last = pieces.pop();
    if (last === undefined) throw new Error(`cannot split ${JSON.stringify(text)} into distinct pieces`);
    used.delete(last);
    pending = last + pending;
    if (!taken(pending)) {
      pieces.push(pending);
      used.add(pending);
      pending = '';
    }
  }
  return pieces;
}

/**
 * The bench-scripted model's chains: BENCH_FIM_TEXT as the default FIM chain — also after text the
 * user typed into the middle, as a real model would go on — the successor model's explanation and
 * keyed scripts. A FIM piece may be an existing vocabulary token (it then
 * continues the chain instead of following its usual rule), but never one the other rules need:
 * an added token, a piece of another chain, or a token that starts the explanation.
 */
export function benchBook(addedContents: ReadonlySet<string>): ScriptBook {
  const otherPieces = new Set([...SUCCESSOR_EXPLAIN_TOKENS, ...Object.values(SUCCESSOR_SCRIPTS).flat()]);
  const reserved = (piece: string) => addedContents.has(piece) || otherPieces.has(piece) || SUCCESSOR_EXPLAIN_TRIGGER.test(piece);
  return { fim: uniquePieces(BENCH_FIM_TEXT, reserved), explain: SUCCESSOR_EXPLAIN_TOKENS, scripts: SUCCESSOR_SCRIPTS, fimAfterAnything: true };
}
