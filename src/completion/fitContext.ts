// What the post-processing stages know about the place a completion goes, worked out once per request
// from the text around the cursor.
import type { CodeSyntax, ScanState } from './codeScanner';
import { scanCode, stateAfter, syntaxFor } from './codeScanner';
import type { FitPlace, MultilineMode, Trigger } from './fitCompletion';
import { endsWithOpener, indentWidth } from './lineShape';

/** What follows the cursor on its line: nothing, only closers (auto-closed brackets, quotes, `;`), or code. */
export type RestOfLine = 'end' | 'closers' | 'code';

export interface FitContext {
  readonly languageId: string;
  readonly trigger: Trigger;
  readonly tabSize: number;
  readonly insertSpaces: boolean;
  readonly multiline: MultilineMode;
  readonly maxLines: number;
  readonly stops: readonly string[];
  readonly syntax: CodeSyntax;
  /** The cursor's line before and after the cursor. */
  readonly linePrefix: string;
  readonly lineSuffix: string;
  readonly rest: RestOfLine;
  /** Indentation width of the cursor's line. */
  readonly indent: number;
  /** The lines after the cursor's line (a bounded window). */
  readonly below: readonly string[];
  /** The first non-blank line below the cursor's line. */
  readonly nextLine: string | undefined;
  /** Brackets and strings open where the cursor's line starts, and at the cursor. */
  readonly lineStart: ScanState;
  readonly atCursor: ScanState;
  /**
   * For each bracket open at the cursor (innermost last), the indentation of the line below where the
   * document closes it; undefined where the window below never does (the user has not written it yet).
   */
  readonly closedBelow: readonly (number | undefined)[];
  /** The cursor sits in a line comment: a completion there continues the comment, one line. */
  readonly inLineComment: boolean;
  /** The cursor's line ends in a block opener before the cursor: `if (ok) {‸`, `def f():‸`. */
  readonly cursorOpens: boolean;
  /** The cursor is on a blank line right under a block opener: the opener line's indentation. */
  readonly emptyBlockStart: number | undefined;
}

export const DEFAULT_MAX_LINES = 16;
const BELOW_LINES = 40;
/** Closers, quotes, `;`, `,`, `:`, `>`, `/>` and spaces: text a completion may sit in front of. */
const CLOSERS_ONLY = /^(?:[\s)\]}"'`;,:>]|\/>)*$/;

export function restOfLine(lineSuffix: string): RestOfLine {
  if (lineSuffix.trim() === '') return 'end';
  return CLOSERS_ONLY.test(lineSuffix) ? 'closers' : 'code';
}

export function fitContextOf(place: FitPlace): FitContext {
  const { before, after, languageId } = place;
  const tabSize = Math.max(1, Math.floor(place.indentation.tabSize) || 4);
  const syntax = syntaxFor(languageId);
  const lineStartAt = before.lastIndexOf('\n') + 1;
  const linePrefix = before.slice(lineStartAt);
  const lineEnd = after.indexOf('\n');
  const lineSuffix = lineEnd < 0 ? after : after.slice(0, lineEnd);
  const below = lineEnd < 0 ? [] : after.slice(lineEnd + 1).split('\n', BELOW_LINES);
  const lineStart = stateAfter(before.slice(0, lineStartAt), syntax);
  const atCursor = scanCode(linePrefix, syntax, lineStart);
  const previousLine = lastNonBlankLine(before.slice(0, Math.max(0, lineStartAt - 1)));
  const blankLine = linePrefix.trim() === '' && lineSuffix.trim() === '';
  const commentAtCursor = atCursor.lineComment;
  return {
    languageId,
    trigger: place.trigger,
    tabSize,
    insertSpaces: place.indentation.insertSpaces,
    multiline: place.options?.multiline ?? 'auto',
    maxLines: Math.max(1, Math.floor(place.options?.maxLines ?? DEFAULT_MAX_LINES)),
    stops: place.options?.stops ?? [],
    syntax,
    linePrefix,
    lineSuffix,
    rest: restOfLine(lineSuffix),
    indent: indentWidth(linePrefix, tabSize),
    below,
    nextLine: below.find((l) => l.trim() !== ''),
    lineStart,
    atCursor,
    closedBelow: closedBelow(lineSuffix, below, atCursor, syntax, tabSize),
    inLineComment: commentAtCursor,
    cursorOpens: !commentAtCursor && atCursor.quote === undefined && linePrefix.trim() !== '' && endsWithOpener(linePrefix, languageId),
    emptyBlockStart: blankLine && previousLine !== undefined && endsWithOpener(previousLine, languageId) ? indentWidth(previousLine, tabSize) : undefined,
  };
}

function closedBelow(lineSuffix: string, below: readonly string[], atCursor: ScanState, syntax: CodeSyntax, tabSize: number): (number | undefined)[] {
  const found: (number | undefined)[] = atCursor.stack.map(() => undefined);
  let state = scanCode(lineSuffix, syntax, atCursor);
  let lowest = state.stack.length;
  for (const line of below) {
    state = scanCode(`\n${line}`, syntax, state, (e) => {
      if (e.kind !== 'close' || e.depth > lowest) return;
      lowest = e.depth - 1;
      if (lowest < found.length) found[lowest] = indentWidth(line, tabSize);
    });
    if (lowest === 0) break;
  }
  return found;
}

function lastNonBlankLine(text: string): string | undefined {
  const lines = text.slice(-4000).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.trim() !== '') return lines[i];
  return undefined;
}
