// Renders a run as markdown: medians with their min–max, and ratios taken per round (both variants
// ran back to back in that round, so a ratio sees nearly the same machine load on both sides).
import type { Dtype } from '../../src/model/protocol';
import { formatLoad } from './machineLoad';
import { formatRatio, formatSummary, markdownTable, summarize, type Summary } from './benchStats';
import { keystrokeMedian, renderFimSection } from './fimReport';
import type { BenchRun } from './runBench';
import type { RoundSample } from './variantRound';

interface Metric {
  label: string;
  /** False where a ratio between variants means nothing (noise measures). */
  ratio?: false;
  pick(sample: RoundSample): number | undefined;
}

const metrics: Metric[] = [
  { label: 'load, fork to ready (ms)', pick: (s) => s.loadWallMs },
  { label: 'load inside the model process (ms)', pick: (s) => s.loadInProcessMs },
  { label: 'RSS after load (MiB)', pick: (s) => s.rssAfterLoadMiB },
  { label: 'peak RSS (MiB)', pick: (s) => s.peakRssMiB },
  { label: 'cold prompt: time to first token (ms)', pick: (s) => s.coldTtftMs },
  // The scripted bench model ends its text at once after a plain prompt: its decode rate is the FIM completion's row.
  { label: 'decode after the cold prompt (tokens/s, greedy; — when the model ended at once)', pick: (s) => (Number.isFinite(s.decodeTokensPerSecond) ? s.decodeTokensPerSecond : undefined) },
  { label: 'cores the model process got while prompting and decoding', ratio: false, pick: (s) => s.coresObtained },
  { label: 'typed a few characters: first token, kept cache (ms)', pick: (s) => s.reuseTtftMs },
  { label: 'same prompt, cold cache (ms)', pick: (s) => s.coldExtendedTtftMs },
  { label: 'FIM keystroke mid-file: first token, kept cache (ms)', pick: (s) => keystrokeMedian(s, (k) => k.keptTtftMs) },
  { label: 'FIM keystroke: same prompt, cold cache (ms)', pick: (s) => keystrokeMedian(s, (k) => k.coldTtftMs) },
  { label: 'FIM keystroke sent while the previous one was generating: first token, seen by the host (ms)', pick: (s) => s.supersede?.firstTokenWallMs },
  { label: 'FIM completion: tokens written', ratio: false, pick: (s) => s.completion?.plain.generatedTokens },
  { label: 'FIM completion: decode, one token per pass (tokens/s)', pick: (s) => s.completion?.plain.decodeTokensPerSecond },
  { label: 'FIM completion: whole request, prompt cached (ms)', pick: (s) => s.completion?.plain.totalMs },
  { label: 'FIM completion with prompt lookup: whole request (ms)', pick: (s) => s.completion?.lookup.totalMs },
  { label: 'prompt lookup speed-up on the FIM completion (×)', ratio: false, pick: (s) => s.completion && s.completion.plain.totalMs / s.completion.lookup.totalMs },
  { label: 'repeated text: whole request, one token per pass (ms)', pick: (s) => s.repeat?.plain.totalMs },
  { label: 'repeated text with prompt lookup: whole request (ms)', pick: (s) => s.repeat?.lookup.totalMs },
  { label: 'prompt lookup speed-up on repeated text (×)', ratio: false, pick: (s) => s.repeat && s.repeat.plain.totalMs / s.repeat.lookup.totalMs },
  { label: 'host event-loop delay during the cold prompt, max (ms)', ratio: false, pick: (s) => s.loopDelayMaxMs },
  { label: 'host event-loop delay, p99 (ms)', ratio: false, pick: (s) => s.loopDelayP99Ms },
  { label: 'host event loop, worst lateness over every request of the round (ms)', ratio: false, pick: (s) => s.loopLateMaxMs },
];

export function variantsOf(run: BenchRun): Dtype[] {
  return run.options.variants;
}

/** One metric's values for a variant across rounds. */
export function valuesOf(run: BenchRun, variant: Dtype, pick: (sample: RoundSample) => number | undefined): number[] {
  return run.samples.flatMap((round) => round.filter((s) => s.variant === variant).map(pick)).filter((v): v is number => v !== undefined);
}

/** Median of the per-round ratios `pick(a) / pick(b)`, over rounds where both ran. */
export function pairedRatio(run: BenchRun, a: Dtype, b: Dtype, pick: (sample: RoundSample) => number | undefined): Summary | undefined {
  const ratios: number[] = [];
  for (const round of run.samples) {
    const x = round.find((s) => s.variant === a);
    const y = round.find((s) => s.variant === b);
    const [top, bottom] = [x && pick(x), y && pick(y)];
    if (top !== undefined && bottom !== undefined && bottom !== 0) ratios.push(top / bottom);
  }
  return summarize(ratios);
}

function ratioCell(summary: Summary | undefined): string {
  return summary ? `${formatRatio(summary.median)} (${formatRatio(summary.min)}–${formatRatio(summary.max)})` : '—';
}

/** What prompt lookup drafted and the model kept, per variant and workload. */
function lookupLines(run: BenchRun): string[] {
  const lines: string[] = [];
  for (const v of variantsOf(run)) {
    const samples = run.samples.flat().filter((s) => s.variant === v);
    for (const [label, pick] of [['FIM completion', (s: RoundSample) => s.completion], ['repeated text', (s: RoundSample) => s.repeat]] as const) {
      const pairs = samples.map(pick).filter((p) => p !== undefined);
      if (pairs.length === 0) continue;
      const sum = (f: (p: (typeof pairs)[number]) => number) => pairs.reduce((a, p) => a + f(p), 0);
      lines.push(`- ${v}, ${label}: ${sum((p) => p.lookup.generatedTokens)} tokens in ${sum((p) => p.lookup.forwardSteps)} passes with prompt lookup ` +
        `(drafted ${sum((p) => p.lookup.draftedTokens)}, kept ${sum((p) => p.lookup.acceptedDraftTokens)}), ` +
        `${sum((p) => p.plain.generatedTokens)} tokens in ${sum((p) => p.plain.forwardSteps)} passes without.`);
    }
  }
  return lines.length > 0 ? ['', 'Prompt lookup, summed over rounds (a pass per prompt chunk included):', '', ...lines] : [];
}

export function renderReport(run: BenchRun, command: string): string {
  const { options, machine } = run;
  const variants = variantsOf(run);
  const [base, ...others] = variants;
  const header = ['metric', ...variants, ...others.map((v) => `${v}/${base}`)];
  const rows = metrics.map((m) => [
    m.label,
    ...variants.map((v) => formatSummary(summarize(valuesOf(run, v, m.pick)))),
    ...others.map((v) => (m.ratio === false ? '' : ratioCell(pairedRatio(run, v, base, m.pick)))),
  ]);
  const reuseRows = variants.map((v) => {
    const own = (pick: (s: RoundSample) => number): Summary | undefined => summarize(valuesOf(run, v, pick));
    const reuse = summarize(run.samples.flat().filter((s) => s.variant === v).map((s) => s.reuseTtftMs / s.coldExtendedTtftMs));
    return [
      v,
      `${formatSummary(own((s) => s.reusedPromptTokens))} of ${formatSummary(own((s) => s.extendedPromptTokens))}`,
      formatSummary(own((s) => s.reuseTtftMs)),
      formatSummary(own((s) => s.coldExtendedTtftMs)),
      formatSummary(own((s) => s.coldExtendedReusedTokens)),
      ratioCell(reuse),
    ];
  });
  const loads = run.load;
  const during = loads.slice(1, -1);
  const busiest = during.reduce((a, b) => (b.loadAverage[0] > a.loadAverage[0] ? b : a), loads[loads.length - 1]);
  const fim = renderFimSection(run);
  const generated = summarize(run.samples.flat().map((s) => s.generatedTokens));
  return [
    `### Engine benchmark, ${run.startedAt.toISOString()}`,
    '',
    `Command: \`${command}\``,
    '',
    `Machine: ${machine.cores} cores (${machine.cpuModel}; ${machine.simd.join(', ') || 'no SIMD flags read'}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}. ` +
      `onnxruntime threads: ${options.threads}. Model: \`${options.kind}\` test model. ${options.rounds} rounds, variant order rotated each round; ` +
      `${Math.round(run.durationMs / 1000)} s in all.`,
    '',
    `Load before: ${formatLoad(loads[0])}; busiest after a round: ${formatLoad(busiest)}; after: ${formatLoad(loads[loads.length - 1])}.`,
    '',
    `Cold prompt: ${run.promptTokens} tokens, then ${options.newTokens} greedy tokens (generated: ${formatSummary(generated)}). ` +
      `Typed: ${JSON.stringify(options.typed)} appended to it.`,
    '',
    `Medians (min–max) over rounds; ratios are medians (min–max) of per-round ratios.`,
    '',
    markdownTable(header, rows),
    '',
    'KV-cache reuse: the prompt plus the typed characters, right after the cold prompt (kept cache) and again after another prompt emptied the cache.',
    '',
    markdownTable(['variant', 'reused prompt tokens', 'kept cache: first token (ms)', 'cold cache: first token (ms)', 'cold: reused', 'reuse/cold'], reuseRows),
    ...lookupLines(run),
    ...(fim ? ['', fim] : []),
  ].join('\n');
}
