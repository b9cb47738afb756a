// A scripted model and request fixtures for the completion tests: no model needed.
import type { CompletionSettings } from '../../../src/settings/settings';
import type { CompletionRequest } from '../../../src/completion/completionTypes';
import type { FinishReason, GenerateHandlers, GenerateRequest, GenerateResult, LoadedModel, ModelInfo } from '../../../src/model/protocol';

export interface FakeCall {
  request: GenerateRequest;
  signal: AbortSignal | undefined;
  /** Streams text to the caller (manual mode). */
  emit(text: string): void;
  finish(reason?: FinishReason): void;
  readonly settled: boolean;
  readonly sent: string;
}

export interface FakeOptions {
  /** Leave streaming and finishing to the test (call.emit / call.finish). */
  manual?: boolean;
  /** Delay between streamed chunks in automatic mode. */
  chunkDelayMs?: number;
  /** Throw instead of generating. */
  fail?: Error;
  /** Like the engine finishing its current step: an abort settles only after this long (manual mode: at finish()). */
  stopLagMs?: number;
  /** What each result reports as its time to first token (default 1). */
  timeToFirstTokenMs?: number | ((prompt: string) => number);
}

/** Answers each prompt with `reply(prompt)`, honouring stop strings and cancellation like the engine. */
export class FakeGenerator implements Pick<LoadedModel, 'generate'> {
  readonly calls: FakeCall[] = [];
  active = 0;
  maxActive = 0;

  constructor(private readonly reply: (prompt: string) => string = () => '', private readonly options: FakeOptions = {}) {}

  private ttft(prompt: string): number {
    const { timeToFirstTokenMs = 1 } = this.options;
    return typeof timeToFirstTokenMs === 'function' ? timeToFirstTokenMs(prompt) : timeToFirstTokenMs;
  }

  generate(request: GenerateRequest, handlers: GenerateHandlers = {}): Promise<GenerateResult> {
    if (this.options.fail) return Promise.reject(this.options.fail);
    const full = cutAtFirst(this.reply(request.prompt), request.stop);
    return new Promise((resolve) => {
      let sent = '';
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (finishReason: FinishReason) => {
        if (settled) return;
        settled = true;
        this.active--;
        clearTimeout(timer);
        handlers.signal?.removeEventListener('abort', onAbort);
        resolve({ text: sent, finishReason, promptTokens: Math.ceil(request.prompt.length / 4), generatedTokens: Math.ceil(sent.length / 3), timeToFirstTokenMs: this.ttft(request.prompt), totalMs: 2, reusedPromptTokens: 0 });
      };
      let stopping = false;
      const onAbort = () => {
        if (this.options.stopLagMs === undefined) return settle('cancelled');
        stopping = true;
        clearTimeout(timer);
        if (!this.options.manual) timer = setTimeout(() => settle('cancelled'), this.options.stopLagMs);
      };
      const call: FakeCall = {
        request,
        signal: handlers.signal,
        emit: (text) => {
          if (settled || stopping) return;
          sent += text;
          handlers.onToken?.(text);
        },
        finish: (reason = 'stop') => settle(stopping ? 'cancelled' : reason),
        get settled() { return settled; },
        get sent() { return sent; },
      };
      this.calls.push(call);
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
      handlers.signal?.addEventListener('abort', onAbort, { once: true });
      if (handlers.signal?.aborted) return settle('cancelled');
      if (this.options.manual) return;
      let at = 0;
      const pump = () => {
        if (settled || stopping) return;
        if (at >= full.length) return settle('stop');
        call.emit(full.slice(at, at + 3));
        at += 3;
        timer = setTimeout(pump, this.options.chunkDelayMs ?? 0);
      };
      pump();
    });
  }
}

function cutAtFirst(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const s of stops) {
    const at = text.indexOf(s);
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end);
}

export const QWEN_TOKENS = ['<|endoftext|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>', '<|im_start|>', '<|im_end|>'];

export function modelInfo(overrides: Partial<ModelInfo> = {}): ModelInfo {
  return { model: 'test/qwen-tiny', dtype: 'q8', device: 'cpu', specialTokens: QWEN_TOKENS, modelType: 'qwen2', eosTokens: ['<|endoftext|>'], loadMs: 1, ...overrides };
}

export function completionSettings(overrides: Partial<CompletionSettings> = {}): CompletionSettings {
  return {
    enabled: true,
    languages: { plaintext: false },
    promptTemplate: 'auto',
    contextTokens: 1024,
    useOpenEditors: false,
    debounceMs: 0,
    multiline: 'auto',
    maxLines: 16,
    sampling: { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 64 },
    ...overrides,
  };
}

/** Marks the cursor in test documents ('|' is too common in code). */
export const CURSOR = '‸';

/** A request with the cursor at CURSOR in `text`. */
export function requestAt(textWithCursor: string, overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  const { text, offset } = cursorIn(textWithCursor);
  return {
    document: text,
    offset,
    languageId: 'typescript',
    path: 'src/app.ts',
    eol: '\n',
    indentation: { insertSpaces: true, tabSize: 2 },
    settings: completionSettings(),
    trigger: 'explicit',
    ...overrides,
  };
}

/** Splits `text` at CURSOR into a document and cursor offset. */
export function cursorIn(textWithCursor: string): { text: string; offset: number } {
  const offset = textWithCursor.indexOf(CURSOR);
  if (offset < 0) throw new Error('no cursor marker in test text');
  return { text: textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1), offset };
}

export const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `generator` as a loaded model with `info` (what the completion service is handed). */
export function fakeModel(generator: Pick<LoadedModel, 'generate'>, info: ModelInfo = modelInfo()): LoadedModel {
  return {
    info,
    generate: (request, handlers) => generator.generate(request, handlers),
    countTokens: async (text) => Math.ceil(text.length / 4),
    chatPrompt: async (messages) => messages.map((m) => m.content).join('\n'),
    generateChat: (messages, request, handlers) => generator.generate({ ...request, prompt: messages.map((m) => m.content).join('\n') }, handlers),
  };
}
