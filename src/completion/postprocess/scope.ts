// How far a completion reaches: the end of its statement, block or run of lines.
// - A completion that continues the cursor's line is one line (a statement) ...
// - ... unless that line opens a block (`if (ready) {`, `items.map((x) =>`, `def f(`): then the block,
//   through the line that closes it.
// - One that starts on the next line, or fills an indented blank line, runs on through its scope:
//   until a blank line or a line less indented than where it started.
// - At the start of an empty block (`def f():⏎‸`), the whole body, up to the block's end.
// Line comments and `multiline: never` keep it to one line; `always` runs on as on a blank line.
import type { ScanState } from '../codeScanner';
import { leftOpen, scanCode } from '../codeScanner';
import type { FitContext } from '../fitContext';
import { endsWithOpener, indentWidth, startsWithCloser } from '../lineShape';
import type { Verdict } from './lineStage';
import { LineStage, keep, last, stop } from './lineStage';
import type { Stage } from './stage';

type Shape =
  | { kind: 'single' }
  /** Lines deeper than `base` are the block's body; a line at `base` that closes it is its last. */
  | { kind: 'block'; base: number }
  /** Lines at `base` or deeper, until a blank line or a line less indented. */
  | { kind: 'lines'; base: number };

/** Python's block that goes on at the same indentation (`else:` after `if …:`). */
const CONTINUES_BLOCK = /^(?:elif\b.*|else|except\b.*|finally):$/;
const INDENTED_LANGUAGES = new Set(['python', 'cython', 'nim', 'coffeescript', 'gdscript']);

class Scope extends LineStage {
  private shape: Shape = { kind: 'single' };
  private state: ScanState;
  private sawCode = false;

  constructor(private readonly context: FitContext) {
    super();
    this.state = context.atCursor;
  }

  protected judge(line: string, complete: boolean): Verdict {
    const depthBefore = this.state.stack.length;
    this.state = scanCode(`${line}\n`, this.context.syntax, this.state);
    if (this.index === 0) {
      this.shape = this.decide(line);
      this.sawCode = line.trim() !== '';
      return this.shape.kind === 'single' && complete ? last(line) : keep(line);
    }
    const verdict = this.next(line, depthBefore);
    if (verdict.kind !== 'stop' && line.trim() !== '') this.sawCode = true;
    return verdict;
  }

  private decide(first: string): Shape {
    const { rest, multiline, linePrefix, lineSuffix, inLineComment, cursorOpens, emptyBlockStart, indent, tabSize, languageId, syntax, lineStart } = this.context;
    if (rest === 'code' || multiline === 'never') return { kind: 'single' };
    const line = linePrefix + first;
    if (emptyBlockStart !== undefined) return { kind: 'block', base: emptyBlockStart };
    if (first.trim() === '') return cursorOpens ? { kind: 'block', base: indent } : { kind: 'lines', base: indent };
    if (inLineComment) return { kind: 'single' };
    const width = indentWidth(line, tabSize);
    // An opener at the end of a trailing comment (`x = 1; // {`) opens nothing.
    const opener = endsWithOpener(line, languageId) && !scanCode(line, syntax, lineStart).lineComment;
    if (opener || leftOpen(line + lineSuffix, syntax, lineStart) > 0) return { kind: 'block', base: width };
    if (multiline === 'always' || (linePrefix.trim() === '' && width > 0)) return { kind: 'lines', base: width };
    return { kind: 'single' };
  }

  private next(line: string, depthBefore: number): Verdict {
    const shape = this.shape;
    if (shape.kind === 'single') return stop;
    const text = line.trim();
    if (text === '') return shape.kind === 'lines' && this.sawCode ? stop : keep(line);
    const width = indentWidth(line, this.context.tabSize);
    const limit = shape.kind === 'block' ? shape.base + 1 : shape.base;
    if (width >= limit) return keep(line);
    if (shape.kind === 'block' && width === shape.base && INDENTED_LANGUAGES.has(this.context.languageId) && CONTINUES_BLOCK.test(text)) return keep(line);
    if (!startsWithCloser(line)) return stop;
    // `} else {` or `}).then(() => {` closes and reopens: the block goes on.
    return this.state.stack.length >= depthBefore && /[{([]$|:$/.test(text) ? keep(line) : last(line);
  }
}

export function scopeStage(context: FitContext): Stage {
  return new Scope(context);
}
