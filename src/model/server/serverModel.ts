// A model an inference server runs, as the pipelines see every model (LoadedModel): completions go to
// /v1/completions with Inkling's own prompt, conversations to /v1/chat/completions, both streamed.
// One request at a time: a new one ends the last (so typing leaves at most one open). Stop strings
// are cut here as the text streams in, whatever the server honoured. After a failure, completions
// back off quietly: a completion asked for meanwhile waits for the back-off to end (a newer keystroke
// replaces it), then asks once, so the ghost text comes as soon as a server that was down is back.
// An explanation (asked for) goes at once; it waits only when the server asked (429).
import type { ChatMessage, ChatRequest, FinishReason, GenerateHandlers, GenerateRequest, GenerateResult, LoadedModel, ModelInfo } from '../protocol';
import { Backoff } from './backoff';
import { readChunk, type ChunkUsage } from './chunks';
import { chatBody, completionBody } from './requestBodies';
import type { ServerClient } from './serverClient';
import { malformed, ServerError, timedOut } from './serverErrors';
import { StopScanner } from '../../base/stopScanner';

// As the local engine's deadline: a request slower than this is stuck, not slow.
const PROMPT_ALLOWANCE_MS = 30_000;
const SLOWEST_TOKEN_MS = 250;

export interface ServerModelHooks {
  /** The server started answering (+1) or an answer ended (-1). */
  onBusy(delta: 1 | -1): void;
  /** A request failed; `repeated` when it failed just as the one before (no answer in between). */
  onProblem(error: ServerError, repeated: boolean): void;
  /** The server answered again after a problem. */
  onRecovered(): void;
}

export interface ServerModelOptions {
  client: ServerClient;
  /** The server's name for the model (the `model` field of every request). */
  name: string;
  info: ModelInfo;
  /** Completions: back off after any failure. Explanations: only when the server says so (429). */
  quiet: boolean;
  hooks: ServerModelHooks;
  now?: () => number;
}

export class ServerModel implements LoadedModel {
  readonly info: ModelInfo;
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private current: AbortController | undefined;
  private troubled: string | undefined;

  constructor(private readonly options: ServerModelOptions) {
    this.info = options.info;
    this.now = options.now ?? (() => performance.now());
    this.backoff = new Backoff(options.now);
  }

  generate(request: GenerateRequest, handlers: GenerateHandlers = {}): Promise<GenerateResult> {
    return this.run('/v1/completions', completionBody(this.options.name, request), false, request, handlers);
  }

  generateChat(messages: ChatMessage[], request: ChatRequest, handlers: GenerateHandlers = {}): Promise<GenerateResult> {
    return this.run('/v1/chat/completions', chatBody(this.options.name, messages, request), true, request, handlers);
  }

  /** An estimate (three characters a token): the server's tokenizer is not at hand. */
  async countTokens(text: string): Promise<number> {
    return Math.ceil(text.length / 3);
  }

  /** The server applies the chat template itself: Inkling never sees the rendered prompt. */
  async chatPrompt(): Promise<undefined> {
    return undefined;
  }

  /** Lets the next request go at once (a new API key may have fixed what failed). */
  resetBackoff(): void {
    this.backoff.succeeded();
  }

  /** A failure seen outside a request (the check of /v1/models when the backend starts). */
  reportProblem(error: ServerError): void {
    if (this.options.quiet) this.backoff.failed(error);
    this.problem(error);
  }

  dispose(): void {
    this.current?.abort();
  }

  private async run(endpoint: string, body: Record<string, unknown>, chat: boolean, request: ChatRequest, handlers: GenerateHandlers): Promise<GenerateResult> {
    const started = this.now();
    const blocked = this.backoff.blocking();
    if (blocked && !this.options.quiet && blocked.problem === 'rate-limited') throw blocked;
    if (blocked && this.options.quiet && !(await this.waitOutBackoff(handlers.signal))) {
      return this.result({ text: '', pieces: 0, firstTokenAt: undefined, usage: undefined }, 'cancelled', started);
    }
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    const { signal } = handlers;
    const stopCaller = () => controller.abort();
    if (signal?.aborted) controller.abort();
    else signal?.addEventListener('abort', stopCaller, { once: true });
    const deadlineMs = request.deadlineMs ?? PROMPT_ALLOWANCE_MS + request.sampling.maxNewTokens * SLOWEST_TOKEN_MS;
    let overran = false;
    const deadline = setTimeout(() => {
      overran = true;
      controller.abort();
    }, deadlineMs);
    const scanner = new StopScanner(request.stop);
    const answer = { text: '', pieces: 0, firstTokenAt: undefined as number | undefined, usage: undefined as ChunkUsage | undefined };
    const hand = (text: string) => {
      if (!text) return;
      answer.text += text;
      answer.pieces++;
      answer.firstTokenAt ??= this.now();
      handlers.onToken?.(text);
    };
    let answering = false;
    let finish: FinishReason | undefined;
    try {
      for await (const chunk of this.options.client.stream(endpoint, body, controller.signal)) {
        if (!answering) {
          answering = true;
          this.answered();
        }
        const read = readChunk(chunk, chat);
        if (read.kind === 'error') throw new ServerError('server-failed', `The inference server at ${this.options.client.origin} failed mid-answer: ${read.message}`, read.message);
        if (read.kind === 'unreadable') throw malformed({ origin: this.options.client.origin, path: endpoint, model: this.options.name }, read.what);
        if (read.usage) answer.usage = read.usage;
        const step = scanner.push(read.piece);
        hand(step.text);
        if (step.stopped) {
          finish = 'stop';
          break;
        }
        if (read.finish) finish = read.finish;
      }
      if (finish !== 'stop') hand(scanner.flush());
      this.backoff.succeeded();
      return this.result(answer, finish ?? 'eos', started);
    } catch (error) {
      if (controller.signal.aborted && !overran) return this.result(answer, 'cancelled', started);
      // A server that said how it finished but closed without `[DONE]` still gave a whole answer.
      if (error instanceof ServerError && error.problem === 'dropped' && finish !== undefined) {
        hand(scanner.flush());
        this.backoff.succeeded();
        return this.result(answer, finish, started);
      }
      const failure = overran
        ? timedOut({ origin: this.options.client.origin, path: endpoint, model: this.options.name }, deadlineMs, 'end')
        : error instanceof ServerError ? error : new ServerError('malformed', `The inference server at ${this.options.client.origin} answered in a way Inkling cannot read.`, String(error));
      this.backoff.failed(failure);
      this.problem(failure);
      throw failure;
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', stopCaller);
      // Ends the request when the loop stopped early (a stop string): the server stops generating.
      controller.abort();
      if (this.current === controller) this.current = undefined;
      if (answering) this.options.hooks.onBusy(-1);
    }
  }

  /** Sleeps until the back-off allows a request; false when the caller gave up first. */
  private async waitOutBackoff(signal: AbortSignal | undefined): Promise<boolean> {
    for (let wait = this.backoff.waitMs; wait > 0 && !signal?.aborted; wait = this.backoff.waitMs) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
    return !signal?.aborted;
  }

  private answered(): void {
    if (this.troubled !== undefined) {
      this.troubled = undefined;
      this.options.hooks.onRecovered();
    }
    this.options.hooks.onBusy(1);
  }

  private problem(error: ServerError): void {
    const repeated = this.troubled === error.message;
    this.troubled = error.message;
    this.options.hooks.onProblem(error, repeated);
  }

  private result(answer: { text: string; pieces: number; firstTokenAt: number | undefined; usage: ChunkUsage | undefined }, finishReason: FinishReason, started: number): GenerateResult {
    const ended = this.now();
    return {
      text: answer.text,
      finishReason,
      promptTokens: answer.usage?.promptTokens ?? 0,
      generatedTokens: answer.usage?.completionTokens ?? answer.pieces,
      timeToFirstTokenMs: Math.round((answer.firstTokenAt ?? ended) - started),
      totalMs: Math.round(ended - started),
      reusedPromptTokens: answer.usage?.cachedTokens ?? 0,
    };
  }
}
