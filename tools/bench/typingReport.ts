// Renders a typing run as markdown: per pause mode, each metric for Inkling and the naive path as the
// median over rounds (min–max), and Inkling/naive as the median of per-round ratios.
import { formatNumber, formatRatio, markdownTable, summarize, type Summary } from './benchStats';
import { formatLoad } from './machineLoad';
import type { PathName } from './typingEngines';
import { percentile, thrownAway, type PauseStat, type ReplayMetrics } from './typingMetrics';
import type { PauseMode } from './typingReplay';
import type { PathRun, TypingRun } from './runTyping';

interface Row {
  label: string;
  /** A number per run; undefined when it does not apply. */
  pick(run: PathRun): number | undefined;
  /** No ratio column (counts whose ratio says nothing). */
  ratio?: false;
}

const p = (values: readonly number[], at: number) => percentile(values, at);
const shown = (m: ReplayMetrics) => m.pauses.filter((x) => x.shownInPause).length;

const rows: Row[] = [
  { label: 'pause → ghost text, p50 (ms)', pick: (r) => p(r.metrics.pauses.map((x) => x.latencyMs), 50) },
  { label: 'pause → ghost text, p95 (ms)', pick: (r) => p(r.metrics.pauses.map((x) => x.latencyMs), 95) },
  { label: 'pauses with ghost text before the typist went on', ratio: false, pick: (r) => shown(r.metrics) },
  { label: '… of pauses ≥ 400 ms (%)', ratio: false, pick: (r) => (r.metrics.longPauses ? (100 * r.metrics.longPausesShown) / r.metrics.longPauses : undefined) },
  { label: 'ghost text shown between keystrokes of a burst', ratio: false, pick: (r) => r.metrics.shownWhileTyping },
  { label: 'generations started', pick: (r) => r.metrics.generations.started },
  { label: '… finished by the model', ratio: false, pick: (r) => r.metrics.generations.finished },
  { label: '… stopped early by the fit stages', ratio: false, pick: (r) => r.metrics.generations.stoppedEarly },
  { label: '… cancelled: superseded by a keystroke', ratio: false, pick: (r) => r.metrics.generations.superseded },
  { label: '… cancelled: nobody waited any more', ratio: false, pick: (r) => r.metrics.generations.orphaned },
  { label: 'decoded tokens', pick: (r) => r.metrics.tokens.decoded },
  { label: 'decoded tokens thrown away', pick: (r) => thrownAway(r.metrics.tokens) },
  // Issue 8's measure of early stopping: what the model decoded for each completion the user saw.
  { label: 'decoded tokens per shown completion', pick: (r) => (r.metrics.shownCompletions > 0 ? r.metrics.tokens.decoded / r.metrics.shownCompletions : undefined) },
  { label: '… in cancelled generations', ratio: false, pick: (r) => r.metrics.tokens.inCancelled },
  { label: '… after the fit stages had decided', ratio: false, pick: (r) => r.metrics.tokens.afterDecision },
  { label: 'prompt tokens per generation, p50', ratio: false, pick: (r) => p(r.metrics.promptTokens, 50) },
  { label: 'of which from the kept KV cache, p50', ratio: false, pick: (r) => p(r.metrics.reusedPromptTokens, 50) },
  // What the model computed of the prompts: a rebuilt prompt recomputes at least its suffix.
  { label: 'prompt tokens computed, total', pick: (r) => r.metrics.promptTokens.reduce((sum, n, i) => sum + n - (r.metrics.reusedPromptTokens[i] ?? 0), 0) },
  { label: 'generations computing 32 or more prompt tokens', ratio: false, pick: (r) => r.metrics.promptTokens.filter((n, i) => n - (r.metrics.reusedPromptTokens[i] ?? 0) >= 32).length },
  // A moved prompt window: the whole prompt computed again (a cold first token) in whichever pause it lands.
  { label: 'generations computing most of their prompt again', ratio: false, pick: (r) => r.metrics.promptTokens.filter((n, i) => r.metrics.reusedPromptTokens[i] < n / 2).length },
  { label: 'prompt windows moved ahead while the model was idle', ratio: false, pick: (r) => r.windowsMovedAhead },
  { label: 'time to first token in the model, p50 (ms)', pick: (r) => p(r.metrics.ttftMs, 50) },
  { label: 'time to first token in the model, p95 (ms)', pick: (r) => p(r.metrics.ttftMs, 95) },
  { label: 'waiting behind another generation, p50 (ms)', ratio: false, pick: (r) => p(r.metrics.queueWaitMs, 50) },
  { label: 'waiting behind another generation, max (ms)', ratio: false, pick: (r) => p(r.metrics.queueWaitMs, 100) },
  { label: 'cancelled generation: cancel → engine free, p50 (ms)', ratio: false, pick: (r) => p(r.metrics.stopAfterCancelMs, 50) },
  { label: 'cancelled generation: cancel → engine free, max (ms)', ratio: false, pick: (r) => p(r.metrics.stopAfterCancelMs, 100) },
  { label: 'early stop: completion handed out → engine free, p50 (ms)', ratio: false, pick: (r) => p(r.metrics.decisionToEndMs, 50) },
  { label: 'debounce after a pause\'s keystroke, p50 (ms)', ratio: false, pick: (r) => p(r.metrics.debounceMs, 50) },
  { label: 'model process CPU (s)', pick: (r) => r.modelCpuSeconds },
  { label: 'replay wall time (s)', ratio: false, pick: (r) => r.metrics.durationMs / 1000 },
];

function cell(summary: Summary | undefined): string {
  if (!summary) return '—';
  const f = (n: number) => (Number.isFinite(n) ? formatNumber(n) : 'none');
  return summary.min === summary.max ? f(summary.median) : `${f(summary.median)} (${f(summary.min)}–${f(summary.max)})`;
}

/** Median (min–max) over rounds; Infinity (no ghost text) sorts last, as it should. */
function over(runs: readonly PathRun[], pick: Row['pick']): Summary | undefined {
  const values = runs.map(pick).filter((v): v is number => v !== undefined && !Number.isNaN(v));
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], count: sorted.length };
}

/** Median of per-round Inkling/naive ratios, over rounds where both are finite. */
export function pairedRatio(run: TypingRun, mode: PauseMode, pick: Row['pick']): Summary | undefined {
  const ratios: number[] = [];
  for (let round = 0; round < run.options.rounds; round++) {
    const of = (path: PathName) => run.runs.find((r) => r.round === round && r.mode === mode && r.path === path);
    const [a, b] = [of('inkling'), of(run.options.against)];
    const [x, y] = [a && pick(a), b && pick(b)];
    if (x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) && y !== 0) ratios.push(x / y);
  }
  return summarize(ratios);
}

const modeTitles: Record<PauseMode, string> = {
  asTyped: 'As typed: each pause lasts as recorded; a suggestion that comes later is never seen',
  waiting: 'Waiting: at each pause the typist waits for the suggestion (up to the cap) before going on',
};

export function renderModeTable(run: TypingRun, mode: PauseMode): string {
  const of = (path: PathName) => run.runs.filter((r) => r.mode === mode && r.path === path);
  const body = rows.map((row) => {
    const ratio = row.ratio === false ? undefined : pairedRatio(run, mode, row.pick);
    return [row.label, cell(over(of('inkling'), row.pick)), cell(over(of(run.options.against), row.pick)),
      ratio ? `${formatRatio(ratio.median)}${ratio.min === ratio.max ? '' : ` (${formatRatio(ratio.min)}–${formatRatio(ratio.max)})`}` : ''];
  });
  return [`### ${modeTitles[mode]}`, '', markdownTable(['metric', 'Inkling', run.options.against, `Inkling/${run.options.against}`], body)].join('\n');
}

/** Each pause of the last round, both paths side by side. */
export function renderPauseTable(run: TypingRun, mode: PauseMode): string {
  const last = run.options.rounds - 1;
  const of = (path: PathName) => run.runs.find((r) => r.round === last && r.mode === mode && r.path === path)?.metrics.pauses ?? [];
  const [a, b] = [of('inkling'), of(run.options.against)];
  const cell = (p: PauseStat | undefined) => (p && Number.isFinite(p.latencyMs) ? `${Math.round(p.latencyMs)} ${p.source ?? ''}${p.shownInPause ? ' ✓' : ''}` : 'none');
  const rows = a.map((p, i) => [String(i + 1), `\`${p.linePrefix.trim().slice(-28).replace(/`/g, "'")}\``, String(p.pauseMs), cell(p), cell(b[i])]);
  return markdownTable(['pause', 'after typing', 'pause (ms)', 'Inkling: ms, answered by', `${run.options.against}: ms, answered by`], rows);
}

export function renderTypingReport(run: TypingRun, command: string): string {
  const { options, machine, trace } = run;
  const loads = run.load.map(formatLoad);
  return [
    `Command: \`${command}\``,
    '',
    `Machine: ${machine.cores} cores (${machine.cpuModel}; ${machine.simd.join(', ') || 'no SIMD flags read'}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}. ` +
      `Model: \`${options.kind}\` ${options.dtype}, onnxruntime threads ${options.threads || 'default'}. ${options.rounds} rounds, paths alternating first; ${Math.round(run.durationMs / 1000)} s in all.`,
    '',
    `Load before: ${loads[0]}; after each round: ${loads.slice(1).join(' / ')}.`,
    '',
    `Trace (seed ${options.seed}): ${trace.keystrokes} keystrokes, ${trace.pauses} pauses (${trace.longPauses} of ≥ 400 ms), ${trace.typos} typos fixed with Backspace, ` +
      `${Math.round(trace.durationMs / 1000)} s as recorded. Prompts counted at ${run.charsPerToken.toFixed(2)} characters per token (this tokenizer's ratio on the file). ` +
      `Waiting mode waits at most ${options.waitCapMs} ms.`,
    '',
    `Medians over rounds (min–max); Inkling/${options.against} is the median of per-round ratios. "none": no ghost text at that percentile.`,
    '',
    ...options.modes.flatMap((mode) => [renderModeTable(run, mode), '']),
    ...options.modes.flatMap((mode) => [`#### Each pause, ${mode}, round ${options.rounds} (✓: shown before the typist went on)`, '', renderPauseTable(run, mode), '']),
  ].join('\n');
}
