// What the benchmark and its llama.cpp child process say to each other. llama.cpp runs in a child
// of its own, like Inkling's model process, so load time and RSS are measured the same way.

export interface LlamaChildArgs {
  prefix: string;
  modelPath: string;
  threads: number;
  contextSize: number;
}

export type ToLlamaChild =
  | { type: 'run'; prompt: string; promptTokens: number; newTokens: number }
  | { type: 'exit' };

export interface LlamaReady {
  type: 'ready';
  libraryMs: number;
  modelMs: number;
  contextMs: number;
  rssMiB: number;
  /** The CPU backend file llama.cpp picked (ggml builds one per CPU family). */
  backend?: string;
  systemInfo: string;
  release: string;
}

export interface LlamaDone {
  type: 'done';
  /** Tokens llama.cpp's tokenizer made of the prompt text, before fitting to the asked count. */
  tokenizedTokens: number;
  promptTokens: number;
  /** From receiving the prompt (tokenizing included) to the first new token. */
  ttftMs: number;
  generatedTokens: number;
  totalMs: number;
  /** CPU seconds (user + system) the process used while prompting and decoding. */
  cpuSeconds: number;
  peakRssMiB: number;
}

export type FromLlamaChild = LlamaReady | LlamaDone | { type: 'error'; message: string };
