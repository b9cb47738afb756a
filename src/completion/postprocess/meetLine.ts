// Mid-line (only on an explicit request): the completion must end by meeting the code after the
// cursor. A first line that retypes that code, or its start, is cut where the retyped part begins;
// a completion that ends its line without meeting it would leave a broken line, so it shows nothing.
import { balanceProblems } from '../codeScanner';
import type { FitContext } from '../fitContext';
import type { Verdict } from './lineStage';
import { LineStage, last, stop } from './lineStage';
import type { Stage } from './stage';
import { passThrough } from './stage';

class MeetLine extends LineStage {
  constructor(private readonly context: FitContext) {
    super();
  }

  protected judge(line: string, complete: boolean): Verdict {
    const met = this.meet(line);
    if (met !== undefined) return last(met);
    // The model ended its text here: in fill-in-the-middle that is where the suffix begins.
    return complete ? stop : last(line);
  }

  /** `line` without the part that retypes the rest of the cursor's line; undefined when it retypes none. */
  private meet(line: string): string | undefined {
    const rest = this.context.lineSuffix;
    const whole = rest.trim();
    const end = line.trimEnd();
    if (end.endsWith(whole)) return end.slice(0, end.length - whole.length);
    const candidates = partialOverlaps(line, rest.trimStart());
    if (candidates.length === 0) return undefined;
    // Where the overlap is ambiguous, the reading that leaves the line best balanced wins.
    const { linePrefix, syntax, lineStart } = this.context;
    const score = (text: string) => balanceProblems(linePrefix + text + rest, syntax, lineStart);
    let best: string | undefined;
    for (const cut of candidates) if (best === undefined || score(cut) < score(best)) best = cut;
    return best !== undefined && score(best) <= score(line) ? best : undefined;
  }
}

/** Cuts of `line` whose removed end is the start of `rest`, longest first, at word boundaries. */
function partialOverlaps(line: string, rest: string): string[] {
  const cuts: string[] = [];
  for (let k = Math.min(line.length, rest.length - 1); k > 0; k--) {
    const at = line.length - k;
    if (!line.endsWith(rest.slice(0, k))) continue;
    const startsAtBoundary = !isWord(line[at - 1]) || !isWord(line[at]);
    const endsAtBoundary = !isWord(rest[k - 1]) || !isWord(rest[k]);
    if (startsAtBoundary && endsAtBoundary) cuts.push(line.slice(0, at));
  }
  return cuts;
}

function isWord(ch: string | undefined): boolean {
  return ch !== undefined && /\w/.test(ch);
}

export function meetLineStage(context: FitContext): Stage {
  return context.rest === 'code' ? new MeetLine(context) : passThrough();
}
