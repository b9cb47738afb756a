// A closing line the document already has right below (`}` before `};`, `  }` before `  } else {`,
// `end` before `end`) would be shown twice. Such a line ends the completion and is left out. Only a
// line that closes something opened before the completion counts: the `}` of a block the completion
// opened itself is its own, and indentation must agree, since the user's line may close another block.
import type { ScanState } from '../codeScanner';
import { scanCode } from '../codeScanner';
import type { FitContext } from '../fitContext';
import { indentWidth, isCloserLine, looseLine } from '../lineShape';
import type { Verdict } from './lineStage';
import { LineStage, keep, stop } from './lineStage';
import type { Stage } from './stage';
import { passThrough } from './stage';

class ClosingLine extends LineStage {
  private state: ScanState;
  /** Brackets the completion has opened and not yet closed. */
  private own = 0;

  constructor(private readonly context: FitContext, private readonly below: string) {
    super();
    this.state = context.atCursor;
  }

  protected judge(line: string): Verdict {
    let closesOlder = false;
    this.state = scanCode(`${line}\n`, this.context.syntax, this.state, (e) => {
      if (e.kind === 'open') this.own++;
      else if (e.kind === 'close' || e.kind === 'stray') {
        if (this.own > 0) this.own--;
        else closesOlder = true;
      }
    });
    const text = this.index === 0 ? this.context.linePrefix + line : line;
    if (!isCloserLine(text) || !this.duplicates(text, closesOlder)) return keep(line);
    return stop;
  }

  private duplicates(line: string, closesOlder: boolean): boolean {
    const { tabSize, indent } = this.context;
    const width = indentWidth(line, tabSize);
    const bracketLine = /^[)\]}]/.test(line.trim());
    // Keyword closers (`end`) carry no brackets: one less indented than the cursor closes an outer block.
    if (bracketLine ? !closesOlder : width >= indent && this.index > 0) return false;
    if (width !== indentWidth(this.below, tabSize)) return false;
    const mine = looseLine(line);
    return mine !== '' && looseLine(this.below).startsWith(mine);
  }
}

export function closingLineStage(context: FitContext): Stage {
  // Closers typed after the cursor on its own line are merged with the completion's, not dropped here.
  if (context.rest !== 'end' || context.nextLine === undefined) return passThrough();
  return new ClosingLine(context, context.nextLine);
}
