// One explanation, start to finish, shared by the panel and the CLI so both stream the same text:
// build the prompt (chat messages or the seed's plain form), generate, hand every piece on in order.
import { promptBudget, type GenerateResult, type LoadedModel, type SamplingOptions } from '../model/protocol';
import { buildExplainPrompt, type ExplainPrompt } from './explainPrompt';

export interface ExplainRequest {
  code: string;
  languageId: string;
  fileName: string;
  /** A resolved locale, from resolveExplainLanguage. */
  locale: string;
  maxInputTokens: number;
  sampling: SamplingOptions;
}

export interface ExplainHandlers {
  signal?: AbortSignal;
  /** Called once the prompt is built, before generation starts (the panel shows the truncation note). */
  onPrompt?: (prompt: ExplainPrompt) => void;
  /** Each new piece of the answer, in order. */
  onText?: (piece: string) => void;
}

export interface ExplainOutcome { prompt: ExplainPrompt; result: GenerateResult }

/** Tokens of instructions and chat markup around the code, kept free in the model's context. */
const PROMPT_OVERHEAD_TOKENS = 256;

export async function explain(model: LoadedModel, request: ExplainRequest, handlers: ExplainHandlers = {}): Promise<ExplainOutcome> {
  const prompt = buildExplainPrompt({
    code: request.code,
    languageId: request.languageId,
    fileName: request.fileName,
    locale: request.locale,
    hasChatTemplate: Boolean(model.info.chatTemplate),
    // The code, the instructions and the answer must all fit in what the model can read.
    maxInputTokens: promptBudget(request.maxInputTokens, model.info, request.sampling.maxNewTokens, PROMPT_OVERHEAD_TOKENS),
  });
  handlers.onPrompt?.(prompt);
  const streaming = { ...(handlers.signal ? { signal: handlers.signal } : {}), ...(handlers.onText ? { onToken: handlers.onText } : {}) };
  try {
    const result = prompt.kind === 'chat'
      ? await model.generateChat(prompt.messages, { sampling: request.sampling, stop: [] }, streaming)
      // A base model would go on to invent the next question; stop it at a blank-line-led new prompt.
      : await model.generate({ prompt: prompt.prompt, sampling: request.sampling, stop: ['\n\n\n', '请解释以下代码', 'Explain what the following code'] }, streaming);
    return { prompt, result };
  } catch (error) {
    // Stop while the chat template renders ends the explanation as Stop during generation does.
    if (handlers.signal?.aborted) return { prompt, result: stoppedBeforeStart() };
    throw error;
  }
}

function stoppedBeforeStart(): GenerateResult {
  return { text: '', finishReason: 'cancelled', promptTokens: 0, generatedTokens: 0, timeToFirstTokenMs: 0, totalMs: 0, reusedPromptTokens: 0 };
}
