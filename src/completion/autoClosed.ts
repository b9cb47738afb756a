// Closers the editor adds by itself: typing `(` where VS Code auto-closes it puts a `)` after the
// cursor, and Enter between `{` and its `}` moves the `}` to a line of its own below. Such text says
// nothing its opener does not, so the places that compare the text after the cursor with an earlier
// one (typed middles, typed-ahead) let it through.
import { OPENERS } from './codeScanner';

const QUOTES = '"\'`';
const CLOSER_OF: Readonly<Record<string, string>> = { ...OPENERS, '"': '"', "'": "'", '`': '`' };

/**
 * The closers of the brackets and quotes `text` leaves open, innermost first: what an editor
 * auto-closes. A plain scan, not codeScanner's: VS Code closes a bracket typed in a comment too.
 */
export function closersLeftOpen(text: string): string {
  const open: string[] = [];
  for (const ch of text) {
    const top = open.at(-1);
    if (top !== undefined && QUOTES.includes(top)) {
      if (ch === top) open.pop();
    } else if (ch === top) {
      open.pop();
    } else if (CLOSER_OF[ch] !== undefined) {
      open.push(CLOSER_OF[ch]);
    }
  }
  return open.reverse().join('');
}

/**
 * Where `after` may split into what the editor added while `typed` was typed and the text that was
 * there before: 0 (nothing added), then the end of each run of whitespace and closers whose closers
 * are, in order, some of those `typed` left open (the editor may not have closed every one).
 */
export function autoClosedSplits(after: string, typed: string): number[] {
  const splits = [0];
  const open = closersLeftOpen(typed);
  let matched = 0;
  for (let k = 0; k < after.length && matched < open.length; k++) {
    const ch = after[k]!;
    if (ch === ' ' || ch === '\t' || ch === '\n') continue;
    const at = open.indexOf(ch, matched);
    if (at < 0) break;
    matched = at + 1;
    splits.push(k + 1);
  }
  return splits;
}
