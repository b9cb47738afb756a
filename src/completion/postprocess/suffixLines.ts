// A completion that reaches the code below the cursor starts retyping it: the line that repeats the
// next line of the document ends the completion. Compared loosely (indentation, a trailing `;` or `,`),
// but only at the completion's own level: the same line inside a block the completion opened is new code.
import type { ScanState } from '../codeScanner';
import { scanCode } from '../codeScanner';
import type { FitContext } from '../fitContext';
import { indentWidth, isCloserLine, looseLine } from '../lineShape';
import type { Verdict } from './lineStage';
import { LineStage, keep, stop } from './lineStage';
import type { Stage } from './stage';
import { passThrough } from './stage';

class SuffixLines extends LineStage {
  private state: ScanState;
  private own = 0;
  /** Indentation of the completion's first line of code: deeper lines belong to blocks it opened. */
  private level: number | undefined;

  constructor(private readonly context: FitContext, private readonly target: string) {
    super();
    this.state = context.atCursor;
  }

  protected judge(line: string): Verdict {
    const ownBefore = this.own;
    this.state = scanCode(`${line}\n`, this.context.syntax, this.state, (e) => {
      if (e.kind === 'open') this.own++;
      else if ((e.kind === 'close' || e.kind === 'stray') && this.own > 0) this.own--;
    });
    const text = this.index === 0 ? this.context.linePrefix + line : line;
    if (text.trim() === '') return keep(line);
    const width = indentWidth(text, this.context.tabSize);
    this.level ??= width;
    // The cursor's line as it already was is the user's, not something the completion retyped.
    if (line.trim() === '') return keep(line);
    const atOwnLevel = ownBefore === 0 && width <= this.level;
    return atOwnLevel && looseLine(text) === this.target ? stop : keep(line);
  }
}

export function suffixLinesStage(context: FitContext): Stage {
  const next = context.nextLine;
  // Closing lines are the closingLine stage's, with its stricter rule.
  if (context.rest === 'code' || next === undefined || isCloserLine(next) || looseLine(next).length < 2) return passThrough();
  return new SuffixLines(context, looseLine(next));
}
