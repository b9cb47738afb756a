// Instruct models answer like a chat: "```typescript\n…code…\n```". The fences are not code. Inside
// them the model writes whole lines, so the first line is fitted to the cursor: the part of the
// cursor's line it repeats is removed, and the lines under it keep their indentation relative to it.
import type { FitContext } from '../fitContext';
import { indentWidth, leadingSpace } from '../lineShape';
import type { Verdict } from './lineStage';
import { LineStage, drop, keep, stop } from './lineStage';
import type { Stage } from './stage';
import { passThrough } from './stage';

const OPENING = /^```[\w#+.-]*$/;
const CLOSING = /^```$/;
/** Where fences are text the user writes, not a wrapper around the answer. */
const FENCED_LANGUAGES = new Set(['markdown', 'mdx', 'quarto', 'rmd']);

class Fences extends LineStage {
  private state: 'start' | 'firstFenced' | 'fenced' | 'plain' = 'start';
  private blanks: string[] = [];
  /** Added to each fenced line's indentation after the first. */
  private shift = 0;

  constructor(private readonly context: FitContext) {
    super();
  }

  protected judge(line: string, complete: boolean): Verdict {
    const text = line.trim();
    if (this.state === 'start') {
      // Blank lines before an opening fence belong to the chat answer, not to the code.
      if (text === '' && complete) {
        this.blanks.push(line);
        return drop;
      }
      if (OPENING.test(text)) {
        this.state = 'firstFenced';
        return drop;
      }
      this.state = 'plain';
      return keep([...this.blanks, line].join('\n'));
    }
    if (CLOSING.test(text)) return stop;
    if (this.state === 'firstFenced') {
      if (text === '') return drop;
      this.state = 'fenced';
      return keep(this.fitFirstLine(line));
    }
    if (this.state === 'fenced' && this.shift !== 0 && text !== '') {
      const width = Math.max(0, indentWidth(line, this.context.tabSize) + this.shift);
      return keep(' '.repeat(width) + line.slice(leadingSpace(line).length));
    }
    return keep(line);
  }

  private fitFirstLine(line: string): string {
    const { linePrefix, tabSize } = this.context;
    const typed = linePrefix.trimStart();
    this.shift = indentWidth(linePrefix, tabSize) - indentWidth(line, tabSize);
    const code = line.trimStart();
    if (typed !== '' && code.startsWith(typed)) return code.slice(typed.length);
    return typed === '' ? code : line;
  }
}

export function fencesStage(context: FitContext): Stage {
  if (FENCED_LANGUAGES.has(context.languageId)) return passThrough();
  return new Fences(context);
}
