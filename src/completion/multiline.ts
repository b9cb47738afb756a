// Whether a completion may span lines, from the cursor's line alone: users find long unasked-for
// blocks worse than none, and text after the cursor is usually something the model would duplicate.
import type { MultilineSetting } from '../settings/settings';
import { commentSyntaxFor } from '../languages/commentSyntax';

export type CompletionMode =
  | { kind: 'none'; reason: string }
  | { kind: 'single' }
  /** blockIndent: the indentation width the completion's body lives at; a line below it ends the block. */
  | { kind: 'multi'; blockIndent: number; openerIndent: number | undefined };

export interface ModeInput {
  linePrefix: string;
  lineSuffix: string;
  /** Nearest non-blank line above the cursor's line. */
  previousLine: string | undefined;
  languageId: string;
  setting: MultilineSetting;
  tabSize: number;
  /** An explicit request (the user asked) is answered even mid-line, as one line. */
  trigger?: 'automatic' | 'explicit';
}

/** Text after the cursor that a completion may sit in front of: closers, quotes, punctuation. */
const CLOSERS_ONLY = /^[\s)\]}>"'`;,.:]*$/;
const OPENER = /(?:[{([]|=>|->|\b(?:then|do|else|begin))$/;
const SWITCH_LABEL = /^\s*(?:case\b.*|default)\s*:$/;
const COLON_BLOCK_LANGUAGES = new Set(['python', 'yaml', 'nim', 'coffeescript', 'cython', 'gdscript']);

export function decideMode(input: ModeInput): CompletionMode {
  const { linePrefix, lineSuffix, previousLine, languageId, setting, tabSize } = input;
  const midLine = lineSuffix.trim() !== '';
  if (midLine && !CLOSERS_ONLY.test(lineSuffix)) {
    if (input.trigger !== 'explicit') return { kind: 'none', reason: 'text after the cursor' };
    return { kind: 'single' };
  }
  const ownIndent = indentWidth(linePrefix, tabSize);
  const opensBlock = endsWithOpener(linePrefix, languageId);
  const blankLine = linePrefix.trim() === '';
  const previousOpens = blankLine && previousLine !== undefined && endsWithOpener(previousLine, languageId);
  const multi = (): CompletionMode => {
    if (opensBlock) return { kind: 'multi', blockIndent: ownIndent + 1, openerIndent: ownIndent };
    if (previousOpens && previousLine !== undefined) {
      const openerIndent = indentWidth(previousLine, tabSize);
      return { kind: 'multi', blockIndent: Math.max(ownIndent, openerIndent + 1), openerIndent };
    }
    return { kind: 'multi', blockIndent: ownIndent, openerIndent: undefined };
  };
  if (setting === 'never') return { kind: 'single' };
  if (setting === 'always') return multi();
  if (insideLineComment(linePrefix, languageId)) return { kind: 'single' };
  if (opensBlock || previousOpens || (blankLine && ownIndent > 0)) return multi();
  return { kind: 'single' };
}

export function endsWithOpener(line: string, languageId: string): boolean {
  const text = line.trimEnd();
  if (OPENER.test(text)) return true;
  if (!text.endsWith(':') || text.endsWith('::')) return false;
  return COLON_BLOCK_LANGUAGES.has(languageId) || SWITCH_LABEL.test(text);
}

/** Leading whitespace width, a tab counting as `tabSize`. */
export function indentWidth(line: string, tabSize: number): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += tabSize;
    else break;
  }
  return width;
}

/** A line-comment marker at the start or after whitespace ("//" inside "http://x" does not count). */
export function insideLineComment(linePrefix: string, languageId: string): boolean {
  const marker = commentSyntaxFor(languageId)?.line;
  if (!marker) return false;
  const at = linePrefix.indexOf(marker);
  if (at < 0) return false;
  if (at === 0 || /\s/.test(linePrefix[at - 1] ?? '')) return true;
  return insideLineComment(linePrefix.slice(at + marker.length), languageId);
}
