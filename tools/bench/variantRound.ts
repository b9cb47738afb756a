// One variant's measurements in one round, through the same path the extension uses: a fresh
// ModelEngine forks dist/modelProcess.js, loads the model and generates over IPC.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loggerFrom } from '../../src/base/logger';
import { ModelEngine } from '../../src/model/host/modelEngine';
import type { Dtype, GenerateRequest, GenerateResult } from '../../src/model/protocol';
import { cacheFlushPrompt } from './benchPrompt';
import type { FimPrompt } from './fimPrompts';
import { measureTyping, type KeystrokeSample } from './fimTyping';
import { processCpuSeconds, processMemoryMiB } from './machineLoad';

export interface RoundSample {
  variant: Dtype;
  /** From `new ModelEngine` to the model being ready: fork, module load and model load. */
  loadWallMs: number;
  /** The model process's own load time (ModelInfo.loadMs). */
  loadInProcessMs: number;
  rssAfterLoadMiB?: number;
  peakRssMiB?: number;
  promptTokens: number;
  /** The first prompt after the load. */
  coldTtftMs: number;
  generatedTokens: number;
  decodeTokensPerSecond: number;
  /** Longest and 99th-percentile host event-loop delay while the cold prompt ran (10 ms sampling). */
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  /** Longest host event-loop delay over every generation of the round, less the 10 ms sampling interval. */
  loopLateMaxMs: number;
  /** Cores' worth of CPU the model process got during the cold prompt (at most `threads`): low means contention. */
  coresObtained?: number;
  extendedPromptTokens: number;
  /** The prompt plus a few typed characters, right after the cold prompt (its cache kept). */
  reuseTtftMs: number;
  reusedPromptTokens: number;
  /** The same extended prompt again, after another prompt emptied the cache. */
  coldExtendedTtftMs: number;
  coldExtendedReusedTokens: number;
  /** Fill-in-the-middle prompts while typing at a cursor mid-file, one per keystroke. */
  keystrokes: KeystrokeSample[];
  /** The completion after the last keystroke's prompt, one token per pass and with prompt lookup. */
  completion?: CompletionPair;
  /** A completion the prompt already holds (repeatPrompt.ts), both ways. */
  repeat?: CompletionPair;
  /** The last keystroke sent while the one before it was still generating (and aborted then). */
  supersede?: SupersedeSample;
}

export interface SupersedeSample {
  /** From sending the keystroke's request to its first token, seen by the host. */
  firstTokenWallMs: number;
  /** Tokens the superseded generation had written when it stopped. */
  supersededTokens: number;
  reusedPromptTokens: number;
}

export interface CompletionSample {
  generatedTokens: number;
  /** From the request reaching the model process to its end; the prompt is cached but for its last token. */
  totalMs: number;
  decodeTokensPerSecond: number;
  /** Tokens written per second of the whole request: what prompt lookup speeds up. */
  effectiveTokensPerSecond: number;
  forwardSteps: number;
  draftedTokens: number;
  acceptedDraftTokens: number;
}

export interface CompletionPair {
  plain: CompletionSample;
  lookup: CompletionSample;
}

export interface RoundInput {
  processEntry: string;
  folder: string;
  variant: Dtype;
  threads: number;
  prompt: string;
  typed: string;
  newTokens: number;
  /** The prompt before typing, then one per keystroke; fewer than two skips the step. */
  fimPrompts: readonly FimPrompt[];
  /** The most tokens a completion may have (the extension's maxNewTokens). */
  completionTokens: number;
  /** A prompt whose completion it already holds; '' skips it. */
  repeatPrompt: string;
  /** Which of plain and prompt lookup runs first this round (alternate it across rounds). */
  lookupFirst: boolean;
}

const greedy = { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1 };

/** Plain decoding unless a step asks for prompt lookup: the random models repeat themselves, which lookup turns into drafts. */
function request(prompt: string, maxNewTokens: number): GenerateRequest {
  return { prompt, sampling: { ...greedy, maxNewTokens }, stop: [], promptLookup: false };
}

export async function measureRound(input: RoundInput): Promise<RoundSample> {
  const log: string[] = [];
  const started = performance.now();
  const engine = new ModelEngine({ processEntry: input.processEntry, log: loggerFrom((level, message) => log.push(`${level}: ${message}`)) });
  try {
    const info = await engine.load({ model: input.folder, dtype: input.variant, device: 'cpu', threads: input.threads, localOnly: true });
    const loadWallMs = performance.now() - started;
    const afterLoad = processMemoryMiB(engine.pid);

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    const wholeLoop = monitorEventLoopDelay({ resolution: 10 });
    wholeLoop.enable();
    const cpuBefore = processCpuSeconds(engine.pid);
    const coldStarted = performance.now();
    loopDelay.enable();
    const cold = await engine.generate(request(input.prompt, input.newTokens));
    loopDelay.disable();
    const cpuAfter = processCpuSeconds(engine.pid);
    const coldSeconds = (performance.now() - coldStarted) / 1000;
    const peak = processMemoryMiB(engine.pid);

    // The user typed a few characters: only the new tail should run.
    const extended = input.prompt + input.typed;
    const reuse = await engine.generate(request(extended, 1));
    await engine.generate(request(cacheFlushPrompt, 1));
    const coldExtended = await engine.generate(request(extended, 1));
    const keystrokes = await measureTyping(engine, input.fimPrompts);
    const last = input.fimPrompts[input.fimPrompts.length - 1];
    const previous = input.fimPrompts[input.fimPrompts.length - 2];
    const supersede = keystrokes.length > 0 && last && previous ? await measureSupersede(engine, previous.prompt, last.prompt, input.completionTokens) : undefined;
    const completion = keystrokes.length > 0 && last ? await completionPair(engine, last.prompt, input) : undefined;
    const repeat = input.repeatPrompt ? await completionPair(engine, input.repeatPrompt, input) : undefined;
    wholeLoop.disable();

    return {
      variant: input.variant,
      loadWallMs,
      loadInProcessMs: info.loadMs,
      rssAfterLoadMiB: afterLoad?.rss,
      peakRssMiB: peak?.peak,
      promptTokens: cold.promptTokens,
      coldTtftMs: cold.timeToFirstTokenMs,
      generatedTokens: cold.generatedTokens,
      decodeTokensPerSecond: decodeRate(cold),
      loopDelayMaxMs: loopDelay.max / 1e6,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopLateMaxMs: Math.max(0, wholeLoop.max / 1e6 - 10),
      coresObtained: cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / coldSeconds : undefined,
      extendedPromptTokens: reuse.promptTokens,
      reuseTtftMs: reuse.timeToFirstTokenMs,
      reusedPromptTokens: reuse.reusedPromptTokens,
      coldExtendedTtftMs: coldExtended.timeToFirstTokenMs,
      coldExtendedReusedTokens: coldExtended.reusedPromptTokens,
      keystrokes,
      completion,
      repeat,
      supersede,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${input.variant} round failed: ${message}\n${log.slice(-20).join('\n')}`, { cause: error });
  } finally {
    engine.dispose();
  }
}

/**
 * Typing on while a completion streams: `before`'s completion runs; at its first token the next
 * keystroke's request is sent and the first one aborted, as the extension does. The new request
 * waits only for the old one's current step.
 */
async function measureSupersede(engine: ModelEngine, before: string, after: string, maxNewTokens: number): Promise<SupersedeSample> {
  const old = new AbortController();
  let firstToken: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (firstToken = resolve));
  const superseded = engine.generate(request(before, maxNewTokens), { signal: old.signal, onToken: () => firstToken() });
  // A completion that ends before its first token leaves nothing to supersede: the keystroke then simply follows it.
  await Promise.race([started, superseded]);
  const sent = performance.now();
  let firstAt: number | undefined;
  const current = engine.generate(request(after, 1), { onToken: () => (firstAt ??= performance.now()) });
  old.abort();
  const [stopped, result] = await Promise.all([superseded, current]);
  return { firstTokenWallMs: (firstAt ?? performance.now()) - sent, supersededTokens: stopped.generatedTokens, reusedPromptTokens: result.reusedPromptTokens };
}

/**
 * A completion of `prompt` written greedily both ways, the prompt cached (but for its last token)
 * each time: a first run leaves it in the cache.
 */
async function completionPair(engine: ModelEngine, prompt: string, input: RoundInput): Promise<CompletionPair> {
  const once = async (promptLookup: boolean): Promise<CompletionSample> => {
    const result = await engine.generate({ ...request(prompt, input.completionTokens), promptLookup });
    return {
      generatedTokens: result.generatedTokens,
      totalMs: result.totalMs,
      decodeTokensPerSecond: decodeRate(result),
      effectiveTokensPerSecond: result.totalMs > 0 ? (result.generatedTokens * 1000) / result.totalMs : NaN,
      forwardSteps: result.forwardSteps ?? NaN,
      draftedTokens: result.draftedTokens ?? 0,
      acceptedDraftTokens: result.acceptedDraftTokens ?? 0,
    };
  };
  await engine.generate(request(prompt, 1));
  if (input.lookupFirst) {
    const lookup = await once(true);
    return { lookup, plain: await once(false) };
  }
  const plain = await once(false);
  return { plain, lookup: await once(true) };
}

/**
 * Tokens after the first per second: the first token comes out of the prompt step, each later one
 * out of one decode step. NaN when there was no second token (the model ended at once).
 */
export function decodeRate(result: Pick<GenerateResult, 'generatedTokens' | 'totalMs' | 'timeToFirstTokenMs'>): number {
  const steps = result.generatedTokens - 1;
  const ms = result.totalMs - result.timeToFirstTokenMs;
  return steps > 0 && ms > 0 ? (steps * 1000) / ms : NaN;
}
