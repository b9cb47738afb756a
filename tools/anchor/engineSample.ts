// One engine's measurements in one round; both engines fill the same fields so the report can pair
// them round by round.

export type AnchorEngine = 'inkling' | 'llama.cpp';

export interface EngineSample {
  engine: AnchorEngine;
  /** From starting the engine's process to the model being ready for a prompt. */
  loadMs: number;
  rssAfterLoadMiB: number;
  peakRssMiB: number;
  promptTokens: number;
  /** From the prompt text reaching the engine's process to the first new token. */
  ttftMs: number;
  generatedTokens: number;
  decodeTokensPerSecond: number;
  /** Cores' worth of CPU the engine's process got while prompting and decoding. */
  coresObtained: number;
}

/** Tokens after the first per second: each comes out of one decode step. NaN without a second token. */
export function decodeRate(generatedTokens: number, totalMs: number, ttftMs: number): number {
  const steps = generatedTokens - 1;
  const ms = totalMs - ttftMs;
  return steps > 0 && ms > 0 ? (steps * 1000) / ms : NaN;
}
