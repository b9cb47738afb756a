// A small model that starts looping (`x = x = x = …`, the same line again and again) never recovers.
// Once the text ends in a long stretch that repeats one unit, keep the first unit and stop generating;
// a completion that is nothing but the loop is rejected: nothing is shown.
import type { Stage } from './stage';

/** Longest repeating unit looked for, in characters (a short line and its line break). */
const MAX_UNIT = 40;
/** A stretch counts as a loop once it is this long and holds three units: lists like `0, 0, 0, 0` stay. */
const MIN_STRETCH = 60;

class Repetition implements Stage {
  done = false;
  rejected = false;
  private text = '';
  private emitted = 0;
  /** runs[u]: how many characters in a row have equalled the one `u` before them. */
  private readonly runs: number[] = new Array<number>(MAX_UNIT + 1).fill(0);

  push(piece: string): string {
    if (this.done) return '';
    for (let k = 0; k < piece.length && !this.done; k++) this.step(piece[k]!);
    if (this.done) return this.take(this.keepEnd);
    return this.take(this.text.length - this.hold());
  }

  end(): string {
    return this.done ? '' : this.take(this.text.length);
  }

  private keepEnd = 0;
  /** Index of the first visible character, -1 while there is none. */
  private firstVisible = -1;

  private step(ch: string): void {
    const i = this.text.length;
    this.text += ch;
    if (this.firstVisible < 0 && ch.trim() !== '') this.firstVisible = i;
    for (let u = 2; u <= MAX_UNIT; u++) {
      this.runs[u] = i >= u && this.text[i - u] === ch ? this.runs[u]! + 1 : 0;
      const stretch = this.runs[u]! + u;
      if (this.runs[u]! === 0 || stretch < Math.max(3 * u, MIN_STRETCH)) continue;
      const start = this.text.length - stretch;
      if (!varied(this.text.slice(start, start + u))) continue;
      this.done = true;
      // A loop of whole lines keeps its first line whole.
      const lineEnd = this.text.indexOf('\n', start + u - 1);
      this.keepEnd = this.text.slice(start, start + u).includes('\n') && lineEnd >= 0 ? lineEnd + 1 : start + u;
      this.rejected = this.blankBefore(start);
      return;
    }
  }

  /** How much of the end to hold back: what a loop being built would take away (all but its first unit). */
  private hold(): number {
    return Math.max(...this.runs);
  }

  private blankBefore(index: number): boolean {
    return this.firstVisible < 0 || this.firstVisible >= index;
  }

  private take(end: number): string {
    const out = end > this.emitted ? this.text.slice(this.emitted, end) : '';
    this.emitted = Math.max(this.emitted, end);
    return out;
  }
}

/** A unit worth calling a loop has two different visible characters (not `----` or indentation). */
function varied(unit: string): boolean {
  return new Set(unit.replace(/\s/g, '')).size >= 2;
}

export function repetitionStage(): Stage {
  return new Repetition();
}
