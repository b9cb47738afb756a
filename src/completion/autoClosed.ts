// Closers the editor adds by itself: typing `(` where VS Code auto-closes it puts a `)` after the
// cursor. Such a closer says nothing its opener does not, so the places that compare the text after
// the cursor with an earlier one (typed middles, typed-ahead) let it through.

const QUOTES = '"\'`';
const CLOSER_OF: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}', '"': '"', "'": "'", '`': '`' };

/** The closers of the brackets and quotes `text` leaves open, innermost first: what an editor auto-closes. */
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
 * What the editor may have added after the cursor while `typed` was typed: nothing, or the closers it
 * left open, outermost kept (the editor may not have closed the innermost ones).
 */
export function autoClosedAfter(typed: string): string[] {
  const open = closersLeftOpen(typed);
  return Array.from({ length: open.length + 1 }, (_, added) => open.slice(open.length - added));
}
