// Reads only a window of the document around the cursor, so a 10 MB file or a 50,000-character line
// costs the same as a small one. Everything downstream sees '\n' line ends.

/** What the pipeline reads a document through: a string satisfies it, and so can a lazy editor view. */
export interface TextView {
  readonly length: number;
  slice(start: number, end: number): string;
}

export interface CursorContext {
  /** Text before the cursor inside the window, '\n' line ends. */
  before: string;
  /** Text after the cursor inside the window, '\n' line ends. */
  after: string;
  /** True when `before` reaches back to the start of the document. */
  startsAtDocument: boolean;
  /** False when the window starts inside a line: the first line of `before` is partial. */
  beforeStartsAtLine: boolean;
  /** False when the window ends inside a line: the last line of `after` is partial. */
  afterEndsAtLine: boolean;
  /** The cursor's line up to the cursor, and from the cursor on (both within the window). */
  linePrefix: string;
  lineSuffix: string;
  /** The nearest non-blank line above the cursor's line, if the window holds one. */
  previousLine: string | undefined;
  /** The first non-blank line below the cursor's line, if the window holds one. */
  nextLine: string | undefined;
  /** Characters read from the document (for tests that prove the window is bounded). */
  charsRead: number;
}

/** Characters read each side of the cursor per token of budget: generous, since tokens average ~3.5. */
export const WINDOW_CHARS_PER_TOKEN = 8;

export function windowCharsFor(contextTokens: number): number {
  return Math.max(2048, Math.ceil(contextTokens * WINDOW_CHARS_PER_TOKEN));
}

export function normalizeEol(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n');
}

export function readCursorContext(doc: TextView, offset: number, windowChars: number): CursorContext {
  const start = Math.max(0, offset - windowChars);
  const end = Math.min(doc.length, offset + windowChars);
  // One extra character each side tells whether the window edge falls on a line start/end.
  const edgeBefore = start > 0 ? doc.slice(start - 1, start) : '\n';
  const edgeAfter = end < doc.length ? doc.slice(end, end + 1) : '\n';
  const before = normalizeEol(doc.slice(start, offset));
  const after = normalizeEol(doc.slice(offset, end));
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = after.indexOf('\n');
  return {
    before,
    after,
    startsAtDocument: start === 0,
    beforeStartsAtLine: edgeBefore === '\n',
    afterEndsAtLine: edgeAfter === '\n' || edgeAfter === '\r',
    linePrefix: before.slice(lineStart),
    lineSuffix: lineEnd < 0 ? after : after.slice(0, lineEnd),
    previousLine: lineStart > 0 ? lastNonBlankLine(before, lineStart - 1) : undefined,
    nextLine: lineEnd < 0 ? undefined : firstNonBlankLine(after, lineEnd + 1),
    charsRead: offset - start + (end - offset) + 2,
  };
}

function lastNonBlankLine(text: string, end: number): string | undefined {
  let stop = end;
  while (stop > 0) {
    const from = text.lastIndexOf('\n', stop - 1) + 1;
    const line = text.slice(from, stop);
    if (line.trim() !== '') return line;
    stop = from - 1;
  }
  return undefined;
}

function firstNonBlankLine(text: string, from: number): string | undefined {
  let at = from;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const line = text.slice(at, nl < 0 ? text.length : nl);
    if (line.trim() !== '') return line;
    if (nl < 0) break;
    at = nl + 1;
  }
  return undefined;
}
