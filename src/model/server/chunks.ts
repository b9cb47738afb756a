// One chunk of an OpenAI-style answer, read leniently: text from `choices[0].text` (completions) or
// `choices[0].delta.content` (chat; `message.content` when a server answered unstreamed), the finish
// reason, token counts from `usage`, and an `error` some engines put in the stream when they fail.
import type { FinishReason } from '../protocol';

export interface ChunkUsage { promptTokens?: number; completionTokens?: number; cachedTokens?: number }

export type ReadChunk =
  | { kind: 'text'; piece: string; finish?: FinishReason; usage?: ChunkUsage }
  | { kind: 'error'; message: string }
  | { kind: 'unreadable'; what: string };

export function readChunk(chunk: Record<string, unknown>, chat: boolean): ReadChunk {
  if (chunk.error !== undefined && chunk.error !== null) {
    const error = chunk.error as { message?: unknown } | string;
    return { kind: 'error', message: typeof error === 'string' ? error : typeof error.message === 'string' ? error.message : JSON.stringify(error) };
  }
  const usage = readUsage(chunk.usage);
  if (!Array.isArray(chunk.choices)) {
    return usage ? { kind: 'text', piece: '', usage } : { kind: 'unreadable', what: `a chunk without choices: ${JSON.stringify(chunk).slice(0, 120)}` };
  }
  const choice = (chunk.choices[0] ?? {}) as Record<string, unknown>;
  const source = chat ? (choice.delta ?? choice.message) as Record<string, unknown> | undefined : choice;
  const text = chat ? source?.content : choice.text;
  if (text !== undefined && text !== null && typeof text !== 'string') return { kind: 'unreadable', what: `text that is not a string: ${JSON.stringify(text).slice(0, 80)}` };
  const reason = typeof choice.finish_reason === 'string' && choice.finish_reason ? finishReasonOf(choice.finish_reason) : undefined;
  return { kind: 'text', piece: text ?? '', ...(reason ? { finish: reason } : {}), ...(usage ? { usage } : {}) };
}

/** OpenAI's `length`; `stop` (vLLM, llama.cpp, Ollama: end of text or a stop string); TGI's `eos_token` and `stop_sequence`. */
function finishReasonOf(reason: string): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'stop_sequence') return 'stop';
  return 'eos';
}

function readUsage(raw: unknown): ChunkUsage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const u = raw as { prompt_tokens?: unknown; completion_tokens?: unknown; prompt_tokens_details?: { cached_tokens?: unknown } | null };
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const usage: ChunkUsage = {};
  const prompt = num(u.prompt_tokens);
  const completion = num(u.completion_tokens);
  const cached = num(u.prompt_tokens_details?.cached_tokens);
  if (prompt !== undefined) usage.promptTokens = prompt;
  if (completion !== undefined) usage.completionTokens = completion;
  if (cached !== undefined) usage.cachedTokens = cached;
  return Object.keys(usage).length > 0 ? usage : undefined;
}
