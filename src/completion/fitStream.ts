// The post-processing stages chained over the model's stream. fitCompletion is this fed one piece;
// CompletionService feeds it token by token and stops the model once push() says the rest is not needed.
import type { FitEdit } from './fitCompletion';
import type { FitContext } from './fitContext';
import { buildEdit, previewEdit } from './fitEdit';
import { bracketBalanceStage } from './postprocess/bracketBalance';
import { closingLineStage } from './postprocess/closingLine';
import { fencesStage } from './postprocess/fences';
import { lineCapStage } from './postprocess/lineCap';
import { lineEndsStage } from './postprocess/lineEnds';
import { meetLineStage } from './postprocess/meetLine';
import { LoopFinder } from './postprocess/repetition';
import { scopeStage } from './postprocess/scope';
import { seamSpaceStage } from './postprocess/seamSpace';
import type { Stage, StageFactory } from './postprocess/stage';
import { stopStringsStage } from './postprocess/stopStrings';
import { suffixLinesStage } from './postprocess/suffixLines';

/** In order: raw text first (stop strings, line ends), then lines, then what needs the whole text. */
export const STAGES: readonly StageFactory[] = [
  stopStringsStage,
  lineEndsStage,
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
  private chain: StageChain;
  private readonly loops = new LoopFinder();
  private received = '';
  private loopSettled = false;
  private rejected = false;

  constructor(readonly context: FitContext, private readonly stages: readonly StageFactory[] = STAGES) {
    this.chain = new StageChain(context, stages);
  }

  /** True once the completion is decided: more text would change nothing. */
  get done(): boolean {
    return this.loopSettled || this.chain.done;
  }

  /** The raw text pushed so far. */
  get text(): string {
    return this.received;
  }

  /** Feeds the next piece of model text; true when generation can stop. */
  push(piece: string): boolean {
    if (this.done) return true;
    this.received += piece;
    if (this.loops.push(piece)) {
      this.settleLoop();
      return true;
    }
    this.chain.push(piece);
    return this.chain.done;
  }

  /**
   * While the model writes on: the edit its complete lines would make had it stopped at the last line
   * break, except that brackets may stay open (see previewEdit); undefined when there is none yet.
   */
  preview(): FitEdit | undefined {
    if (this.done) return undefined;
    const end = this.received.lastIndexOf('\n');
    if (end <= 0) return undefined;
    const chain = new StageChain(this.context, this.stages.filter((make) => make !== bracketBalanceStage));
    chain.push(this.received.slice(0, end));
    return previewEdit(chain.finish(), this.context);
  }

  /** The model has finished (or was stopped): the edit to show, or undefined for nothing. */
  finish(): FitEdit | undefined {
    const text = this.chain.finish();
    return this.rejected ? undefined : buildEdit(text, this.context);
  }

  /**
   * A loop was found: unless the stages had already ended the completion before it, they run again
   * on the text up to the cut. Deciding on fixed prefixes keeps streamed and whole input in agreement.
   */
  private settleLoop(): void {
    this.loopSettled = true;
    const upToLoop = new StageChain(this.context, this.stages);
    upToLoop.push(this.received.slice(0, this.loops.foundAt));
    if (upToLoop.done) {
      this.chain = upToLoop;
      return;
    }
    this.chain = new StageChain(this.context, this.stages);
    this.chain.push(this.received.slice(0, this.loops.cutAt));
    this.rejected = this.loops.rejected;
  }
}

/** The stages in order: each passes on what it keeps; once one is done, the chain is. */
class StageChain {
  private readonly stages: Stage[];
  private output = '';
  private finished = false;

  constructor(context: FitContext, factories: readonly StageFactory[]) {
    this.stages = factories.map((make) => make(context));
  }

  get done(): boolean {
    return this.stages.some((s) => s.done);
  }

  push(piece: string): void {
    if (this.done) return;
    let text = piece;
    for (const stage of this.stages) text = stage.done ? '' : stage.push(text);
    this.output += text;
  }

  /** Flushes what each stage still holds; the chain's whole output. */
  finish(): string {
    if (!this.finished) {
      let text = '';
      for (const stage of this.stages) text = stage.done ? '' : stage.push(text) + stage.end();
      this.output += text;
      this.finished = true;
    }
    return this.output;
  }
}
