// Renders an anchor run as markdown: each engine's medians with min–max, and Inkling/llama.cpp
// ratios taken per round (both engines ran back to back, so each ratio sees nearly the same load).
import { formatNumber, formatRatio, formatSummary, markdownTable, summarize } from '../bench/benchStats';
import type { Summary } from '../bench/benchStats';
import { formatLoad } from '../bench/machineLoad';
import type { AnchorEngine, EngineSample } from './engineSample';
import type { AnchorRun } from './runAnchor';

interface Metric {
  label: string;
  /** Whether a ratio below 1 is good for Inkling (times, memory) or bad (rates). */
  better: 'lower' | 'higher' | 'none';
  pick(sample: EngineSample): number;
}

const metrics: Metric[] = [
  { label: 'load: process start to ready (ms)', better: 'lower', pick: (s) => s.loadMs },
  { label: 'RSS after load (MiB)', better: 'lower', pick: (s) => s.rssAfterLoadMiB },
  { label: 'peak RSS (MiB)', better: 'lower', pick: (s) => s.peakRssMiB },
  { label: 'prompt: time to first token (ms)', better: 'lower', pick: (s) => s.ttftMs },
  { label: 'prompt rate (tokens/s)', better: 'higher', pick: (s) => (s.promptTokens * 1000) / s.ttftMs },
  { label: 'decode (tokens/s, greedy)', better: 'higher', pick: (s) => s.decodeTokensPerSecond },
  { label: 'cores obtained while prompting and decoding', better: 'none', pick: (s) => s.coresObtained },
];

export function valuesOf(run: AnchorRun, engine: AnchorEngine, pick: (s: EngineSample) => number): number[] {
  return run.rounds.flatMap((round) => round.filter((s) => s.engine === engine).map(pick));
}

/** Median (min–max) of the per-round ratios Inkling / llama.cpp. */
export function pairedRatio(run: AnchorRun, pick: (s: EngineSample) => number): Summary | undefined {
  const ratios: number[] = [];
  for (const round of run.rounds) {
    const a = round.find((s) => s.engine === 'inkling');
    const b = round.find((s) => s.engine === 'llama.cpp');
    if (a && b && pick(b) !== 0) ratios.push(pick(a) / pick(b));
  }
  return summarize(ratios);
}

function ratioCell(metric: Metric, run: AnchorRun): string {
  if (metric.better === 'none') return '';
  const r = pairedRatio(run, metric.pick);
  if (!r) return '—';
  return r.min === r.max ? formatRatio(r.median) : `${formatRatio(r.median)} (${formatRatio(r.min)}–${formatRatio(r.max)})`;
}

const median = (values: number[]): string => formatSummary(summarize(values));

export function renderAnchorReport(run: AnchorRun, command: string): string {
  const { options, machine, llama } = run;
  const rows = metrics.map((m) => [
    m.label,
    formatSummary(summarize(valuesOf(run, 'inkling', m.pick))),
    formatSummary(summarize(valuesOf(run, 'llama.cpp', m.pick))),
    ratioCell(m, run),
  ]);
  const first = llama[0];
  const busiest = run.load.reduce((a, b) => (b.loadAverage[0] > a.loadAverage[0] ? b : a));
  const generated = summarize(run.rounds.flat().map((s) => s.generatedTokens));
  return [
    `### Inkling vs llama.cpp, ${run.startedAt.toISOString()}`,
    '',
    `Command: \`${command}\``,
    '',
    `Machine: ${machine.cores} cores (${machine.cpuModel}; ${machine.simd.join(', ') || 'no SIMD flags read'}), ${machine.memoryGiB} GiB, ` +
      `Node ${machine.node}, ${machine.platform}. Threads: ${options.threads} for both engines. ${options.rounds} round${options.rounds === 1 ? '' : 's'}, order alternating; ` +
      `${Math.round(run.durationMs / 1000)} s in all.`,
    '',
    `Inkling: \`bench\` test model, ${options.dtype}, through ModelEngine (forked model process, onnxruntime-node). ` +
      `llama.cpp: ${first ? `node-llama-cpp ${first.ready.release}, CPU backend \`${first.ready.backend ?? 'unknown'}\`` : 'no round ran'}, ` +
      `GGUF ${options.ggufType} (${formatNumber(run.ggufBytes / 2 ** 20)} MiB), in a forked child process of its own.`,
    first ? `llama.cpp system info: \`${first.ready.systemInfo}\`` : '',
    '',
    `Load before: ${formatLoad(run.load[0])}; busiest after a round: ${formatLoad(busiest)}; after: ${formatLoad(run.load[run.load.length - 1])}.`,
    '',
    `Prompt: ${run.promptTokens} tokens by Inkling's tokenizer; llama.cpp tokenized the same text into ` +
      `${median(llama.map((l) => l.done.tokenizedTokens))} tokens and ran ${median(llama.map((l) => l.done.promptTokens))}. ` +
      `Then ${options.newTokens} greedy tokens (generated: ${formatSummary(generated)}).`,
    '',
    'Medians (min–max) over rounds. Ratios are Inkling / llama.cpp per round, median (min–max): for times and memory below 1× favours Inkling, for rates above 1× does.',
    '',
    markdownTable(['metric', `Inkling ${options.dtype}`, `llama.cpp ${options.ggufType}`, 'Inkling/llama.cpp'], rows),
    '',
    `llama.cpp's load, inside its process: library ${median(llama.map((l) => l.ready.libraryMs))} ms, ` +
      `model ${median(llama.map((l) => l.ready.modelMs))} ms, context ${median(llama.map((l) => l.ready.contextMs))} ms.`,
  ].join('\n');
}
