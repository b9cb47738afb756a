// The host side of the engine, for the extension and the CLI: starts the model process on first
// use, runs one generation at a time in arrival order, and survives anything the process does —
// a crash or an overrun deadline costs a restart (and a reload of the last model), never the host.
import { silentLogger, type Logger } from '../../base/logger';
import type { ChatMessage, GenerateHandlers, GenerateRequest, GenerateResult, LoadOptions, LoadProgress, ModelInfo } from '../protocol';
import { EngineError } from './engineError';
import { GenerationQueue, type QueuedGeneration } from './generationQueue';
import { ModelProcessClient, type ProcessOptions } from './modelProcessClient';

export type EngineState = 'idle' | 'loading' | 'ready' | 'generating' | 'error';
export type ModelEngineOptions = ProcessOptions;

export class ModelEngine {
  private client: ModelProcessClient | undefined;
  /** The load of the current process's model; undefined in a fresh process. */
  private loaded: Promise<ModelInfo> | undefined;
  private lastLoad: LoadOptions | undefined;
  private currentInfo: ModelInfo | undefined;
  private readonly queue = new GenerationQueue({ run: (job) => this.run(job), cancel: (id) => this.client?.cancel(id) });
  private nextId = 1;
  private currentState: EngineState = 'idle';
  private readonly listeners = new Set<(state: EngineState) => void>();
  private disposed = false;
  private readonly log: Logger;

  constructor(private readonly options: ModelEngineOptions) {
    this.log = options.log ?? silentLogger;
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

  /**
   * Queues a generation. An aborted signal resolves it with finishReason 'cancelled' and the text so
   * far. `deadlineMs` counts from when the model process receives the request.
   */
  generate(request: GenerateRequest, handlers: GenerateHandlers = {}): Promise<GenerateResult> {
    if (this.disposed) return Promise.reject(disposedError());
    return this.queue.add(request, handlers);
  }

  async countTokens(text: string): Promise<number> {
    const reply = await this.ask({ type: 'tokenize', id: this.nextId++, text });
    return reply.type === 'tokenized' ? reply.count : unexpected(reply.type);
  }

  /** The model's chat template applied to `messages`, ready for the assistant's turn. */
  async chatPrompt(messages: ChatMessage[]): Promise<string> {
    const reply = await this.ask({ type: 'chatPrompt', id: this.nextId++, messages });
    return reply.type === 'chatPrompted' ? reply.prompt : unexpected(reply.type);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const error = disposedError();
    this.queue.rejectWaiting(error);
    this.client?.kill(error);
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
    const loaded = client
      .request({ type: 'load', id: this.nextId++, options }, (event) => {
        if (event.type === 'loadProgress') onProgress?.(event.progress);
      })
      .then((reply) => {
        if (reply.type === 'error') throw EngineError.fromPayload(reply.error);
        return reply.type === 'loaded' ? reply.info : unexpected(reply.type);
      });
    this.loaded = loaded;
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

  private async ask(message: { type: 'tokenize'; id: number; text: string } | { type: 'chatPrompt'; id: number; messages: ChatMessage[] }) {
    if (this.disposed) throw disposedError();
    const client = await this.ready();
    const reply = await client.request(message);
    if (reply.type === 'error') throw EngineError.fromPayload(reply.error);
    return reply;
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
      const reply = await client.request({ type: 'generate', id, request: job.request }, (event) => {
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
    this.log.warn(`Generation overran its ${deadlineMs} ms deadline; restarting the model process`);
    const error = new EngineError('deadline', `The model took longer than ${deadlineMs} ms to answer, so Inkling restarted it. Try a smaller model or fewer tokens.`);
    job.reject(error);
    client.kill(error);
    if (this.client === client) {
      this.client = undefined;
      this.loaded = undefined;
      this.setState('idle');
    }
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
