// Cheap checks before any prompt work: content a code model cannot help with is skipped. Each check
// looks at a sample around the cursor, never the whole document.
import type { TextView } from './cursorContext';

export type SkipReason = 'binary' | 'minified' | 'tooLarge';

/**
 * Past this size a document gets no completions at all (VS Code itself turns features off for such
 * files). Below it, any size is fine: the pipeline only ever reads a window around the cursor.
 */
export const MAX_DOCUMENT_CHARS = 32 * 1024 * 1024;
/** Open editors larger than this are not searched for snippets. */
export const MAX_SNIPPET_SOURCE_CHARS = 256 * 1024;

const SAMPLE_CHARS = 4096;
/** Average line length beyond which the sample is generated or minified code. */
const MINIFIED_AVERAGE_LINE = 300;
/** A cursor line this long is data or minified code, whatever its neighbours look like. */
const MINIFIED_CURSOR_LINE = 3000;

export function prefilterDocument(doc: TextView, offset: number): SkipReason | undefined {
  if (doc.length > MAX_DOCUMENT_CHARS) return 'tooLarge';
  const start = Math.max(0, offset - SAMPLE_CHARS);
  const sample = doc.slice(start, Math.min(doc.length, offset + SAMPLE_CHARS));
  if (looksBinary(sample)) return 'binary';
  if (looksMinified(sample, offset - start)) return 'minified';
  return undefined;
}

/** NUL bytes, runs of U+FFFD (what a failed UTF-8 decode leaves) or many control characters. */
export function looksBinary(sample: string): boolean {
  if (sample.includes('\0') || sample.includes('\uFFFD\uFFFD')) return true;
  let replacement = 0;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0xfffd) replacement++;
    // Tab, newline, vertical tab, form feed, carriage return and escape occur in real text files.
    else if (c < 32 && (c < 9 || c > 13) && c !== 27) control++;
  }
  return replacement >= 4 || control > Math.max(4, sample.length / 100);
}

/** Long average lines across the sample, or a very long line under the cursor. */
export function looksMinified(sample: string, cursor = 0): boolean {
  const lineStart = cursor > 0 ? sample.lastIndexOf('\n', cursor - 1) + 1 : 0;
  const lineEnd = sample.indexOf('\n', cursor);
  const cursorLine = (lineEnd < 0 ? sample.length : lineEnd) - lineStart;
  if (cursorLine >= MINIFIED_CURSOR_LINE) return true;
  if (sample.length < 2000) return false;
  let lines = 1;
  for (let i = sample.indexOf('\n'); i >= 0; i = sample.indexOf('\n', i + 1)) lines++;
  return sample.length / lines > MINIFIED_AVERAGE_LINE;
}
