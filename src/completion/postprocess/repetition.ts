// A small model that starts looping (`x = x = x = …`, the same line again and again) never recovers.
// Once the model's text ends in a long stretch that repeats one unit, the completion ends after the
// first unit (a whole line, for a loop of lines) and generation stops; a completion that is nothing
// but the loop is rejected: nothing is shown.
//
// Unlike the other stages this one reads the raw text beside the chain, holding nothing back (a
// hold would delay every other stage's early stop); when it finds a loop, FitStream runs the chain
// again on the text up to the cut.

/** Longest repeating unit looked for, in characters (a short line and its line break). */
const MAX_UNIT = 40;
/** A stretch counts as a loop once it is this long and holds three units: lists like `0, 0, 0, 0` stay. */
const MIN_STRETCH = 60;

export class LoopFinder {
  /** Raw characters read when the loop was found: the chain may have ended its completion before that. */
  foundAt: number | undefined;
  /** Where the completion ends: after the loop's first unit. */
  cutAt = 0;
  /** The loop began the completion: nothing is worth showing. */
  rejected = false;
  private text = '';
  /** runs[u]: how many characters in a row have equalled the one `u` before them. */
  private readonly runs: number[] = new Array<number>(MAX_UNIT + 1).fill(0);
  /** Index of the first visible character, -1 while there is none. */
  private firstVisible = -1;

  /** Reads more raw text; true once a loop is found (and from then on). */
  push(piece: string): boolean {
    for (let k = 0; k < piece.length && this.foundAt === undefined; k++) this.step(piece[k]!);
    return this.foundAt !== undefined;
  }

  private step(ch: string): void {
    const i = this.text.length;
    this.text += ch;
    if (this.firstVisible < 0 && ch.trim() !== '') this.firstVisible = i;
    for (let u = 2; u <= MAX_UNIT; u++) {
      this.runs[u] = i >= u && this.text[i - u] === ch ? this.runs[u]! + 1 : 0;
      const stretch = this.runs[u]! + u;
      if (this.runs[u]! === 0 || stretch < Math.max(3 * u, MIN_STRETCH)) continue;
      const start = this.text.length - stretch;
      const unit = this.text.slice(start, start + u);
      if (!varied(unit)) continue;
      // A loop of whole lines keeps its first line whole.
      const lineEnd = this.text.indexOf('\n', start + u - 1);
      this.cutAt = unit.includes('\n') && lineEnd >= 0 ? lineEnd + 1 : start + u;
      this.rejected = this.firstVisible < 0 || this.firstVisible >= start;
      this.foundAt = this.text.length;
      return;
    }
  }
}

/** A unit worth calling a loop has two different visible characters (not `----` or indentation). */
function varied(unit: string): boolean {
  return new Set(unit.replace(/\s/g, '')).size >= 2;
}
