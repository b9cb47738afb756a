// Brackets, once the completion is known in full:
// - brackets it opens and never closes (the line cap cut it, or the model stopped) make a broken
//   line: it is cut back to the last line where everything it opened is closed again;
// - closers at its end that close nothing are dropped;
// - closers at the end of its last line that the document below already has (`foo(⏎  a,⏎  ‸⏎)` with
//   `b)`) are dropped, so the call is not closed twice.
// Closers typed after the cursor on its own line are merged with the completion's later (closerMerge).
import { scanCode } from '../codeScanner';
import type { FitContext } from '../fitContext';
import type { Stage } from './stage';

class BracketBalance implements Stage {
  readonly done = false;
  private text = '';

  constructor(private readonly context: FitContext) {}

  push(text: string): string {
    this.text += text;
    return '';
  }

  end(): string {
    const text = dropTrailingClosers(cutToBalanced(this.text, this.context), this.context);
    this.text = '';
    return text;
  }
}

/** `text` up to the end of its last line at which everything it opened is closed; all of it if it ends so. */
function cutToBalanced(text: string, context: FitContext): string {
  if (balanced(text, context)) return text;
  let end = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) if (balanced(text.slice(0, at), context)) end = at;
  return text.slice(0, end);
}

/** Everything `text` opens, it closes again (brackets, and strings that may span lines). */
function balanced(text: string, context: FitContext): boolean {
  let own = 0;
  const state = scanCode(text, context.syntax, context.atCursor, (e) => {
    if (e.kind === 'open') own++;
    else if (e.kind === 'close' && own > 0) own--;
  });
  return own === 0 && (state.quote === undefined || state.quote === context.atCursor.quote);
}

const TRAILING_CLOSERS = /[)\]}][)\]};,\s]*$/;

/** Drops closers at the end of the last line that close nothing, or that the document below has. */
function dropTrailingClosers(text: string, context: FitContext): string {
  const lineStart = text.lastIndexOf('\n') + 1;
  const run = TRAILING_CLOSERS.exec(text.slice(lineStart));
  if (!run) return text;
  const runStart = lineStart + run.index;
  const drop = new Set<number>();
  let firstClosedBelow: number | undefined;
  let own = 0;
  scanCode(text, context.syntax, context.atCursor, (e) => {
    if (e.kind === 'open') own++;
    else if (e.kind === 'close' && own > 0) own--;
    else if (e.index >= runStart && e.kind === 'stray') drop.add(e.index);
    else if (e.index >= runStart && e.kind === 'close' && context.closedBelow[e.depth - 1] !== undefined) firstClosedBelow ??= e.index;
  });
  const codeBefore = text.slice(lineStart, runStart).trim() !== '';
  // A line of closers alone is the closingLine stage's call, which also weighs indentation.
  if (context.rest === 'end' && codeBefore && firstClosedBelow !== undefined) return text.slice(0, firstClosedBelow).trimEnd();
  if (drop.size === 0) return text;
  return text.split('').filter((_, i) => !drop.has(i)).join('').trimEnd();
}

export function bracketBalanceStage(context: FitContext): Stage {
  return new BracketBalance(context);
}
