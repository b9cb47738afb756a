// Stop strings over streamed text: text is handed on as it arrives except a tail that could still
// become a stop string, and the first stop string found ends the text, itself not handed on. Used by
// the completion fit stages and by the server backend (OpenAI-style APIs take at most four stops).

export interface ScanStep {
  /** Text safe to hand on now; may be empty. */
  text: string;
  stopped: boolean;
}

export class StopScanner {
  private held = '';
  private done = false;
  private readonly stops: readonly string[];

  constructor(stops: readonly string[]) {
    this.stops = stops.filter((s) => s.length > 0);
  }

  push(piece: string): ScanStep {
    if (this.done) return { text: '', stopped: true };
    const text = this.held + piece;
    let stopAt = -1;
    for (const stop of this.stops) {
      const at = text.indexOf(stop);
      if (at >= 0 && (stopAt < 0 || at < stopAt)) stopAt = at;
    }
    if (stopAt >= 0) {
      this.done = true;
      this.held = '';
      return { text: text.slice(0, stopAt), stopped: true };
    }
    const keep = this.partialStopLength(text);
    this.held = text.slice(text.length - keep);
    return { text: text.slice(0, text.length - keep), stopped: false };
  }

  /** Whatever was held back, once the answer ended for another reason. */
  flush(): string {
    if (this.done) return '';
    this.done = true;
    const rest = this.held;
    this.held = '';
    return rest;
  }

  /** The longest end of `text` that is the start of some stop string. */
  private partialStopLength(text: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, text.length); n > longest; n--) {
        if (text.endsWith(stop.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}
