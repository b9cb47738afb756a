// One Inkling round, the way the extension runs the model: a fresh ModelEngine forks
// dist/modelProcess.js, loads the bench model and generates greedily over IPC.
import { loggerFrom } from '../../src/base/logger';
import { ModelEngine } from '../../src/model/host/modelEngine';
import type { Dtype } from '../../src/model/protocol';
import { processCpuSeconds, processMemoryMiB } from '../bench/machineLoad';
import { decodeRate } from './engineSample';
import type { EngineSample } from './engineSample';

export interface InklingRoundInput {
  processEntry: string;
  folder: string;
  dtype: Dtype;
  threads: number;
  prompt: string;
  newTokens: number;
}

export async function measureInklingRound(input: InklingRoundInput): Promise<EngineSample> {
  const log: string[] = [];
  const started = performance.now();
  const engine = new ModelEngine({ processEntry: input.processEntry, log: loggerFrom((level, message) => log.push(`${level}: ${message}`)) });
  try {
    await engine.load({ model: input.folder, dtype: input.dtype, device: 'cpu', threads: input.threads, localOnly: true });
    const loadMs = performance.now() - started;
    const afterLoad = processMemoryMiB(engine.pid);
    const cpuBefore = processCpuSeconds(engine.pid);
    const runStarted = performance.now();
    const result = await engine.generate({
      prompt: input.prompt,
      sampling: { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: input.newTokens },
      stop: [],
      // Plain decoding, one token per pass, as llama.cpp runs here: the random model repeats itself,
      // and prompt lookup would turn that into drafts llama.cpp does not get.
      promptLookup: false,
    });
    const runSeconds = (performance.now() - runStarted) / 1000;
    const cpuAfter = processCpuSeconds(engine.pid);
    return {
      engine: 'inkling',
      loadMs,
      rssAfterLoadMiB: afterLoad?.rss ?? NaN,
      peakRssMiB: processMemoryMiB(engine.pid)?.peak ?? NaN,
      promptTokens: result.promptTokens,
      ttftMs: result.timeToFirstTokenMs,
      generatedTokens: result.generatedTokens,
      decodeTokensPerSecond: decodeRate(result.generatedTokens, result.totalMs, result.timeToFirstTokenMs),
      coresObtained: cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / runSeconds : NaN,
    };
  } catch (error) {
    throw new Error(`Inkling round failed: ${error instanceof Error ? error.message : String(error)}\n${log.slice(-20).join('\n')}`, { cause: error });
  } finally {
    engine.dispose();
  }
}
