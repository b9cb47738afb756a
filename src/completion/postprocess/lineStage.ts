// Base for stages that judge whole lines. Lines reach `judge` one at a time, with `complete` false
// only for the last line of a stream that ended without a line break. Kept lines are passed on with
// their line break as soon as they are judged, so the stages after this one stream too.
import type { Stage } from './stage';

export type Verdict =
  /** Pass `text` on in place of the line. */
  | { kind: 'keep'; text: string }
  /** Pass `text` on; the completion ends after it. */
  | { kind: 'last'; text: string }
  /** The completion ends before this line. */
  | { kind: 'stop' }
  /** Leave this line out and go on. */
  | { kind: 'drop' };

export const keep = (text: string): Verdict => ({ kind: 'keep', text });
export const last = (text: string): Verdict => ({ kind: 'last', text });
export const stop: Verdict = { kind: 'stop' };
export const drop: Verdict = { kind: 'drop' };

export abstract class LineStage implements Stage {
  private pending = '';
  private ended = false;
  /** Lines judged so far (the line being judged has this index). */
  protected index = 0;

  get done(): boolean {
    return this.ended;
  }

  push(text: string): string {
    if (this.ended) return '';
    this.pending += text;
    let out = '';
    let br = this.pending.indexOf('\n');
    while (br >= 0 && !this.ended) {
      const line = this.pending.slice(0, br);
      this.pending = this.pending.slice(br + 1);
      out += this.apply(this.judge(line, true), true);
      br = this.pending.indexOf('\n');
    }
    return out;
  }

  end(): string {
    if (this.ended) return '';
    const out = this.apply(this.judge(this.pending, false), false);
    this.pending = '';
    this.ended = true;
    return out;
  }

  protected abstract judge(line: string, complete: boolean): Verdict;

  private apply(verdict: Verdict, complete: boolean): string {
    this.index++;
    switch (verdict.kind) {
      case 'keep': return complete ? `${verdict.text}\n` : verdict.text;
      case 'last': this.ended = true; return verdict.text;
      case 'stop': this.ended = true; return '';
      case 'drop': return '';
    }
  }
}
