// Statistics events for the tests: a plausible completion or explanation, with any field overridden.
import type { CompletionEvent, ExplainEvent } from '../../../src/statistics/statisticsEvents';

export const T0 = Date.UTC(2025, 4, 12, 9, 0, 0);

export function completion(over: Partial<CompletionEvent> = {}): CompletionEvent {
  return {
    kind: 'completion', at: T0, languageId: 'python', model: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct', dtype: 'q8', backend: 'local',
    source: 'generated', trigger: 'automatic', multiline: false, sinceKeystrokeMs: 300, providerMs: 250, timeToFirstTokenMs: 80,
    generationMs: 480, promptTokens: 400, reusedPromptTokens: 360, decodedTokens: 17, shownTokens: 12, outcome: 'accepted', acceptedShare: 1,
    ...over,
  };
}

export function explanation(over: Partial<ExplainEvent> = {}): ExplainEvent {
  return {
    kind: 'explain', at: T0, languageId: 'typescript', model: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct', dtype: 'q8', backend: 'local',
    timeToFirstTextMs: 900, timeToFirstTokenMs: 700, generationMs: 5_700, decodedTokens: 201, outcome: 'finished',
    ...over,
  };
}
