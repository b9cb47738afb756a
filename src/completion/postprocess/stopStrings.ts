// The prompt template's end markers (<|endoftext|>, <|file_sep|>, …) end the completion. The engine
// already stops on them; this stage makes recorded outputs and other engines behave the same, and
// holds back a tail that could be the start of a marker still arriving.
import type { FitContext } from '../fitContext';
import type { Stage } from './stage';

class StopStrings implements Stage {
  done = false;
  private held = '';

  constructor(private readonly stops: readonly string[]) {}

  push(text: string): string {
    if (this.done) return '';
    const all = this.held + text;
    let first = -1;
    for (const stop of this.stops) {
      const at = all.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    if (first >= 0) {
      this.done = true;
      this.held = '';
      return all.slice(0, first);
    }
    const hold = this.partialStopAtEnd(all);
    this.held = all.slice(all.length - hold);
    return all.slice(0, all.length - hold);
  }

  end(): string {
    const out = this.held;
    this.held = '';
    return out;
  }

  /** Length of the longest end of `text` that begins a stop string. */
  private partialStopAtEnd(text: string): number {
    let hold = 0;
    for (const stop of this.stops) {
      for (let len = Math.min(stop.length - 1, text.length); len > hold; len--) {
        if (text.endsWith(stop.slice(0, len))) {
          hold = len;
          break;
        }
      }
    }
    return hold;
  }
}

export function stopStringsStage(context: FitContext): Stage {
  return new StopStrings(context.stops.filter((s) => s.length > 0));
}
