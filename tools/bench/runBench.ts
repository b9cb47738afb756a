// Runs every variant once per round, rotating the order each round, so that a neighbour's burst of
// work lands on all variants alike; paired per-round ratios then cancel most of the shared noise.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { ModelEngine } from '../../src/model/host/modelEngine';
import type { Dtype } from '../../src/model/protocol';
import { benchModelFolder } from './benchModel';
import type { BenchOptions } from './benchOptions';
import { cutToTokens, sourceText } from './benchPrompt';
import { fimDocument } from './fimDocument';
import { calibratedCounter, typingPrompts, type FimPrompt } from './fimPrompts';
import { keystrokeMedian } from './fimReport';
import { machineInfo, sampleLoad, type LoadSample, type MachineInfo } from './machineLoad';
import { repeatPrompt } from './repeatPrompt';
import { measureRound, type RoundSample } from './variantRound';

export interface BenchRun {
  options: BenchOptions;
  machine: MachineInfo;
  startedAt: Date;
  durationMs: number;
  /** Samples before the models are built, after each round, and at the end. */
  load: LoadSample[];
  promptTokens: number;
  /** The fill-in-the-middle typing step's prompts (the first is before typing), and the counter's ratio. */
  fim: { prompts: FimPrompt[]; charsPerToken: number };
  /** `samples[round]` holds one sample per variant, in the order they ran. */
  samples: RoundSample[][];
}

export type Progress = (line: string) => void;

/** `afterRound` runs between rounds (the quick run measures memory bandwidth there, beside the engine's rounds). */
export async function runBench(options: BenchOptions, processEntry: string, progress: Progress = () => undefined, afterRound: () => Promise<void> = async () => undefined): Promise<BenchRun> {
  const startedAt = new Date();
  const load = [sampleLoad()];
  const folders = new Map<Dtype, string>();
  for (const variant of options.variants) {
    const t = performance.now();
    folders.set(variant, await benchModelFolder(options.kind, variant));
    progress(`model ${options.kind}-${variant} ready (${Math.round(performance.now() - t)} ms)`);
  }
  // Every round should find the files in the page cache, not only the ones after the first.
  for (const folder of folders.values()) warmFiles(join(folder, 'onnx'));

  const first = options.variants[0];
  const { prompt, tokens, fim } = await fitPrompts(processEntry, folderOf(folders, first), first, options);
  progress(`prompt: ${tokens} tokens, ${prompt.length} characters; FIM prompts: ${fim.prompts.map((p) => p.prompt.length).join(', ')} characters`);

  const samples: RoundSample[][] = [];
  for (let round = 0; round < options.rounds; round++) {
    const shift = round % options.variants.length;
    const order = [...options.variants.slice(shift), ...options.variants.slice(0, shift)];
    const results: RoundSample[] = [];
    for (const variant of order) {
      const sample = await measureRound({
        processEntry, folder: folderOf(folders, variant), variant, threads: options.threads, prompt, typed: options.typed, newTokens: options.newTokens,
        fimPrompts: fim.prompts, completionTokens: options.completionTokens, repeatPrompt, lookupFirst: round % 2 === 1,
      });
      results.push(sample);
      progress(`round ${round + 1}/${options.rounds} ${variant}: load ${Math.round(sample.loadWallMs)} ms, first token ${sample.coldTtftMs} ms, ` +
        `${Number.isFinite(sample.decodeTokensPerSecond) ? sample.decodeTokensPerSecond.toFixed(1) : '—'} tok/s, reuse ${sample.reuseTtftMs} ms vs cold ${sample.coldExtendedTtftMs} ms` +
        (sample.keystrokes.length > 0 ? `, FIM keystroke ${keystrokeMedian(sample, (k) => k.keptTtftMs)} ms vs cold ${keystrokeMedian(sample, (k) => k.coldTtftMs)} ms` : '') +
        (sample.completion ? `, completion ${sample.completion.plain.generatedTokens} tokens at ${sample.completion.plain.decodeTokensPerSecond.toFixed(1)} tok/s, ` +
          `${sample.completion.plain.totalMs} ms vs ${sample.completion.lookup.totalMs} ms with lookup` : '') +
        (sample.repeat ? `, repeat ${sample.repeat.plain.totalMs} ms vs ${sample.repeat.lookup.totalMs} ms` : '') +
        `, cores ${sample.coresObtained?.toFixed(2) ?? '?'}`);
    }
    samples.push(results);
    load.push(sampleLoad());
    await afterRound();
  }
  return { options, machine: machineInfo(), startedAt, durationMs: Date.now() - startedAt.getTime(), load, promptTokens: tokens, fim, samples };
}

interface Prompts {
  prompt: string;
  tokens: number;
  fim: BenchRun['fim'];
}

async function fitPrompts(processEntry: string, folder: string, variant: Dtype, options: BenchOptions): Promise<Prompts> {
  const engine = new ModelEngine({ processEntry });
  try {
    await engine.load({ model: folder, dtype: variant, device: 'cpu', threads: options.threads, localOnly: true });
    // Byte-level BPE with few merges needs about 2–3 characters per token; 8 leaves room.
    const cut = await cutToTokens(sourceText(options.promptTokens * 8), options.promptTokens, (text) => engine.countTokens(text));
    const whole = fimDocument.before + fimDocument.after;
    const charsPerToken = whole.length / (await engine.countTokens(whole));
    const prompts = typingPrompts(fimDocument, options.fimTyped, options.contextTokens, calibratedCounter(charsPerToken));
    return { ...cut, fim: { prompts, charsPerToken } };
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
