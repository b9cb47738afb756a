// Builds the prompt under the token budget: the suffix takes up to its share, the prefix the rest
// (less a reserve for snippets), both cut at whole lines; snippets fill whatever is left.
//
// While the user types at one place, the prompt should change only at its end: the model process
// keeps the KV cache of the last prompt and recomputes from the first token that differs. So the
// prefix keeps starting at the line it started at before, as long as it fits; when it no longer
// does, it starts far enough down to grow for a while (PREFIX_SLACK). Families trained with the
// suffix first get that order, which puts the unchanging suffix before the cursor too.
import { formatAsComment } from '../languages/commentSyntax';
import type { CursorContext } from './cursorContext';
import type { Snippet } from './snippets';
import { formatSnippet } from './snippets';
import type { PromptTemplate } from './templates';
import { renderTemplate } from './templates';
import type { TokenCounter } from './tokenCounter';
import { estimateTokens, fitHead, fitTail } from './tokenCounter';

/**
 * Share of the budget the suffix may take; what it leaves unused goes to the prefix. In prefix-first
 * layouts every keystroke recomputes the suffix: at 0.15 a mid-file keystroke with the kept cache
 * took 0.16× a cold prompt's time, at 0.3 0.32× (bench/README.md, "Keystrokes mid-file").
 */
export const SUFFIX_SHARE = 0.15;
/** Share of the prefix's budget left free when it must start lower, so the next keystrokes still fit. */
export const PREFIX_SLACK = 0.15;
/** Characters of the previous prefix's start looked for in the new text (one or two lines of code). */
const PREFIX_HEAD_CHARS = 160;
/** Share kept back from the prefix for snippets when there are any. */
export const SNIPPET_SHARE = 0.2;

export interface PromptOptions {
  context: CursorContext;
  template: PromptTemplate;
  languageId: string;
  /** Workspace-relative path; written as a comment header when the language has comments. */
  path: string;
  contextTokens: number;
  snippets?: readonly Snippet[];
  counter?: TokenCounter;
  /** Share of the budget the suffix may take (default SUFFIX_SHARE). */
  suffixShare?: number;
  /** The prompt is built again at every keystroke here: a new prefix start leaves PREFIX_SLACK free to grow into. */
  stable?: boolean;
  /** The prefix of the last prompt built for this document: where it started, this one starts if it fits (with `stable`). */
  previousPrefix?: string;
  /** Suffix first where the family was trained with that order too (default true). */
  suffixFirst?: boolean;
  /** Share of the prefix's budget left free at a new start (default PREFIX_SLACK; the benchmarks compare others). */
  prefixSlack?: number;
}

export interface BuiltPrompt {
  prompt: string;
  /** The document text that made it into the prompt, before and after the cursor. */
  prefix: string;
  suffix: string;
  snippetCount: number;
  /** The prompt's size as the counter sees it (an upper bound with the estimator). */
  tokens: number;
  /** Whether the suffix came first (SPM). */
  suffixFirst: boolean;
  /**
   * Tokens the prefix can still grow by before its start must move down (every token then computed
   * again); Infinity when it holds the document from its first line.
   */
  prefixRoom: number;
}

export function buildPrompt(options: PromptOptions): BuiltPrompt {
  const { context, template, languageId, contextTokens, snippets = [], counter = estimateTokens, suffixShare = SUFFIX_SHARE } = options;
  const header = pathHeader(options.path, languageId, context);
  const overhead = counter.count(renderTemplate(template, '', '')) + counter.count(header);
  const available = Math.max(0, Math.floor(contextTokens) - overhead);
  const suffix = template.infill ? takeSuffix(context, Math.floor(available * suffixShare), counter) : { text: '', tokens: 0 };
  const reserve = snippets.length > 0 ? Math.floor(available * SNIPPET_SHARE) : 0;
  const cap = available - suffix.tokens - reserve;
  const slack = options.prefixSlack ?? PREFIX_SLACK;
  const prefix = (options.stable ? keptPrefix(context, options.previousPrefix, cap, slack, counter) : undefined)
    ?? takePrefix(context, options.stable ? Math.floor(cap * (1 - slack)) : cap, counter);
  let left = available - suffix.tokens - prefix.tokens;
  let snippetText = '';
  let snippetCount = 0;
  for (const snippet of snippets) {
    const formatted = formatSnippet(snippet, languageId);
    const cost = formatted === undefined ? Infinity : counter.count(formatted);
    if (formatted === undefined || cost > left) continue;
    snippetText += formatted;
    snippetCount++;
    left -= cost;
  }
  const body = defuse(header + snippetText + prefix.text, template);
  const suffixFirst = options.suffixFirst !== false && template.suffixFirstPattern !== undefined;
  const prompt = renderTemplate(template, body, defuse(suffix.text, template), suffixFirst);
  const tokens = overhead + prefix.tokens + suffix.tokens + (available - suffix.tokens - prefix.tokens - left);
  const whole = context.startsAtDocument && prefix.text === context.before;
  return { prompt, prefix: prefix.text, suffix: suffix.text, snippetCount, tokens, suffixFirst, prefixRoom: whole ? Infinity : Math.max(0, cap - prefix.tokens) };
}

/**
 * The prefix from where `previous` started, when that line is still in the window, it fits in `cap`,
 * and it still fills most of it (after a jump back up, or much deleted, a fresh start gives more context).
 */
function keptPrefix(context: CursorContext, previous: string | undefined, cap: number, slack: number, counter: TokenCounter): { text: string; tokens: number } | undefined {
  if (!previous) return undefined;
  const { before } = context;
  const head = previous.slice(0, PREFIX_HEAD_CHARS);
  const at = before.lastIndexOf(head);
  if (at < 0 || (at === 0 ? !context.beforeStartsAtLine : before[at - 1] !== '\n')) return undefined;
  // The cursor's line is always whole in a prefix: a start inside it is not a line start we kept.
  if (at > before.lastIndexOf('\n') + 1 || (at === before.lastIndexOf('\n') + 1 && at > 0 && previous.includes('\n'))) return undefined;
  const text = before.slice(at);
  const tokens = countByLines(text, counter);
  return tokens <= cap && tokens >= cap * (1 - 2 * slack) ? { text, tokens } : undefined;
}

/** The count takePrefix would give: line by line, each line with its line break. */
function countByLines(text: string, counter: TokenCounter): number {
  const cursorLine = text.lastIndexOf('\n') + 1;
  let tokens = counter.count(text.slice(cursorLine));
  let end = cursorLine;
  while (end > 0) {
    // lastIndexOf from -1 would find a line break at 0 again: a blank first line must end the walk.
    const from = end >= 2 ? text.lastIndexOf('\n', end - 2) + 1 : 0;
    tokens += counter.count(text.slice(from, end));
    end = from;
  }
  return tokens;
}

/** The path as a comment line, unless the file must start with something else (shebang, `<?php`). */
function pathHeader(path: string, languageId: string, context: CursorContext): string {
  if (!path || (context.startsAtDocument && /^(#!|<\?)/.test(context.before))) return '';
  const comment = formatAsComment(path, languageId);
  return comment === undefined ? '' : `${comment}\n`;
}

/** Whole lines ending at the cursor; the cursor's own line always, cut mid-line only if it alone is too big. */
export function takePrefix(context: CursorContext, cap: number, counter: TokenCounter): { text: string; tokens: number } {
  const { before } = context;
  const lineStart = before.lastIndexOf('\n') + 1;
  const cursorLine = before.slice(lineStart);
  let tokens = counter.count(cursorLine);
  if (tokens > cap || (lineStart === 0 && !context.beforeStartsAtLine)) {
    const text = fitTail(cursorLine, Math.max(0, cap), counter);
    return { text, tokens: counter.count(text) };
  }
  let start = lineStart;
  while (start > 0) {
    const from = start >= 2 ? before.lastIndexOf('\n', start - 2) + 1 : 0;
    if (from === 0 && !context.beforeStartsAtLine) break; // a partial line at the window's edge
    const cost = counter.count(before.slice(from, start));
    if (tokens + cost > cap) break;
    tokens += cost;
    start = from;
  }
  return { text: before.slice(start), tokens };
}

/** Whole lines starting at the cursor; the rest of the cursor's line first. */
export function takeSuffix(context: CursorContext, cap: number, counter: TokenCounter): { text: string; tokens: number } {
  const { after } = context;
  const firstBreak = after.indexOf('\n');
  const restOfLine = firstBreak < 0 ? after : after.slice(0, firstBreak);
  let tokens = counter.count(restOfLine);
  if (tokens > cap || (firstBreak < 0 && !context.afterEndsAtLine)) {
    const text = fitHead(restOfLine, Math.max(0, cap), counter);
    return { text, tokens: counter.count(text) };
  }
  let end = restOfLine.length;
  while (end < after.length) {
    const next = after.indexOf('\n', end + 1);
    if (next < 0 && !context.afterEndsAtLine) break;
    const lineEnd = next < 0 ? after.length : next;
    const cost = counter.count(after.slice(end, lineEnd));
    if (tokens + cost > cap) break;
    tokens += cost;
    end = lineEnd;
  }
  return { text: after.slice(0, end), tokens };
}

/**
 * Breaks the template's own special tokens where they appear in the user's code (say, while editing
 * this very file), so the tokenizer reads them as text rather than as prompt structure.
 */
function defuse(text: string, template: PromptTemplate): string {
  if (!text.includes('<')) return text;
  let out = text;
  for (const token of new Set([...template.markers, ...template.stop])) {
    if (out.includes(token)) out = out.split(token).join(`${token[0]}\u200B${token.slice(1)}`);
  }
  return out;
}
