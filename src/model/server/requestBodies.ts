// The JSON bodies of /v1/completions and /v1/chat/completions. The prompt is Inkling's own, special
// tokens written out as text (every engine here parses them in a raw prompt). Fields beyond OpenAI's
// are sent only when they change something; engines that do not know one ignore it (vLLM and the
// llama.cpp server read top_k; vLLM and TGI read repetition_penalty, the llama.cpp server repeat_penalty).
import type { ChatMessage, ChatRequest, GenerateRequest, SamplingOptions } from '../protocol';

/** OpenAI's API and TGI (by default) refuse more stop strings than this. */
export const MAX_SERVER_STOPS = 4;

export function completionBody(model: string, request: GenerateRequest): Record<string, unknown> {
  return { model, prompt: request.prompt, ...common(request.sampling, request.stop) };
}

export function chatBody(model: string, messages: readonly ChatMessage[], request: ChatRequest): Record<string, unknown> {
  return { model, messages: messages.map(({ role, content }) => ({ role, content })), ...common(request.sampling, request.stop) };
}

function common(sampling: SamplingOptions, stop: readonly string[]): Record<string, unknown> {
  const greedy = sampling.temperature === 0;
  const stops = serverStops(stop);
  return {
    stream: true,
    // The last chunk then carries token counts (vLLM, llama.cpp, Ollama); others ignore it.
    stream_options: { include_usage: true },
    max_tokens: sampling.maxNewTokens,
    temperature: sampling.temperature,
    ...(greedy ? {} : { top_p: sampling.topP }),
    ...(!greedy && sampling.topK > 0 ? { top_k: sampling.topK } : {}),
    ...(sampling.repetitionPenalty !== 1 ? { repetition_penalty: sampling.repetitionPenalty, repeat_penalty: sampling.repetitionPenalty } : {}),
    ...(sampling.seed !== undefined ? { seed: sampling.seed } : {}),
    ...(stops.length > 0 ? { stop: stops } : {}),
  };
}

/**
 * At most four stop strings for the server, plain text first: a server does not print special
 * tokens (it ends at its end-of-text token by itself), but it would print "\n" or "\n\n\n".
 * Inkling cuts at every stop string itself as the text streams in.
 */
export function serverStops(stops: readonly string[]): string[] {
  const unique = [...new Set(stops.filter((s) => s.length > 0))];
  const special = (s: string) => /^<.*>$/s.test(s);
  return [...unique.filter((s) => !special(s)), ...unique.filter(special)].slice(0, MAX_SERVER_STOPS);
}
