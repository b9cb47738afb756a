// Small helpers the extension-host suites share: waiting for a condition, and counting what the
// completion service answered.
import * as assert from 'node:assert/strict';
import type { CompletionCounters } from '../../src/completion/completionTypes';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` passes, polling; fails naming `what` after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** Requests the completion service answered, however it answered them. */
export const answered = (c: CompletionCounters) => c.generationsStarted + c.cacheHits + c.typedAheadHits + c.inflightReuses + c.skipped;
