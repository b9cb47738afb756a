// Runs every variant once per round, rotating the order each round, so that a neighbour's burst of
// work lands on all variants alike; paired per-round ratios then cancel most of the shared noise.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTestModel } from '../support/testModels';
import { ModelEngine } from '../../src/model/modelEngine';
import type { Dtype } from '../../src/model/protocol';
import type { BenchOptions } from './benchOptions';
import { cutToTokens, sourceText } from './benchPrompt';
import { machineInfo, sampleLoad, type LoadSample, type MachineInfo } from './machineLoad';
import { measureRound, type RoundSample } from './variantRound';

export interface BenchRun {
  options: BenchOptions;
  machine: MachineInfo;
  startedAt: Date;
  durationMs: number;
  /** Samples before the models are built, after each round, and at the end. */
  load: LoadSample[];
  promptTokens: number;
  /** `samples[round]` holds one sample per variant, in the order they ran. */
  samples: RoundSample[][];
}

export type Progress = (line: string) => void;

export async function runBench(options: BenchOptions, processEntry: string, progress: Progress = () => undefined): Promise<BenchRun> {
  const startedAt = new Date();
  const load = [sampleLoad()];
  const folders = new Map<Dtype, string>();
  for (const variant of options.variants) {
    const t = performance.now();
    folders.set(variant, await ensureTestModel(options.kind, variant));
    progress(`model ${options.kind}-${variant} ready (${Math.round(performance.now() - t)} ms)`);
  }
  // Every round should find the files in the page cache, not only the ones after the first.
  for (const folder of folders.values()) warmFiles(join(folder, 'onnx'));

  const first = options.variants[0];
  const { prompt, tokens } = await fitPrompt(processEntry, folderOf(folders, first), first, options);
  progress(`prompt: ${tokens} tokens, ${prompt.length} characters`);

  const samples: RoundSample[][] = [];
  for (let round = 0; round < options.rounds; round++) {
    const shift = round % options.variants.length;
    const order = [...options.variants.slice(shift), ...options.variants.slice(0, shift)];
    const results: RoundSample[] = [];
    for (const variant of order) {
      const sample = await measureRound({
        processEntry, folder: folderOf(folders, variant), variant, threads: options.threads, prompt, typed: options.typed, newTokens: options.newTokens,
      });
      results.push(sample);
      progress(`round ${round + 1}/${options.rounds} ${variant}: load ${Math.round(sample.loadWallMs)} ms, first token ${sample.coldTtftMs} ms, ` +
        `${sample.decodeTokensPerSecond.toFixed(1)} tok/s, reuse ${sample.reuseTtftMs} ms vs cold ${sample.coldExtendedTtftMs} ms`);
    }
    samples.push(results);
    load.push(sampleLoad());
  }
  return { options, machine: machineInfo(), startedAt, durationMs: Date.now() - startedAt.getTime(), load, promptTokens: tokens, samples };
}

async function fitPrompt(processEntry: string, folder: string, variant: Dtype, options: BenchOptions): Promise<{ prompt: string; tokens: number }> {
  const engine = new ModelEngine({ processEntry });
  try {
    await engine.load({ model: folder, dtype: variant, device: 'cpu', threads: options.threads, localOnly: true });
    // Byte-level BPE with few merges needs about 2–3 characters per token; 8 leaves room.
    return await cutToTokens(sourceText(options.promptTokens * 8), options.promptTokens, (text) => engine.countTokens(text));
  } finally {
    engine.dispose();
  }
}

function warmFiles(dir: string): void {
  const buffer = Buffer.alloc(16 * 2 ** 20);
  for (const name of readdirSync(dir)) {
    const fd = openSync(join(dir, name), 'r');
    try {
      while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}

function folderOf(folders: Map<Dtype, string>, variant: Dtype): string {
  const folder = folders.get(variant);
  if (!folder) throw new Error(`No model folder for ${variant}`);
  return folder;
}
