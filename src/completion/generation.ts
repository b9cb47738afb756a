// One model generation and the requests waiting on it. It has its own AbortSignal, not a request's:
// VS Code cancels a request on every keystroke, and the next request may still use this generation.
// The model's text streams through the fit stages; once they know where the completion ends, the
// model is stopped: fewer tokens decoded, an earlier answer.
import type { Logger } from '../base/logger';
import type { GenerateRequest, GenerateResult, LoadedModel } from '../model/protocol';
import type { FitEdit } from './fitCompletion';
import type { FitStream } from './fitStream';
import type { Anchor } from './typedAhead';

export interface GenerationOutcome {
  /** The edit to show ('\n' line ends); undefined when the model had nothing usable. */
  edit: FitEdit | undefined;
  result: GenerateResult | undefined;
  /** False when the text is unreliable to keep (engine error, deadline). */
  cacheable: boolean;
}

export interface GenerationOptions {
  model: Pick<LoadedModel, 'generate'>;
  request: GenerateRequest;
  /** Fits the model's text to the place it was asked for. */
  fit: FitStream;
  anchor: Anchor;
  log: Logger;
  /** Runs once, when the generation ends or is cancelled. */
  onEnd: (generation: Generation) => void;
  /** Runs when the last waiting request leaves while the generation still runs. */
  onOrphaned: (generation: Generation) => void;
}

export class Generation {
  readonly anchor: Anchor;
  readonly done: Promise<GenerationOutcome | undefined>;
  private readonly controller = new AbortController();
  private waiters = 0;
  private stoppedEarly = false;
  private ended = false;

  constructor(private readonly options: GenerationOptions) {
    this.anchor = options.anchor;
    this.done = this.run();
  }

  /** Still producing text nobody cancelled. */
  get active(): boolean {
    return !this.ended;
  }

  get waiting(): number {
    return this.waiters;
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

  cancel(): void {
    if (this.ended) return;
    this.controller.abort();
    this.end();
  }

  /** Waits for the outcome on behalf of one request; its abort only detaches that request. */
  wait(signal: AbortSignal): Promise<GenerationOutcome | undefined> {
    this.waiters++;
    return new Promise((resolve) => {
      let finished = false;
      const finish = (outcome: GenerationOutcome | undefined) => {
        if (finished) return;
        finished = true;
        this.waiters--;
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
        if (this.waiters === 0 && !this.ended) this.options.onOrphaned(this);
      };
      const onAbort = () => finish(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
      this.done.then(finish, () => finish(undefined));
    });
  }

  private async run(): Promise<GenerationOutcome | undefined> {
    const { model, request, fit, log } = this.options;
    try {
      const result = await model.generate(request, {
        signal: this.controller.signal,
        onToken: (text) => {
          // The rest would be cut anyway: stop paying for it.
          if (!this.stoppedEarly && !this.ended && fit.push(text)) {
            this.stoppedEarly = true;
            this.controller.abort();
          }
        },
      });
      if (this.controller.signal.aborted && !this.stoppedEarly) return undefined;
      if (result.finishReason === 'error') {
        log.warn(`completion: the model reported an error after ${result.generatedTokens} tokens`);
        return undefined;
      }
      // An engine that hands back text it did not stream: fit the rest too.
      if (!this.stoppedEarly && result.text.startsWith(fit.text)) fit.push(result.text.slice(fit.text.length));
      return { edit: fit.finish(), result, cacheable: result.finishReason !== 'deadline' };
    } catch (err) {
      if (this.stoppedEarly) return { edit: fit.finish(), result: undefined, cacheable: true };
      if (!this.controller.signal.aborted) log.debug(`completion: generation failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    } finally {
      this.end();
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onEnd(this);
  }
}
