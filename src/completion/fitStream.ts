// The post-processing stages chained over the model's stream. fitCompletion is this fed one piece;
// CompletionService feeds it token by token and stops the model once push() says the rest is not needed.
import type { FitEdit } from './fitCompletion';
import type { FitContext } from './fitContext';
import { buildEdit } from './fitEdit';
import { bracketBalanceStage } from './postprocess/bracketBalance';
import { closingLineStage } from './postprocess/closingLine';
import { fencesStage } from './postprocess/fences';
import { lineCapStage } from './postprocess/lineCap';
import { lineEndsStage } from './postprocess/lineEnds';
import { meetLineStage } from './postprocess/meetLine';
import { repetitionStage } from './postprocess/repetition';
import { scopeStage } from './postprocess/scope';
import { seamSpaceStage } from './postprocess/seamSpace';
import type { Stage, StageFactory } from './postprocess/stage';
import { stopStringsStage } from './postprocess/stopStrings';
import { suffixLinesStage } from './postprocess/suffixLines';

/** In order: raw text first (stop strings, line ends), then lines, then what needs the whole text. */
export const STAGES: readonly StageFactory[] = [
  stopStringsStage,
  lineEndsStage,
  repetitionStage,
  fencesStage,
  meetLineStage,
  seamSpaceStage,
  scopeStage,
  closingLineStage,
  suffixLinesStage,
  lineCapStage,
  bracketBalanceStage,
];

export class FitStream {
  private readonly stages: Stage[];
  private received = '';
  private output = '';
  private finished = false;

  constructor(readonly context: FitContext, stages: readonly StageFactory[] = STAGES) {
    this.stages = stages.map((make) => make(context));
  }

  /** True once a stage knows where the completion ends: more text would change nothing. */
  get done(): boolean {
    return this.finished || this.stages.some((s) => s.done);
  }

  /** The raw text pushed so far. */
  get text(): string {
    return this.received;
  }

  /** Feeds the next piece of model text; true when generation can stop. */
  push(piece: string): boolean {
    if (this.done) return true;
    this.received += piece;
    let text = piece;
    for (const stage of this.stages) text = stage.done ? '' : stage.push(text);
    this.output += text;
    return this.done;
  }

  /** The model has finished (or was stopped): the edit to show, or undefined for nothing. */
  finish(): FitEdit | undefined {
    if (!this.finished) {
      let text = '';
      for (const stage of this.stages) text = stage.done ? '' : stage.push(text) + stage.end();
      this.output += text;
      this.finished = true;
    }
    return this.stages.some((s) => s.rejected) ? undefined : buildEdit(this.output, this.context);
  }
}
