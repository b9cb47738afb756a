// Typing in the middle of a file, one keystroke at a time, on one engine as the extension does it:
// each request finds the previous keystroke's cache, whose tail (the end of the prefix, the FIM
// markers and the suffix) no longer matches and must be recomputed.
import type { GenerateRequest, LoadedModel } from '../../src/model/protocol';
import { cacheFlushPrompt } from './benchPrompt';
import type { FimPrompt } from './fimPrompts';

export interface KeystrokeSample {
  /** Typed at the cursor so far, this keystroke included. */
  typed: string;
  promptTokens: number;
  /** First token with the previous keystroke's cache kept. */
  keptTtftMs: number;
  reusedPromptTokens: number;
  /** The same prompt after another prompt emptied the cache. */
  coldTtftMs: number;
  coldReusedTokens: number;
}

const greedy = { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1 };

function firstToken(prompt: string): GenerateRequest {
  return { prompt, sampling: { ...greedy, maxNewTokens: 1 }, stop: [] };
}

/**
 * Runs `prompts[0]` (the completion asked before typing), then for each later prompt: with the kept
 * cache, then cold. The cold run leaves exactly what the kept run left (this prompt's tokens), so
 * the next keystroke starts from the state the extension would see.
 */
export async function measureTyping(engine: Pick<LoadedModel, 'generate'>, prompts: readonly FimPrompt[]): Promise<KeystrokeSample[]> {
  if (prompts.length < 2) return [];
  await engine.generate(firstToken(prompts[0].prompt));
  const samples: KeystrokeSample[] = [];
  for (const { typed, prompt } of prompts.slice(1)) {
    const kept = await engine.generate(firstToken(prompt));
    await engine.generate(firstToken(cacheFlushPrompt));
    const cold = await engine.generate(firstToken(prompt));
    samples.push({
      typed,
      promptTokens: kept.promptTokens,
      keptTtftMs: kept.timeToFirstTokenMs,
      reusedPromptTokens: kept.reusedPromptTokens,
      coldTtftMs: cold.timeToFirstTokenMs,
      coldReusedTokens: cold.reusedPromptTokens,
    });
  }
  return samples;
}
