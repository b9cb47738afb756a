// node esbuild.config.mjs --only=modelProcess,tests && node out/tools/bench/sessionVariants.js [options]
//
// Chooses onnxruntime session options by measurement: each variant is a fresh ModelEngine whose model
// process merges the variant's options over Inkling's (INKLING_SESSION_OPTIONS), or loads another
// folder (a re-exported or pre-optimized model). Each round runs every variant once, the order
// rotating; per variant: load and memory, a cold FIM prompt's first token, and the completion's decode rate
// (one token per pass). Ratios are per round against the first variant. Markdown to stdout.
import { join } from 'node:path';
import { loggerFrom } from '../../src/base/logger';
import { ModelEngine } from '../../src/model/host/modelEngine';
import { sessionOptionsOverride } from '../../src/model/process/sessionOptions';
import type { GenerateRequest } from '../../src/model/protocol';
import { benchModelFolder } from './benchModel';
import type { TestModelKind } from '../makeModel/modelCache';
import { repoRoot } from '../repoRoot';
import { formatRatio, formatSummary, markdownTable, summarize } from './benchStats';
import { fimDocument } from './fimDocument';
import { calibratedCounter, defaultContextTokens, typingPrompts } from './fimPrompts';
import { forEachFlag, oneOf, positiveInt, runMain } from './flagValues';
import { decodeRate } from './variantRound';
import { formatLoad, machineInfo, processCpuSeconds, processMemoryMiB, sampleLoad } from './machineLoad';

interface Variant {
  name: string;
  /** Merged over Inkling's session options. */
  options?: Record<string, unknown>;
  /** Another model folder (same dtype). */
  folder?: string;
  /** Node flags for the model process. */
  execArgv?: string[];
  /** Another build of the model process (an older commit's dist/modelProcess.js). */
  processEntry?: string;
}

interface Sample {
  loadMs: number;
  /** The model process's resident memory after the load, and its peak after the completion (MiB). */
  rssMiB: number;
  peakRssMiB: number;
  ttftMs: number;
  decode: number;
  cores: number;
}

const usage = `Usage: node out/tools/bench/sessionVariants.js [--kind bench-scripted] [--dtype q8|q4] [--threads 2] [--rounds 3]
  [--variant NAME=JSON]...      session options merged over Inkling's (the first variant is "inkling", unchanged)
  [--folder NAME=PATH[|JSON]]...  another model folder (with options merged over Inkling's)
  [--node-flags NAME=FLAGS]...  Node/V8 flags for the model process
  [--process NAME=PATH]...      another build of dist/modelProcess.js (an older commit's, say)`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  let kind: TestModelKind = 'bench-scripted';
  let dtype: 'q8' | 'q4' = 'q8';
  let threads = 2;
  let rounds = 3;
  const variants: Variant[] = [{ name: 'inkling' }];
  forEachFlag(argv, (name, value) => {
    switch (name) {
      case '--kind': kind = oneOf(name, value(), ['bench-scripted', 'bench'] as const); break;
      case '--dtype': dtype = oneOf(name, value(), ['q8', 'q4'] as const); break;
      case '--threads': threads = positiveInt(name, value()); break;
      case '--rounds': rounds = positiveInt(name, value()); break;
      case '--variant': {
        const [label, json] = splitPair(name, value());
        variants.push({ name: label, options: JSON.parse(json) as Record<string, unknown> });
        break;
      }
      case '--node-flags': {
        const [label, flags] = splitPair(name, value());
        variants.push({ name: label, execArgv: flags.split(/\s+/).filter(Boolean) });
        break;
      }
      case '--process': {
        const [label, path] = splitPair(name, value());
        variants.push({ name: label, processEntry: path });
        break;
      }
      case '--folder': {
        const [label, rest] = splitPair(name, value());
        const [path, json] = rest.split('|');
        variants.push({ name: label, folder: path, options: json ? (JSON.parse(json) as Record<string, unknown>) : undefined });
        break;
      }
      default: throw new RangeError(`Unknown option ${name}`);
    }
  });
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const before = sampleLoad();
  const folder = await benchModelFolder(kind, dtype);
  const processEntry = join(repoRoot(), 'dist', 'modelProcess.js');
  const prompt = await fimPrompt(processEntry, folder, dtype, threads);
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    const shift = round % variants.length;
    for (const variant of [...variants.slice(shift), ...variants.slice(0, shift)]) {
      const sample = await measure(variant.processEntry ?? processEntry, variant.folder ?? folder, dtype, threads, variant, prompt);
      samples.get(variant.name)?.push(sample);
      progress(`round ${round + 1}/${rounds} ${variant.name}: load ${Math.round(sample.loadMs)} ms, first token ${sample.ttftMs} ms, ${sample.decode.toFixed(1)} tok/s, ${sample.cores.toFixed(2)} cores`);
    }
  }
  const base = samples.get('inkling') ?? [];
  const ratio = (list: Sample[], pick: (s: Sample) => number) => summarize(list.map((s, i) => pick(s) / pick(base[i])));
  const cell = (r: ReturnType<typeof summarize>) => (r ? `${formatRatio(r.median)} (${formatRatio(r.min)}–${formatRatio(r.max)})` : '—');
  const rows = variants.map((v) => {
    const list = samples.get(v.name) ?? [];
    return [
      v.name, v.processEntry ? `model process ${v.processEntry}` : v.folder ? `folder ${v.folder}${v.options ? ` ${JSON.stringify(v.options)}` : ''}` : v.execArgv ? `node ${v.execArgv.join(' ')}` : JSON.stringify(v.options ?? {}),
      formatSummary(summarize(list.map((s) => s.loadMs))), formatSummary(summarize(list.map((s) => s.rssMiB))), formatSummary(summarize(list.map((s) => s.peakRssMiB))),
      formatSummary(summarize(list.map((s) => s.ttftMs))), formatSummary(summarize(list.map((s) => s.decode))),
      cell(ratio(list, (s) => s.ttftMs)), cell(ratio(list, (s) => s.decode)), formatSummary(summarize(list.map((s) => s.cores))),
    ];
  });
  const machine = machineInfo();
  process.stdout.write([
    `### Session options, ${new Date().toISOString()}`,
    '',
    `Command: \`node out/tools/bench/sessionVariants.js ${argv.join(' ')}\`. Model \`${kind}\` ${dtype}, ${threads} threads, ${rounds} rounds, order rotating. ` +
      `Machine: ${machine.cores} cores (${machine.cpuModel}; ${machine.simd.join(', ')}). Load before: ${formatLoad(before)}; after: ${formatLoad(sampleLoad())}.`,
    '',
    `Per variant: a fresh engine loads the model, then the FIM prompt (${prompt.length} characters) runs cold and its completion is decoded one token per pass.`,
    '',
    markdownTable(['variant', 'options', 'load (ms)', 'RSS after load (MiB)', 'peak RSS (MiB)', 'first token (ms)', 'decode (tokens/s)', 'first token vs inkling', 'decode vs inkling', 'cores obtained'], rows),
  ].join('\n') + '\n');
  return 0;
}

function splitPair(flag: string, text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new RangeError(`${flag} takes NAME=VALUE, not "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

async function fimPrompt(processEntry: string, folder: string, dtype: 'q8' | 'q4', threads: number): Promise<string> {
  const engine = new ModelEngine({ processEntry });
  try {
    await engine.load({ model: folder, dtype, device: 'cpu', threads, localOnly: true });
    const whole = fimDocument.before + fimDocument.after;
    const prompts = typingPrompts(fimDocument, '', defaultContextTokens, calibratedCounter(whole.length / (await engine.countTokens(whole))));
    return prompts[0].prompt;
  } finally {
    engine.dispose();
  }
}

async function measure(processEntry: string, folder: string, dtype: 'q8' | 'q4', threads: number, variant: Variant, prompt: string): Promise<Sample> {
  const log: string[] = [];
  const env = variant.options ? { [sessionOptionsOverride]: JSON.stringify(variant.options) } : {};
  const started = performance.now();
  const engine = new ModelEngine({ processEntry, env, execArgv: variant.execArgv, log: loggerFrom((level, message) => log.push(`${level}: ${message}`)) });
  try {
    await engine.load({ model: folder, dtype, device: 'cpu', threads, localOnly: true });
    const loadMs = performance.now() - started;
    const rssMiB = processMemoryMiB(engine.pid)?.rss ?? NaN;
    const request: GenerateRequest = { prompt, sampling: { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 96 }, stop: [], promptLookup: false };
    const cpu = processCpuSeconds(engine.pid);
    const t = performance.now();
    const result = await engine.generate(request);
    const cores = ((processCpuSeconds(engine.pid) ?? NaN) - (cpu ?? NaN)) / ((performance.now() - t) / 1000);
    return { loadMs, rssMiB, peakRssMiB: processMemoryMiB(engine.pid)?.peak ?? NaN, ttftMs: result.timeToFirstTokenMs, decode: decodeRate(result), cores };
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${log.slice(-10).join('\n')}`, { cause: error });
  } finally {
    engine.dispose();
  }
}

runMain(main);
