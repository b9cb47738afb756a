// One model generation and the requests waiting on it. It has its own AbortSignal, not a request's:
// VS Code cancels a request on every keystroke, and the next request may still use this generation.
// The model's text streams through the fit stages; once they know where the completion ends, the
// completion is handed out at once and the model is told to stop: the engine answers after its
// current step, and nobody waits for that. A slow model may hand out a preview first (the complete
// lines so far, see FitStream.preview); it then writes on to the end, which the cache keeps.
import type { Logger } from '../base/logger';
import type { GenerateRequest, GenerateResult, LoadedModel } from '../model/protocol';
import type { FitEdit } from './fitCompletion';
import type { FitStream } from './fitStream';
import type { Anchor } from './typedAhead';

export interface GenerationOutcome {
  /** The edit to show ('\n' line ends); undefined when the model had nothing usable. */
  edit: FitEdit | undefined;
  /** The engine's account; absent when the fit stages decided before the engine answered. */
  result: GenerateResult | undefined;
  /** False when the text is unreliable to keep (engine error, deadline). */
  cacheable: boolean;
  /** Text pieces the model had streamed when the outcome was decided (about one per token). */
  pieces: number;
  /** Milliseconds from asking the engine to its first piece of text, as the pipeline saw it. */
  firstPieceMs: number | undefined;
  /** The complete lines so far, handed out while the model writes on. */
  preview?: boolean;
}

/** When a waiting request takes a preview instead of waiting for the end. */
export interface PreviewTerms {
  /** Not before this time (the service's clock). */
  at: number;
  /** Whether this preview is worth showing to this request (it may have typed part of it). */
  usable(edit: FitEdit): boolean;
}

/** Why a generation was stopped before the fit stages decided. */
export type CancelReason = 'superseded' | 'orphaned' | 'disposed';

/** What one generation did, for counters and benchmarks (times from the service's clock). */
export interface GenerationRecord {
  startedAt: number;
  firstPieceAt: number | undefined;
  /** When the fit stages decided the completion (the early stop), or the engine finished. */
  decidedAt: number | undefined;
  /** When the engine answered: the model is free again. */
  endedAt: number;
  /** Set when it was stopped before deciding anything, and when. */
  cancelled: CancelReason | undefined;
  cancelledAt: number | undefined;
  /** The fit stages decided before the model's own end (and, with early stop on, stopped it). */
  decidedEarly: boolean;
  pieces: number;
  piecesAtDecision: number | undefined;
  /** The engine's account; undefined when it failed. */
  result: GenerateResult | undefined;
}

export interface GenerationOptions {
  model: Pick<LoadedModel, 'generate'>;
  request: GenerateRequest;
  /** Fits the model's text to the place it was asked for. */
  fit: FitStream;
  anchor: Anchor;
  log: Logger;
  now: () => number;
  /** Stop the model and hand out the completion as soon as the fit stages decide it (default true). */
  earlyStop?: boolean;
  /** Runs once, when the engine has answered (the model is free again). */
  onEnd: (generation: Generation, record: GenerationRecord) => void;
  /** Runs when the last waiting request leaves while the generation still runs. */
  onOrphaned: (generation: Generation) => void;
}

export class Generation {
  readonly anchor: Anchor;
  readonly done: Promise<GenerationOutcome | undefined>;
  private resolveDone: (outcome: GenerationOutcome | undefined) => void = () => undefined;
  private readonly controller = new AbortController();
  private readonly startedAt: number;
  private firstPieceAt: number | undefined;
  private decidedAt: number | undefined;
  private piecesAtDecision: number | undefined;
  private pieces = 0;
  private cancelled: CancelReason | undefined;
  private cancelledAt: number | undefined;
  private waiters = 0;
  private decided = false;
  private decidedEarly = false;
  private settled = false;
  private ended = false;
  /** The newest preview, and the one a request was given (the generation then runs to its end). */
  private latestPreview: FitEdit | undefined;
  private givenPreview: FitEdit | undefined;
  private readonly previewListeners = new Set<() => void>();

  constructor(private readonly options: GenerationOptions) {
    this.anchor = options.anchor;
    this.startedAt = options.now();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    void this.run();
  }

  /** Neither cancelled nor finished: a request may still wait on it. */
  get active(): boolean {
    return !this.ended && this.cancelled === undefined;
  }

  get waiting(): number {
    return this.waiters;
  }

  /** The preview a request was given, if any. */
  get previewGiven(): FitEdit | undefined {
    return this.givenPreview;
  }

  /** Average milliseconds per streamed piece since the first (Infinity before two pieces). */
  get msPerPiece(): number {
    if (this.firstPieceAt === undefined || this.pieces < 2) return Infinity;
    return (this.options.now() - this.firstPieceAt) / (this.pieces - 1);
  }

  /** What the model has produced so far. */
  get streamed(): string {
    return this.options.fit.text;
  }

  /** Characters after the anchor that the completion may replace (closers the user may type over). */
  get replaceable(): number {
    const { rest, lineSuffix } = this.options.fit.context;
    return rest === 'closers' ? lineSuffix.length : 0;
  }

  /** Stops the model; true when that threw away work nobody had been given yet. */
  cancel(reason: CancelReason = 'superseded'): boolean {
    if (this.ended || this.controller.signal.aborted) return false;
    this.controller.abort();
    if (this.decided) return false;
    this.cancelled = reason;
    this.cancelledAt = this.options.now();
    this.settle(() => undefined);
    return true;
  }

  /**
   * Waits for the outcome on behalf of one request; its abort only detaches that request. With
   * `preview` terms, a preview that meets them ends the wait early.
   */
  wait(signal: AbortSignal, preview?: PreviewTerms): Promise<GenerationOutcome | undefined> {
    this.waiters++;
    return new Promise((resolve) => {
      let finished = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: GenerationOutcome | undefined) => {
        if (finished) return;
        finished = true;
        this.waiters--;
        signal.removeEventListener('abort', onAbort);
        this.previewListeners.delete(offerPreview);
        clearTimeout(timer);
        resolve(outcome);
        if (this.waiters === 0 && this.active && !this.decided && !this.givenPreview) this.options.onOrphaned(this);
      };
      const offerPreview = () => {
        const edit = this.latestPreview;
        if (!preview || !edit || this.decided || !this.active || this.options.now() < preview.at || !preview.usable(edit)) return;
        this.givenPreview = edit;
        finish({ edit, result: undefined, cacheable: false, pieces: this.pieces, firstPieceMs: this.firstPieceMs(), preview: true });
      };
      const onAbort = () => finish(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
      this.done.then(finish, () => finish(undefined));
      if (preview && !finished) {
        this.previewListeners.add(offerPreview);
        const delay = preview.at - this.options.now();
        if (delay > 0) timer = setTimeout(offerPreview, delay);
        else offerPreview();
      }
    });
  }

  private onPiece(text: string): void {
    if (this.ended || this.cancelled) return;
    this.pieces++;
    this.firstPieceAt ??= this.options.now();
    if (this.decided) return;
    if (!this.options.fit.push(text)) {
      if (text.includes('\n')) this.updatePreview();
      for (const offer of [...this.previewListeners]) offer();
      return;
    }
    // The rest would be cut anyway: show the completion now, and stop paying for the rest.
    this.decide(true);
    if (this.options.earlyStop === false) return;
    this.settle(() => this.outcome(undefined, true));
    this.controller.abort();
  }

  private updatePreview(): void {
    const edit = this.options.fit.preview();
    if (!edit || edit.insertText === this.latestPreview?.insertText) return;
    this.latestPreview = edit;
  }

  private firstPieceMs(): number | undefined {
    return this.firstPieceAt === undefined ? undefined : this.firstPieceAt - this.startedAt;
  }

  private decide(early: boolean): void {
    this.decided = true;
    this.decidedEarly = early;
    this.decidedAt = this.options.now();
    this.piecesAtDecision = this.pieces;
  }

  private outcome(result: GenerateResult | undefined, cacheable: boolean): GenerationOutcome {
    return { edit: this.options.fit.finish(), result, cacheable, pieces: this.piecesAtDecision ?? this.pieces, firstPieceMs: this.firstPieceMs() };
  }

  private async run(): Promise<void> {
    const { model, request, fit, log } = this.options;
    let result: GenerateResult | undefined;
    try {
      result = await model.generate(request, { signal: this.controller.signal, onToken: (text) => this.onPiece(text) });
      if (this.cancelled) return;
      if (result.finishReason === 'error') {
        log.warn(`completion: the model reported an error after ${result.generatedTokens} tokens`);
        return this.settle(() => undefined);
      }
      if (!this.decided) {
        // An engine that hands back text it did not stream: fit the rest too.
        if (result.text.startsWith(fit.text)) fit.push(result.text.slice(fit.text.length));
        this.decide(false);
      }
      const finished = result;
      this.settle(() => this.outcome(finished, finished.finishReason !== 'deadline'));
    } catch (err) {
      if (this.decided) this.settle(() => this.outcome(undefined, true));
      else {
        if (!this.controller.signal.aborted) log.debug(`completion: generation failed: ${err instanceof Error ? err.message : String(err)}`);
        this.settle(() => undefined);
      }
    } finally {
      this.end(result);
    }
  }

  /** Hands the outcome to every waiter, once: the first to settle wins. */
  private settle(outcome: () => GenerationOutcome | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveDone(outcome());
  }

  private end(result: GenerateResult | undefined): void {
    this.ended = true;
    this.settle(() => undefined);
    this.options.onEnd(this, {
      startedAt: this.startedAt,
      firstPieceAt: this.firstPieceAt,
      decidedAt: this.decidedAt,
      endedAt: this.options.now(),
      cancelled: this.cancelled,
      cancelledAt: this.cancelledAt,
      decidedEarly: this.decidedEarly,
      pieces: this.pieces,
      piecesAtDecision: this.piecesAtDecision,
      result,
    });
  }
}
