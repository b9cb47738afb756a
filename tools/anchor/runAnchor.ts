// Runs Inkling and llama.cpp side by side: each round runs both, in alternating order, so a
// neighbour's burst of work lands on both alike and per-round ratios cancel most of it.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ModelEngine } from '../../src/model/host/modelEngine';
import { cutToTokens, sourceText } from '../bench/benchPrompt';
import { machineInfo, sampleLoad } from '../bench/machineLoad';
import type { LoadSample, MachineInfo } from '../bench/machineLoad';
import { ensureTestModel } from '../makeModel/modelCache';
import type { AnchorOptions } from './anchorOptions';
import { anchorDir, ensureAnchorGguf } from './anchorModel';
import type { EngineSample } from './engineSample';
import { measureInklingRound } from './inklingRound';
import { ensureNodeLlamaCpp } from './llamaCpp';
import type { LlamaDone, LlamaReady } from './llamaMessages';
import { measureLlamaRound } from './llamaRound';

export interface AnchorRun {
  options: AnchorOptions;
  machine: MachineInfo;
  startedAt: Date;
  durationMs: number;
  /** Before the first round and after each. */
  load: LoadSample[];
  promptTokens: number;
  ggufBytes: number;
  /** `rounds[i]` holds both engines' samples, in the order they ran. */
  rounds: EngineSample[][];
  llama: { ready: LlamaReady; done: LlamaDone }[];
}

export interface AnchorPaths {
  /** dist/modelProcess.js */
  processEntry: string;
  /** out/tools/anchor/llamaChild.js */
  llamaChildEntry: string;
}

export async function runAnchor(options: AnchorOptions, paths: AnchorPaths, progress: (line: string) => void): Promise<AnchorRun> {
  const startedAt = new Date();
  ensureNodeLlamaCpp(anchorDir(), progress);
  let t = performance.now();
  const ggufPath = ensureAnchorGguf(options.ggufType);
  const folder = await ensureTestModel('bench', options.dtype);
  progress(`models ready (${Math.round(performance.now() - t)} ms): ${ggufPath}, ${folder}`);
  // Every load should find its files in the page cache, the first round's too.
  for (const file of [ggufPath, ...readdirSync(join(folder, 'onnx')).map((name) => join(folder, 'onnx', name))]) readThrough(file);

  t = performance.now();
  const { prompt, tokens } = await fitPrompt(paths.processEntry, folder, options);
  progress(`prompt: ${tokens} tokens by Inkling's tokenizer, ${prompt.length} characters (${Math.round(performance.now() - t)} ms)`);

  const load = [sampleLoad()];
  const rounds: EngineSample[][] = [];
  const llama: AnchorRun['llama'] = [];
  for (let round = 0; round < options.rounds; round++) {
    const inkling = (): Promise<EngineSample> => measureInklingRound({
      processEntry: paths.processEntry, folder, dtype: options.dtype, threads: options.threads, prompt, newTokens: options.newTokens,
    });
    const llamaCpp = async (): Promise<EngineSample> => {
      const result = await measureLlamaRound({
        childEntry: paths.llamaChildEntry, prefix: anchorDir(), modelPath: ggufPath, threads: options.threads,
        contextSize: Math.ceil((tokens + options.newTokens) / 256) * 256, prompt, promptTokens: tokens, newTokens: options.newTokens,
      });
      llama.push({ ready: result.ready, done: result.done });
      return result.sample;
    };
    const order = round % 2 === 0 ? [inkling, llamaCpp] : [llamaCpp, inkling];
    const samples: EngineSample[] = [];
    for (const measure of order) {
      const s = await measure();
      samples.push(s);
      progress(`round ${round + 1}/${options.rounds} ${s.engine}: load ${Math.round(s.loadMs)} ms, first token ${Math.round(s.ttftMs)} ms, ` +
        `${s.decodeTokensPerSecond.toFixed(1)} tok/s, ${s.coresObtained.toFixed(2)} cores, peak ${s.peakRssMiB} MiB`);
    }
    rounds.push(samples);
    load.push(sampleLoad());
  }
  return {
    options, machine: machineInfo(), startedAt, durationMs: Date.now() - startedAt.getTime(), load, promptTokens: tokens,
    ggufBytes: statSync(ggufPath).size, rounds, llama,
  };
}

async function fitPrompt(processEntry: string, folder: string, options: AnchorOptions): Promise<{ prompt: string; tokens: number }> {
  const engine = new ModelEngine({ processEntry });
  try {
    await engine.load({ model: folder, dtype: options.dtype, device: 'cpu', threads: options.threads, localOnly: true });
    // The bench tokenizer has few merges: about 2–3 characters per token; 8 leaves room.
    return await cutToTokens(sourceText(options.promptTokens * 8), options.promptTokens, (text) => engine.countTokens(text));
  } finally {
    engine.dispose();
  }
}

function readThrough(file: string): void {
  const buffer = Buffer.alloc(16 * 2 ** 20);
  const fd = openSync(file, 'r');
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}
