// Turns raw model text into what is shown: small steps, each answering one complaint users have about
// completions (duplicated suffix, doubled brackets, run-on blocks). All work on '\n' text.
import { normalizeEol } from './cursorContext';
import type { CompletionMode } from './multiline';
import { indentWidth } from './multiline';

export interface PostProcessContext {
  mode: Exclude<CompletionMode, { kind: 'none' }>;
  stops: readonly string[];
  linePrefix: string;
  lineSuffix: string;
  /** The first non-blank line below the cursor's line. */
  nextLine: string | undefined;
  maxLines: number;
  tabSize: number;
}

export function cutAtStops(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const stop of stops) {
    const at = stop ? text.indexOf(stop) : -1;
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end);
}

export function firstLineOnly(text: string): string {
  const at = text.indexOf('\n');
  return at < 0 ? text : text.slice(0, at);
}

export function trimLineEnds(text: string): string {
  return text.split('\n').map((l) => l.trimEnd()).join('\n').trimEnd();
}

export function capLines(text: string, maxLines: number): string {
  return text.split('\n').slice(0, Math.max(1, maxLines)).join('\n');
}

const CLOSER_LINE = /^(?:[)\]}]+[)\]};,]*|end\b.*|fi|done|esac|endif|endfunction|endwhile|endfor)$/;

/** Ends the block where a line falls below its indentation; the block's own closer is kept, then it ends. */
export function stopAtDedent(text: string, blockIndent: number, openerIndent: number | undefined, tabSize: number): string {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || indentWidth(line, tabSize) >= blockIndent) continue;
    const closesOurBlock = openerIndent !== undefined && indentWidth(line, tabSize) === openerIndent && CLOSER_LINE.test(line.trim());
    return lines.slice(0, closesOurBlock ? i + 1 : i).join('\n');
  }
  return text;
}

/** Stops where the completion reaches code the suffix already has: the rest of the line, or the next line. */
export function stopAtSuffixRepeat(text: string, ctx: Pick<PostProcessContext, 'linePrefix' | 'lineSuffix' | 'nextLine'>): string {
  const lines = text.split('\n');
  const rest = ctx.lineSuffix.trim();
  // Closers after the cursor get pushed down a line by a multi-line completion: at the opener's indentation.
  const restAsLine = rest ? leadingSpace(ctx.linePrefix) + rest : undefined;
  const next = ctx.nextLine?.trimEnd();
  for (let i = 0; i < lines.length; i++) {
    const line = (i === 0 ? ctx.linePrefix + lines[0] : lines[i] ?? '').trimEnd();
    if (line.trim() === '') continue;
    if ((i > 0 && line === restAsLine) || line === next) return lines.slice(0, i).join('\n');
  }
  return text;
}

/** `foo(|)` + `a)` → `a`: closers the completion does not open itself, that the line already has after the cursor. */
export function dropDuplicateClosers(text: string, lineSuffix: string): string {
  const run = /^[)\]}"'`;,]*/.exec(lineSuffix)?.[0] ?? '';
  if (!run) return text;
  const lastBreak = text.lastIndexOf('\n');
  const last = text.slice(lastBreak + 1);
  for (let k = run.length; k > 0; k--) {
    const needle = run.slice(0, k);
    const at = last.lastIndexOf(needle);
    if (at < 0 || !/^[\s;,]*$/.test(last.slice(at + k)) || !allUnmatched(needle, text)) continue;
    return text.slice(0, lastBreak + 1) + last.slice(0, at).trimEnd();
  }
  return text;
}

const PAIRS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

function allUnmatched(needle: string, text: string): boolean {
  const count = (ch: string) => text.split(ch).length - 1;
  for (const ch of new Set(needle)) {
    const wanted = needle.split(ch).length - 1;
    const opener = PAIRS[ch];
    if (opener !== undefined && count(ch) - count(opener) < wanted) return false;
    if (opener === undefined && /["'`]/.test(ch) && count(ch) % 2 === 0) return false;
  }
  return true;
}

/** A multi-line completion in front of closers ends on a fresh line, so the closers land on their own line. */
export function closeOnOwnLine(text: string, linePrefix: string, lineSuffix: string): string {
  if (!text.includes('\n') || !/^\s*[)\]}]/.test(lineSuffix)) return text;
  return `${text}\n${leadingSpace(linePrefix)}`;
}

/** The cutting steps alone (no trimming): shared by postProcess and the streaming check. */
export function truncate(raw: string, ctx: PostProcessContext): string {
  let text = cutAtStops(normalizeEol(raw), ctx.stops).split('\n').map((l) => l.trimEnd()).join('\n');
  text = ctx.mode.kind === 'single' ? firstLineOnly(text) : stopAtDedent(text, ctx.mode.blockIndent, ctx.mode.openerIndent, ctx.tabSize);
  text = stopAtSuffixRepeat(text, ctx);
  return capLines(text, ctx.maxLines);
}

/** Raw model text → the completion to show ('\n' line ends), or undefined when nothing useful is left. */
export function postProcess(raw: string, ctx: PostProcessContext): string | undefined {
  const text = trimLineEnds(dropDuplicateClosers(trimLineEnds(truncate(raw, ctx)), ctx.lineSuffix));
  if (text.trim() === '') return undefined;
  return ctx.mode.kind === 'multi' ? closeOnOwnLine(text, ctx.linePrefix, ctx.lineSuffix) : text;
}

/** While streaming: true once a complete line has been cut, so generating further is wasted work. */
export function isComplete(streamed: string, ctx: PostProcessContext): boolean {
  const text = normalizeEol(streamed);
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak < 0) return false;
  if (ctx.mode.kind === 'single') return true;
  const complete = text.slice(0, lastBreak);
  return truncate(complete, ctx).split('\n').length < complete.split('\n').length;
}

export interface DocumentFormat {
  eol: '\n' | '\r\n';
  insertSpaces: boolean;
  tabSize: number;
}

/**
 * The document's line ends and its tabs-or-spaces choice, applied to the indentation of each line after
 * the first (the first continues the cursor's line, so its leading space is not indentation).
 */
export function finalizeForDocument(text: string, format: DocumentFormat): string {
  const tabSize = Math.max(1, format.tabSize);
  const lines = text.split('\n').map((line, i) => {
    const indent = leadingSpace(line);
    if (!indent || i === 0) return line;
    const width = indentWidth(indent, tabSize);
    const fixed = format.insertSpaces ? ' '.repeat(width) : '\t'.repeat(Math.floor(width / tabSize)) + ' '.repeat(width % tabSize);
    return fixed + line.slice(indent.length);
  });
  return lines.join(format.eol);
}

function leadingSpace(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}
