// The host side of the engine, for the extension and the CLI: starts the model process on first
// use, runs one generation at a time in arrival order, and survives anything the process does —
// a crash or an overrun deadline costs a restart (and a reload of the last model), never the host.
import { silentLogger, type Logger } from '../../base/logger';
import type { ChatMessage, GenerateHandlers, GenerateRequest, GenerateResult, LoadOptions, LoadProgress, ModelInfo } from '../protocol';
import { EngineError } from './engineError';
import { GenerationQueue, type QueuedGeneration } from './generationQueue';
import { ModelProcessClient, type ProcessOptions } from './modelProcessClient';

export type EngineState = 'idle' | 'loading' | 'ready' | 'generating' | 'error';

/**
 * How long each request may take before the engine gives up on the process and restarts it. A load
 * may take minutes (a download), so its clock restarts with every sign of progress.
 */
export interface EngineDeadlines {
  countTokensMs: number;
  chatPromptMs: number;
  loadIdleMs: number;
}

const DEFAULT_DEADLINES: EngineDeadlines = { countTokensMs: 30_000, chatPromptMs: 20_000, loadIdleMs: 180_000 };

export type ModelEngineOptions = ProcessOptions & { deadlines?: Partial<EngineDeadlines> };

export class ModelEngine {
  private client: ModelProcessClient | undefined;
  /** The load of the current process's model; undefined in a fresh process. */
  private loaded: Promise<ModelInfo> | undefined;
  private lastLoad: LoadOptions | undefined;
  private currentInfo: ModelInfo | undefined;
  private readonly queue = new GenerationQueue({ run: (job) => this.run(job), cancel: (id) => this.client?.cancel(id) });
  private nextId = 1;
  /** The id of the load request in flight, which cancelLoad stops. */
  private loadingId: number | undefined;
  private currentState: EngineState = 'idle';
  private readonly listeners = new Set<(state: EngineState) => void>();
  private disposed = false;
  private readonly log: Logger;

  private readonly deadlines: EngineDeadlines;

  constructor(private readonly options: ModelEngineOptions) {
    this.log = options.log ?? silentLogger;
    this.deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
  }

  get info(): ModelInfo | undefined {
    return this.currentInfo;
  }

  get state(): EngineState {
    return this.currentState;
  }

  /** The model process's id, while one runs. */
  get pid(): number | undefined {
    return this.client?.alive ? this.client.pid : undefined;
  }

  onDidChangeState(listener: (state: EngineState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  load(options: LoadOptions, onProgress?: (progress: LoadProgress) => void): Promise<ModelInfo> {
    if (this.disposed) return Promise.reject(disposedError());
    this.lastLoad = options;
    return this.loadInto(this.ensureClient(), options, onProgress);
  }

  /** Stops the load in progress (its download ends and cleans up); the load rejects with 'cancelled'. */
  cancelLoad(): void {
    if (this.loadingId !== undefined) this.client?.cancel(this.loadingId);
  }

  /**
   * Queues a generation. An aborted signal resolves it with finishReason 'cancelled' and the text so
   * far. `deadlineMs` counts from when the model process receives the request.
   */
  generate(request: GenerateRequest, handlers: GenerateHandlers = {}): Promise<GenerateResult> {
    if (this.disposed) return Promise.reject(disposedError());
    return this.queue.add(request, handlers);
  }

  async countTokens(text: string): Promise<number> {
    const ms = this.deadlines.countTokensMs;
    const reply = await this.ask({ type: 'tokenize', id: this.nextId++, text }, ms, () => `Counting tokens took longer than ${seconds(ms)}, so Inkling restarted the model process. Try a shorter selection or a smaller model.`);
    return reply.type === 'tokenized' ? reply.count : unexpected(reply.type);
  }

  /** The model's chat template applied to `messages`, ready for the assistant's turn; an aborted signal rejects it at once. */
  async chatPrompt(messages: ChatMessage[], signal?: AbortSignal): Promise<string> {
    const ms = this.deadlines.chatPromptMs;
    const reply = await this.ask({ type: 'chatPrompt', id: this.nextId++, messages }, ms, () =>
      `The chat template of the model ${this.currentInfo?.model ?? ''} took longer than ${seconds(ms)}, so Inkling restarted the model process. Choose another model for inkling.explain.model.`, signal);
    return reply.type === 'chatPrompted' ? reply.prompt : unexpected(reply.type);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const error = disposedError();
    this.queue.rejectWaiting(error);
    // Not a kill: a download in progress first removes its partial files.
    this.client?.shutdown(error);
    this.client = undefined;
    this.loaded = undefined;
    this.setState('idle');
    this.listeners.clear();
  }

  private ensureClient(): ModelProcessClient {
    if (this.client?.alive) return this.client;
    const client = new ModelProcessClient(this.options, (error) => this.onCrash(client, error));
    this.log.info(`Started model process ${client.pid ?? '?'}`);
    this.client = client;
    this.loaded = undefined;
    return client;
  }

  private loadInto(client: ModelProcessClient, options: LoadOptions, onProgress?: (progress: LoadProgress) => void): Promise<ModelInfo> {
    this.setState('loading');
    const id = this.nextId++;
    this.loadingId = id;
    // A load may take minutes (a download) but never minutes without a sign of progress.
    const idleMs = this.deadlines.loadIdleMs;
    let idle: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        this.expire(client, new EngineError('deadline', `Loading the model ${options.model} made no progress for ${seconds(idleMs)}, so Inkling stopped it. Try again, or choose a smaller model.`));
        this.setState('error');
      }, idleMs);
    };
    watch();
    const loaded = client
      .request({ type: 'load', id, options }, (event) => {
        if (event.type !== 'loadProgress') return;
        watch();
        onProgress?.(event.progress);
      })
      .then((reply) => {
        if (reply.type === 'error') throw EngineError.fromPayload(reply.error);
        return reply.type === 'loaded' ? reply.info : unexpected(reply.type);
      })
      .finally(() => clearTimeout(idle));
    this.loaded = loaded;
    void loaded.finally(() => {
      if (this.loadingId === id) this.loadingId = undefined;
    }).catch(() => undefined);
    loaded.then(
      (info) => {
        if (this.loaded !== loaded) return;
        this.currentInfo = info;
        this.setState('ready');
      },
      () => {
        if (this.loaded === loaded) this.setState('error');
      },
    );
    return loaded;
  }

  /** The current process with its model loaded, starting and reloading after a crash or deadline. */
  private async ready(): Promise<ModelProcessClient> {
    const client = this.ensureClient();
    if (!this.loaded) {
      if (!this.lastLoad) throw new EngineError('invalid-request', 'No model is loaded yet: load one before generating.');
      this.log.info(`Reloading ${this.lastLoad.model} in a fresh model process`);
      void this.loadInto(client, this.lastLoad);
    }
    await this.loaded;
    return client;
  }

  /** One request with a deadline (the process is restarted past it) and an optional abort (the process is told to stop). */
  private async ask(message: { type: 'tokenize'; id: number; text: string } | { type: 'chatPrompt'; id: number; messages: ChatMessage[] }, deadlineMs: number, overrun: () => string, signal?: AbortSignal) {
    if (this.disposed) throw disposedError();
    signal?.throwIfAborted();
    const client = await this.ready();
    signal?.throwIfAborted();
    const onAbort = () => {
      client.cancel(message.id);
      client.abandon(message.id, abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => this.expire(client, new EngineError('deadline', overrun())), deadlineMs);
    try {
      const reply = await client.request(message);
      if (reply.type === 'error') throw EngineError.fromPayload(reply.error);
      return reply;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Gives up on a process that overran a deadline: its requests reject with `error`, the next one restarts it. */
  private expire(client: ModelProcessClient, error: EngineError): void {
    this.log.warn(`${error.message} (model process ${client.pid ?? '?'})`);
    client.kill(error);
    if (this.client === client) {
      this.client = undefined;
      this.loaded = undefined;
      this.setState('idle');
    }
  }

  private async run(job: QueuedGeneration): Promise<void> {
    let deadline: NodeJS.Timeout | undefined;
    try {
      const client = await this.ready();
      if (job.settled) return;
      const id = this.nextId++;
      job.id = id;
      this.setState('generating');
      const { deadlineMs } = job.request;
      if (deadlineMs !== undefined && deadlineMs > 0) {
        deadline = setTimeout(() => this.overrun(client, job, deadlineMs), deadlineMs);
      }
      const reply = await client.request({ type: 'generate', id, request: job.request, sentAt: Date.now() }, (event) => {
        if (event.type === 'token') this.deliver(job, event.text);
      });
      if (reply.type === 'error') throw EngineError.fromPayload(reply.error);
      const result = reply.type === 'done' ? reply.result : unexpected(reply.type);
      this.settleState(job);
      job.resolve(result);
    } catch (error) {
      this.settleState(job);
      job.reject(error);
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Back to 'ready' once nothing is left to generate, before the caller hears the result. */
  private settleState(job: QueuedGeneration): void {
    if (this.currentState === 'generating' && this.queue.isLast(job) && !this.disposed) this.setState('ready');
  }

  private deliver(job: QueuedGeneration, text: string): void {
    try {
      job.handlers.onToken?.(text);
    } catch (error) {
      this.log.warn(`onToken handler threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private overrun(client: ModelProcessClient, job: QueuedGeneration, deadlineMs: number): void {
    const error = new EngineError('deadline', `The model took longer than ${deadlineMs} ms to answer, so Inkling restarted it. Try a smaller model or fewer tokens.`);
    job.reject(error);
    this.expire(client, error);
  }

  private onCrash(client: ModelProcessClient, error: EngineError): void {
    this.log.error(`${error.message}\n${error.detail ?? ''}`);
    if (this.client !== client) return;
    this.client = undefined;
    this.loaded = undefined;
    this.queue.rejectWaiting(error);
    this.setState('error');
  }

  private setState(state: EngineState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (error) {
        this.log.warn(`State listener threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

function disposedError(): EngineError {
  return new EngineError('internal', 'The Inkling model engine has been shut down.');
}

function unexpected(type: string): never {
  throw new EngineError('internal', `The model process sent an unexpected reply (${type}).`);
}

function abortError(): Error {
  return Object.assign(new Error('The request was cancelled.'), { name: 'AbortError' });
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}
