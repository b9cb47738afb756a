// One model generation and the requests waiting on it. It has its own AbortSignal, not a request's:
// VS Code cancels a request on every keystroke, and the next request may still use this generation.
import type { Logger } from '../base/logger';
import type { GenerateRequest, GenerateResult, LoadedModel } from '../model/protocol';
import type { PostProcessContext } from './postprocess';
import { cutAtStops, isComplete, postProcess } from './postprocess';
import type { Anchor } from './typedAhead';

export interface GenerationOutcome {
  /** Post-processed ('\n' line ends); undefined when the model had nothing usable. */
  completion: string | undefined;
  result: GenerateResult | undefined;
  /** False when the text is unreliable to keep (engine error, deadline). */
  cacheable: boolean;
}

export interface GenerationOptions {
  model: Pick<LoadedModel, 'generate'>;
  request: GenerateRequest;
  post: PostProcessContext;
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
  private raw = '';
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

  /** What the model has produced so far, cut at the stop strings. */
  get streamed(): string {
    return cutAtStops(this.raw, this.options.request.stop);
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
    const { model, request, post, log } = this.options;
    try {
      const result = await model.generate(request, {
        signal: this.controller.signal,
        onToken: (text) => {
          this.raw += text;
          // The rest would be cut anyway: stop paying for it.
          if (!this.stoppedEarly && !this.ended && isComplete(this.raw, post)) {
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
      const text = this.stoppedEarly || result.finishReason === 'cancelled' ? this.raw : result.text;
      return { completion: postProcess(text, post), result, cacheable: result.finishReason !== 'deadline' };
    } catch (err) {
      if (this.stoppedEarly) return { completion: postProcess(this.raw, post), result: undefined, cacheable: true };
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
