// The typed messages between the extension (or CLI) and the model process, and the engine contract
// (LoadedModel) that the completion and explanation pipelines program against. Imports nothing.

export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4';
export type Device = 'cpu' | 'cuda' | 'dml' | 'webgpu';

export interface LoadOptions {
  /** A Hugging Face repo id ("onnx-community/…") or an absolute path to a local model folder. */
  model: string;
  dtype: Dtype;
  device: Device;
  /** Where downloaded models are cached (the extension's global storage); never inside node_modules. */
  cacheDir?: string;
  /** Base URL of the model hub; tests point it at a local HTTP server. */
  remoteHost?: string;
  /** Refuse to touch the network: only cached or local models load. */
  localOnly?: boolean;
  /** onnxruntime intra-op threads; 0 lets the engine choose. */
  threads?: number;
  /** An http:// proxy for downloads (VS Code's http.proxy); the environment's HTTPS_PROXY otherwise. */
  proxy?: string;
}

export interface SamplingOptions {
  /** 0 means greedy decoding. */
  temperature: number;
  topP: number;
  /** 0 disables top-k filtering. */
  topK: number;
  repetitionPenalty: number;
  maxNewTokens: number;
  /** Makes sampling repeatable; absent means a fresh seed each request. */
  seed?: number;
}

export interface GenerateRequest {
  /** The complete prompt text, special tokens written out as text (e.g. "<|fim_prefix|>"). */
  prompt: string;
  sampling: SamplingOptions;
  /** Generation ends before any of these strings; the stop text is not returned. */
  stop: string[];
  /** Milliseconds after which the request is abandoned and the model process restarted. */
  deadlineMs?: number;
  /**
   * Prompt-lookup decoding: tokens that followed the same few tokens earlier in the context are
   * drafted and checked in one forward pass. Greedy text is unchanged; on by default.
   */
  promptLookup?: boolean;
  /**
   * Work nobody waits for (a prompt computed ahead, to be in the kept cache): any other request
   * stops it after its current step, or drops it unsent.
   */
  background?: boolean;
}

export type FinishReason = 'stop' | 'length' | 'eos' | 'cancelled' | 'deadline' | 'error';

export interface GenerateResult {
  text: string;
  finishReason: FinishReason;
  promptTokens: number;
  generatedTokens: number;
  /** Milliseconds from the request reaching the model process to its first new token. */
  timeToFirstTokenMs: number;
  totalMs: number;
  /** How many prompt tokens were served from a kept KV cache instead of being recomputed. */
  reusedPromptTokens: number;
  /** Milliseconds from the host sending the request to the model process beginning it: the work before it (a superseded generation's last prompt chunk or step) and the message's way there. */
  queuedMs?: number;
  /** Forward passes run (prompt chunks included), tokens drafted by prompt lookup, and how many the model kept. */
  forwardSteps?: number;
  draftedTokens?: number;
  acceptedDraftTokens?: number;
}

export interface LoadProgress {
  /** File being fetched or opened, relative to the model folder. */
  file?: string;
  /** 0..100 where known. */
  percent?: number;
  status: string;
}

export interface ModelInfo {
  model: string;
  /** 'server' when an inference server runs the model (the server backend): its weights are the server's business. */
  dtype: Dtype | 'server';
  device: Device | 'server';
  /** Names of special tokens the tokenizer knows ("<|fim_prefix|>", …), for template detection. */
  specialTokens: string[];
  /** config.json's model_type, e.g. "qwen2". */
  modelType: string;
  /** The tokenizer's chat template, when it has one (a served chat model: a note that the server applies its own). */
  chatTemplate?: string;
  eosTokens: string[];
  loadMs: number;
  /** The ONNX file the session was opened from, relative to the model folder (the tuned copy of a download, say). */
  weightsFile?: string;
  /** The most tokens (prompt and new ones together) the model reads: config.json's max_position_embeddings. */
  contextLength?: number;
}

/**
 * The prompt budget a pipeline may use: what it wants, cut so that the prompt, `maxNewTokens` and
 * `reserve` (template text around the budgeted part) fit in the model's context.
 */
export function promptBudget(wanted: number, info: Pick<ModelInfo, 'contextLength'>, maxNewTokens: number, reserve = 0): number {
  if (!info.contextLength) return wanted;
  return Math.max(1, Math.min(wanted, info.contextLength - maxNewTokens - reserve));
}

/** An error a user can act on: `message` names the model and what to do; `detail` goes to the log. */
export interface EngineErrorPayload {
  code: 'model-not-found' | 'model-corrupt' | 'hub-unreachable' | 'process-crashed' | 'deadline' | 'invalid-request' | 'internal'
    /** The model cache's disk is full or read-only. */
    | 'storage'
    /** The user cancelled (a download). */
    | 'cancelled';
  message: string;
  detail?: string;
}

// ---- messages to the model process ----
export type ToModelProcess =
  | { type: 'load'; id: number; options: LoadOptions }
  /** `sentAt`: the host's Date.now() when it sent the request, so the process can tell how long it waited to begin. */
  | { type: 'generate'; id: number; request: GenerateRequest; sentAt?: number }
  | { type: 'cancel'; id: number }
  | { type: 'tokenize'; id: number; text: string }
  | { type: 'chatPrompt'; id: number; messages: ChatMessage[] }
  | { type: 'dispose' };

// ---- messages from the model process ----
export type FromModelProcess =
  | { type: 'loadProgress'; id: number; progress: LoadProgress }
  | { type: 'loaded'; id: number; info: ModelInfo }
  /** New text from one forward step: one token's, or several when drafted tokens were kept. */
  | { type: 'token'; id: number; text: string }
  | { type: 'done'; id: number; result: GenerateResult }
  | { type: 'tokenized'; id: number; count: number }
  | { type: 'chatPrompted'; id: number; prompt: string }
  | { type: 'error'; id: number; error: EngineErrorPayload };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateHandlers {
  signal?: AbortSignal;
  /** Called with each new piece of text, in order, as the model produces it. */
  onToken?: (text: string) => void;
}

/**
 * One loaded model: the only engine handle the completion and explanation pipelines see (the editor
 * and the CLI get it from the engine port, src/model/host/enginePort.ts; tests fake it).
 */
export interface LoadedModel {
  readonly info: ModelInfo;
  /** Queues a generation; an aborted signal ends it with finishReason 'cancelled'. */
  generate(request: GenerateRequest, handlers?: GenerateHandlers): Promise<GenerateResult>;
  /**
   * The assistant's answer to `messages`, streamed like generate(): a local model applies its chat
   * template and generates; a server model sends the messages to the server, which applies its own.
   */
  generateChat(messages: ChatMessage[], request: ChatRequest, handlers?: GenerateHandlers): Promise<GenerateResult>;
  countTokens(text: string): Promise<number>;
  /**
   * The model's chat template applied to `messages`, ready for the assistant's turn; undefined where
   * Inkling never sees the rendered prompt (a server applies its template itself). An aborted signal
   * rejects it.
   */
  chatPrompt(messages: ChatMessage[], signal?: AbortSignal): Promise<string | undefined>;
}

/** A generation whose prompt is a conversation (LoadedModel.generateChat). */
export type ChatRequest = Omit<GenerateRequest, 'prompt'>;
