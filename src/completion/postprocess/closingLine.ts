// A closing line the document already has below (`}` before `};`, `  }` before `  } else {`, `end`
// before `end`) would be shown twice, and would close a block the user goes on writing below. Such
// a line ends the completion and is left out. Only a line that closes something opened before the
// completion counts (the `}` of a block the completion opened is its own), and the document's closing
// line must sit at the same indentation: one less indented closes an outer block the user left open.
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

  constructor(private readonly context: FitContext) {
    super();
    this.state = context.atCursor;
  }

  protected judge(line: string): Verdict {
    /** The stack index of the first older bracket this line closes. */
    let closesOlder: number | undefined;
    this.state = scanCode(`${line}\n`, this.context.syntax, this.state, (e) => {
      if (e.kind === 'open') this.own++;
      else if (e.kind === 'close' && this.own > 0) this.own--;
      else if (e.kind === 'close') closesOlder ??= e.depth - 1;
    });
    const text = this.index === 0 ? this.context.linePrefix + line : line;
    if (!isCloserLine(text)) return keep(line);
    const width = indentWidth(text, this.context.tabSize);
    if (/^[)\]}]/.test(text.trim())) {
      if (closesOlder === undefined) return keep(line);
      return this.context.closedBelow[closesOlder] === width ? stop : keep(line);
    }
    return this.repeatsNextLine(text, width) ? stop : keep(line);
  }

  /** Keyword and tag closers (`end`, `</ul>`) carry no brackets: the next line and indentation decide. */
  private repeatsNextLine(line: string, width: number): boolean {
    const { nextLine, indent, tabSize } = this.context;
    if (nextLine === undefined || (width >= indent && this.index > 0)) return false;
    const mine = looseLine(line);
    return width === indentWidth(nextLine, tabSize) && mine !== '' && looseLine(nextLine).startsWith(mine);
  }
}

export function closingLineStage(context: FitContext): Stage {
  // Closers typed after the cursor on its own line are merged with the completion's, not dropped here.
  return context.rest === 'end' ? new ClosingLine(context) : passThrough();
}
