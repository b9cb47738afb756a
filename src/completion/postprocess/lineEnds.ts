// Models trained on Windows files write "\r\n"; every later stage reads "\n" only.
import type { Stage } from './stage';

class LineEnds implements Stage {
  readonly done = false;
  private carriageReturn = false;

  push(text: string): string {
    let all = (this.carriageReturn ? '\r' : '') + text;
    // A "\r" at the end may be the first half of "\r\n": wait for the next piece.
    this.carriageReturn = all.endsWith('\r');
    if (this.carriageReturn) all = all.slice(0, -1);
    return all.replace(/\r\n?/g, '\n');
  }

  end(): string {
    const out = this.carriageReturn ? '\n' : '';
    this.carriageReturn = false;
    return out;
  }
}

export function lineEndsStage(): Stage {
  return new LineEnds();
}
