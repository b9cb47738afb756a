// Streams generated text piece by piece. Each step decodes all generated ids and emits the new
// suffix, because one token's text depends on its neighbours (byte-level BPE splits characters).
// Text is held back while it could be the start of a stop string, or half of a character.

const replacementChar = '\uFFFD';

export interface StreamStep {
  /** New text to hand on; may be empty. */
  text: string;
  /** A stop string appeared: generation should end. */
  stopped: boolean;
}

export class TextStream {
  private readonly ids: number[] = [];
  private emitted = '';
  private full = '';
  private done = false;

  constructor(
    private readonly decode: (ids: number[]) => string,
    private readonly stops: readonly string[],
  ) {}

  /** The text handed on so far; after a stop, everything before the stop string. */
  get text(): string {
    return this.emitted;
  }

  push(id: number): StreamStep {
    if (this.done) return { text: '', stopped: true };
    this.ids.push(id);
    this.full = this.decode(this.ids);
    const stopAt = this.firstStop();
    if (stopAt >= 0) {
      this.done = true;
      return { text: this.emitUpTo(stopAt), stopped: true };
    }
    return { text: this.emitUpTo(this.safeEnd()), stopped: false };
  }

  /** Hands on whatever was held back; call once when generation ends for any other reason. */
  flush(): string {
    if (this.done) return '';
    this.done = true;
    return this.emitUpTo(this.full.length);
  }

  private emitUpTo(end: number): string {
    // Emitted text never changes; if decoding ever rewrites it, only the tail past it is used.
    if (end <= this.emitted.length || !this.full.startsWith(this.emitted)) return '';
    const piece = this.full.slice(this.emitted.length, end);
    this.emitted += piece;
    return piece;
  }

  private firstStop(): number {
    let first = -1;
    // A stop string can only start in text not yet emitted, or overlap its end.
    const longest = this.stops.reduce((max, s) => Math.max(max, s.length), 0);
    const from = Math.max(0, this.emitted.length - longest + 1);
    for (const stop of this.stops) {
      if (!stop) continue;
      const at = this.full.indexOf(stop, from);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    return first;
  }

  private safeEnd(): number {
    let end = this.full.length;
    while (end > 0 && this.full[end - 1] === replacementChar) end--;
    let hold = 0;
    for (const stop of this.stops) {
      for (let len = Math.min(stop.length - 1, end); len > hold; len--) {
        if (this.full.endsWith(stop.slice(0, len), end)) {
          hold = len;
          break;
        }
      }
    }
    return end - hold;
  }
}
