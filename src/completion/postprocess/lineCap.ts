// Users find long unasked-for blocks worse than none: at most `maxLines` lines (the setting).
import type { FitContext } from '../fitContext';
import type { Verdict } from './lineStage';
import { LineStage, keep, last } from './lineStage';
import type { Stage } from './stage';

class LineCap extends LineStage {
  constructor(private readonly maxLines: number) {
    super();
  }

  protected judge(line: string): Verdict {
    return this.index + 1 >= this.maxLines ? last(line) : keep(line);
  }
}

export function lineCapStage(context: FitContext): Stage {
  return new LineCap(context.maxLines);
}
