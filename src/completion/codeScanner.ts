// Brackets, strings and comments, read just well enough to tell which closers a completion brings,
// which it leaves open, and whether a line is balanced. A real parser per language would be more
// exact; this one is small, never throws, and is the same for every language Inkling completes.
import { commentSyntaxFor } from '../languages/commentSyntax';

export interface CodeSyntax {
  lineComment: string | undefined;
  blockComment: readonly [open: string, close: string] | undefined;
  /** `'` opens strings (JS, Python, SQL…); elsewhere it is only a char literal ('x') or a lifetime. */
  singleQuoteStrings: boolean;
  /** Delimiters whose strings may span lines (template literals, raw strings, docstrings). */
  multilineQuotes: readonly string[];
  /** Python and friends: `#` starts a comment even right after code. Elsewhere it needs a space before it. */
  hashAlwaysComments: boolean;
}

export interface ScanState {
  /** Open brackets, innermost last. */
  readonly stack: readonly string[];
  /** The delimiter of the string the text ends inside, if any. */
  readonly quote: string | undefined;
  /** The closing marker of the block comment the text ends inside, if any. */
  readonly comment: string | undefined;
  /** The text ends inside a line comment. */
  readonly lineComment: boolean;
}

export type ScanEventKind = 'open' | 'close' | 'stray' | 'quoteOpen' | 'quoteClose' | 'unterminated';

export interface ScanEvent {
  kind: ScanEventKind;
  /** Index in the scanned text. */
  index: number;
  char: string;
  /** Stack depth before the event: a close at depth <= the depth the scan started at closes older code. */
  depth: number;
}

export const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
export const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
export const EMPTY_STATE: ScanState = { stack: [], quote: undefined, comment: undefined, lineComment: false };

const CHAR_QUOTE_LANGUAGES = new Set(['c', 'cpp', 'csharp', 'cuda', 'cuda-cpp', 'go', 'java', 'kotlin', 'objective-c', 'objective-cpp', 'rust', 'scala', 'swift', 'zig', 'verilog']);
const BACKTICK_MULTILINE = new Set(['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go', 'vue', 'svelte']);
const TRIPLE_QUOTES = new Set(['python', 'julia', 'kotlin', 'scala', 'swift', 'toml']);
const HASH_ALWAYS = new Set(['python', 'ruby', 'r', 'perl', 'julia', 'nim', 'elixir', 'coffeescript', 'cmake', 'toml']);
const STRING_PREFIX = /(?:^|[^\w])(?:[rRbBuUfFnN]{1,2})$/;

export function syntaxFor(languageId: string): CodeSyntax {
  const comments = commentSyntaxFor(languageId);
  const multiline: string[] = [];
  if (TRIPLE_QUOTES.has(languageId)) multiline.push('"""', "'''");
  if (BACKTICK_MULTILINE.has(languageId)) multiline.push('`');
  return {
    lineComment: comments?.line,
    blockComment: comments?.block,
    singleQuoteStrings: !CHAR_QUOTE_LANGUAGES.has(languageId),
    multilineQuotes: multiline,
    hashAlwaysComments: HASH_ALWAYS.has(languageId),
  };
}

/** Scans `text` from `from`, reporting each bracket and string event; returns the state at its end. */
export function scanCode(text: string, syntax: CodeSyntax, from: ScanState = EMPTY_STATE, onEvent?: (event: ScanEvent) => void): ScanState {
  const stack = [...from.stack];
  let { quote, comment, lineComment } = from;
  const report = (kind: ScanEventKind, index: number, char: string, depth = stack.length) => onEvent?.({ kind, index, char, depth });
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      if (quote !== undefined && !syntax.multilineQuotes.includes(quote)) {
        report('unterminated', i, quote);
        quote = undefined;
      }
      lineComment = false;
      i++;
    } else if (lineComment) {
      i++;
    } else if (comment !== undefined) {
      if (text.startsWith(comment, i)) {
        i += comment.length;
        comment = undefined;
      } else i++;
    } else if (quote !== undefined) {
      if (ch === '\\') i += 2;
      else if (text.startsWith(quote, i)) {
        report('quoteClose', i, quote);
        i += quote.length;
        quote = undefined;
      } else i++;
    } else {
      const step = codeStep(text, i, syntax);
      if (step.kind === 'blockComment') comment = step.close;
      else if (step.kind === 'lineComment') lineComment = true;
      else if (step.kind === 'quote') {
        report('quoteOpen', i, step.quote);
        quote = step.quote;
      } else if (OPENERS[ch] !== undefined) {
        report('open', i, ch);
        stack.push(ch);
      } else if (CLOSERS[ch] !== undefined) {
        if (stack[stack.length - 1] === CLOSERS[ch]) {
          report('close', i, ch);
          stack.pop();
        } else report('stray', i, ch);
      }
      i += step.length;
    }
  }
  return { stack, quote, comment, lineComment };
}

type CodeStep =
  | { kind: 'plain'; length: number }
  | { kind: 'blockComment'; close: string; length: number }
  | { kind: 'lineComment'; length: number }
  | { kind: 'quote'; quote: string; length: number };

function codeStep(text: string, i: number, syntax: CodeSyntax): CodeStep {
  const block = syntax.blockComment;
  if (block && text.startsWith(block[0], i)) return { kind: 'blockComment', close: block[1], length: block[0].length };
  const marker = syntax.lineComment;
  if (marker && text.startsWith(marker, i) && (marker !== '#' || syntax.hashAlwaysComments || i === 0 || /\s/.test(text[i - 1]!))) {
    return { kind: 'lineComment', length: marker.length };
  }
  for (const q of syntax.multilineQuotes) if (text.startsWith(q, i)) return { kind: 'quote', quote: q, length: q.length };
  const ch = text[i]!;
  if (ch === '"' || ch === '`') return { kind: 'quote', quote: ch, length: 1 };
  if (ch === "'") {
    if (!syntax.singleQuoteStrings) {
      // A char literal is skipped whole, so '(' is no bracket; a lone ' (a lifetime) is nothing.
      const literal = /^'(?:\\[^'\n]{1,10}|[^\\'\n])'/.exec(text.slice(i, i + 14));
      return { kind: 'plain', length: literal ? literal[0].length : 1 };
    }
    // An apostrophe inside a word (don't, it's) is not a quote, but string prefixes (f'', r'') are.
    const before = text.slice(Math.max(0, i - 3), i);
    if (/\w$/.test(before) && !STRING_PREFIX.test(before)) return { kind: 'plain', length: 1 };
    return { kind: 'quote', quote: "'", length: 1 };
  }
  return { kind: 'plain', length: 1 };
}

/** The state at the end of `text`, reading at most its last `maxLines` lines (older code rarely matters). */
export function stateAfter(text: string, syntax: CodeSyntax, maxLines = 60): ScanState {
  let start = text.length;
  for (let n = 0; n < maxLines && start > 0; n++) start = text.lastIndexOf('\n', start - 1);
  return scanCode(text.slice(Math.max(0, start)), syntax);
}

/**
 * What is wrong with the brackets and quotes of `text` read from `from`: closers that close nothing,
 * strings left open at a line end, and brackets or multi-line strings the text opens and leaves open.
 * Closing brackets opened before `text` is not a problem (a call spread over lines ends so).
 */
export function balanceProblems(text: string, syntax: CodeSyntax, from: ScanState = EMPTY_STATE): number {
  let problems = 0;
  let lowest = from.stack.length;
  const end = scanCode(text, syntax, from, (e) => {
    if (e.kind === 'stray' || e.kind === 'unterminated') problems++;
    if (e.kind === 'close') lowest = Math.min(lowest, e.depth - 1);
  });
  problems += Math.max(0, end.stack.length - lowest);
  if (end.quote !== undefined && end.quote !== from.quote) problems++;
  return problems;
}

/** How many brackets `text` opens and leaves open (closing older ones does not offset them). */
export function leftOpen(text: string, syntax: CodeSyntax, from: ScanState = EMPTY_STATE): number {
  let lowest = from.stack.length;
  const end = scanCode(text, syntax, from, (e) => {
    if (e.kind === 'close') lowest = Math.min(lowest, e.depth - 1);
  });
  return Math.max(0, end.stack.length - lowest);
}
