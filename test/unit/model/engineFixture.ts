// Shared set-up for the tests that drive the real model process (dist/modelProcess.js).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loggerFrom } from '../../../src/base/logger';
import { ModelEngine } from '../../../src/model/host/modelEngine';
import type { GenerateRequest, LoadOptions, SamplingOptions } from '../../../src/model/protocol';
import { repoRoot } from '../../../tools/repoRoot';

export function processEntry(): string {
  const entry = join(repoRoot(), 'dist', 'modelProcess.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "node esbuild.config.mjs --only=modelProcess,tests" first`);
  return entry;
}

/** An engine whose log is kept for failure messages instead of printed. */
export function newEngine(): { engine: ModelEngine; log: string[] } {
  const log: string[] = [];
  const engine = new ModelEngine({ processEntry: processEntry(), log: loggerFrom((level, message) => log.push(`${level}: ${message}`)) });
  return { engine, log };
}

export function localLoad(folder: string, extra: Partial<LoadOptions> = {}): LoadOptions {
  return { model: folder, dtype: 'fp32', device: 'cpu', threads: 1, localOnly: true, ...extra };
}

export const greedySampling: SamplingOptions = { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 64 };

export function request(prompt: string, sampling: Partial<SamplingOptions> = {}, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { prompt, sampling: { ...greedySampling, ...sampling }, stop: [], ...extra };
}
