// The prompt template's end markers (<|endoftext|>, <|file_sep|>, …) end the completion. The engine
// already stops on them; this stage makes recorded outputs and other engines behave the same, and
// holds back a tail that could be the start of a marker still arriving.
import { StopScanner } from '../../base/stopScanner';
import type { FitContext } from '../fitContext';
import type { Stage } from './stage';

class StopStrings implements Stage {
  done = false;
  private readonly scanner: StopScanner;

  constructor(stops: readonly string[]) {
    this.scanner = new StopScanner(stops);
  }

  push(text: string): string {
    if (this.done) return '';
    const step = this.scanner.push(text);
    this.done = step.stopped;
    return step.text;
  }

  end(): string {
    return this.scanner.flush();
  }
}

export function stopStringsStage(context: FitContext): Stage {
  return new StopStrings(context.stops);
}
