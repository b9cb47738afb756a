// One generation at a time, first come first served. An aborted request that has not reached the
// model process is answered at once without running; one that has is asked to stop, and the next
// is sent at once: the model process ends the aborted one after its current step and runs the
// next right after, so a superseded keystroke never costs the current one a round trip.
// Background requests (GenerateRequest.background) give way: any other request stops them.
import type { GenerateHandlers, GenerateRequest, GenerateResult } from '../protocol';

export interface QueuedGeneration {
  readonly request: GenerateRequest;
  readonly handlers: GenerateHandlers;
  /** Set by the runner once the request went to the model process. */
  id?: number;
  readonly settled: boolean;
  resolve(result: GenerateResult): void;
  reject(error: unknown): void;
}

export interface GenerationRunner {
  /** Runs one generation to its end, settling it. */
  run(job: QueuedGeneration): Promise<void>;
  /** Asks the model process to stop the generation with this id after its current step. */
  cancel(id: number): void;
}

export function cancelledResult(): GenerateResult {
  return { text: '', finishReason: 'cancelled', promptTokens: 0, generatedTokens: 0, timeToFirstTokenMs: 0, totalMs: 0, reusedPromptTokens: 0 };
}

export class GenerationQueue {
  private readonly waiting: QueuedGeneration[] = [];
  private running: QueuedGeneration | undefined;

  constructor(private readonly runner: GenerationRunner) {}

  /** Generations queued behind the running one. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Whether nothing but `job` (finishing now) is running or waiting. */
  isLast(job: QueuedGeneration): boolean {
    return this.waiting.length === 0 && (this.running === undefined || this.running === job);
  }

  add(request: GenerateRequest, handlers: GenerateHandlers): Promise<GenerateResult> {
    if (handlers.signal?.aborted) return Promise.resolve(cancelledResult());
    return new Promise<GenerateResult>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => this.abort(job);
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        handlers.signal?.removeEventListener('abort', onAbort);
        finish();
      };
      const job: QueuedGeneration = {
        request,
        handlers,
        get settled() {
          return settled;
        },
        resolve: (result) => settle(() => resolve(result)),
        reject: (error) => settle(() => reject(error)),
      };
      handlers.signal?.addEventListener('abort', onAbort, { once: true });
      // The waiting ones first: stopping the running one sends the next waiting one at once.
      if (!request.background) for (const other of [...this.waiting, this.running]) if (other?.request.background) this.abort(other);
      this.waiting.push(job);
      this.pump();
    });
  }

  /** Rejects every generation not yet started. */
  rejectWaiting(error: unknown): void {
    for (const job of this.waiting.splice(0)) job.reject(error);
  }

  private pump(): void {
    if (this.running) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.running = job;
    void this.runner.run(job).catch((error: unknown) => job.reject(error)).finally(() => {
      if (this.running === job) this.running = undefined;
      this.pump();
    });
  }

  private abort(job: QueuedGeneration): void {
    const at = this.waiting.indexOf(job);
    if (at >= 0) this.waiting.splice(at, 1);
    if (job.id === undefined) {
      job.resolve(cancelledResult());
      return;
    }
    // The process answers with 'done' (finishReason 'cancelled') after its current step.
    this.runner.cancel(job.id);
    if (this.running === job) {
      this.running = undefined;
      this.pump();
    }
  }
}
