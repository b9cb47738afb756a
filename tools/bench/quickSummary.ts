// The quick run's figures (issue 10's summary line) from one invocation: the engine's rounds, the
// bandwidth probes between them, llama.cpp beside Inkling, the extension's activation, and the
// typing benchmark's pause ratio (runTyping.ts). Every ratio is a median of
// per-round ratios where both sides ran in the same round.
import type { AnchorRun } from '../anchor/runAnchor';
import { pairedRatio as anchorRatio } from '../anchor/anchorReport';
import type { ActivationResult } from './activationProbe';
import { pairedRatio } from './benchReport';
import { formatNumber, markdownTable, summarize } from './benchStats';
import type { BenchRun } from './runBench';
import type { RoundSample } from './variantRound';
import type { WeightBytes } from './weightBytes';

export interface QuickInputs {
  run: BenchRun;
  anchor: AnchorRun;
  /** Read bandwidth (bytes/s) measured after each round, in round order. */
  bandwidth: number[];
  /** Weights read per token by the bench model, per variant. */
  weights: Partial<Record<'q8' | 'q4', WeightBytes>>;
  activation: ActivationResult;
  pauseRatio: number | undefined;
}

export interface QuickFigures {
  pauseP50VsNaive?: number;
  fimWarmCold?: number;
  decodeVsCeiling?: number;
  q4VsQ8?: number;
  specSpeedup?: number;
  ttftVsLlama?: number;
  decodeVsLlama?: number;
  loopMaxMs?: number;
  activationMs?: number;
}

const decodeOf = (s: RoundSample): number | undefined => s.completion?.plain.decodeTokensPerSecond;

/** Tokens per second the weights allow: bandwidth ÷ bytes read per token. */
export function ceilingOf(bandwidth: number, weights: WeightBytes | undefined): number | undefined {
  return weights && weights.perToken > 0 ? bandwidth / weights.perToken : undefined;
}

export function quickFigures(inputs: QuickInputs): QuickFigures {
  const { run, anchor } = inputs;
  const q8 = run.samples.map((round) => round.find((s) => s.variant === 'q8'));
  const perRoundCeiling = q8.map((s, i) => {
    const ceiling = ceilingOf(inputs.bandwidth[i] ?? NaN, inputs.weights.q8);
    const decode = s && decodeOf(s);
    return ceiling && decode ? decode / ceiling : NaN;
  });
  const keystrokes = q8.flatMap((s) => s?.keystrokes ?? []);
  return {
    pauseP50VsNaive: inputs.pauseRatio,
    fimWarmCold: summarize(keystrokes.map((k) => k.keptTtftMs / k.coldTtftMs))?.median,
    decodeVsCeiling: summarize(perRoundCeiling)?.median,
    q4VsQ8: pairedRatio(run, 'q4', 'q8', decodeOf)?.median,
    specSpeedup: summarize(q8.map((s) => (s?.completion ? s.completion.plain.totalMs / s.completion.lookup.totalMs : NaN)))?.median,
    ttftVsLlama: anchorRatio(anchor, (s) => s.ttftMs)?.median,
    decodeVsLlama: anchorRatio(anchor, (s) => s.decodeTokensPerSecond)?.median,
    loopMaxMs: Math.max(...run.samples.flat().map((s) => s.loopLateMaxMs)),
    activationMs: inputs.activation.totalMs?.median,
  };
}

const ratio = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(2));
const millis = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? 'n/a' : String(Math.round(value)));

/** The one line `npm run bench -- --quick` ends with. */
export function quickLine(f: QuickFigures): string {
  return [
    `pause_p50_vs_naive=${ratio(f.pauseP50VsNaive)}`,
    `fim_warm/cold=${ratio(f.fimWarmCold)}`,
    `decode_vs_ceiling=${ratio(f.decodeVsCeiling)}`,
    `q4_vs_q8=${ratio(f.q4VsQ8)}`,
    `spec_speedup=${ratio(f.specSpeedup)}`,
    `ttft_vs_llama=${ratio(f.ttftVsLlama)}`,
    `decode_vs_llama=${ratio(f.decodeVsLlama)}`,
    `loop_max_ms=${millis(f.loopMaxMs)}`,
    `activation_ms=${millis(f.activationMs)}`,
  ].join(' ');
}

/** Where each figure comes from, with the numbers behind it, and the targets. */
export function renderQuickSection(inputs: QuickInputs, f: QuickFigures): string {
  const { run } = inputs;
  const bandwidth = summarize(inputs.bandwidth);
  const of = (variant: 'q8' | 'q4', pick: (s: RoundSample) => number | undefined) =>
    summarize(run.samples.flat().filter((s) => s.variant === variant).map(pick).filter((v): v is number => v !== undefined))?.median;
  const q8Decode = of('q8', decodeOf);
  const q4Decode = of('q4', decodeOf);
  const ceiling8 = bandwidth && ceilingOf(bandwidth.median, inputs.weights.q8);
  const ceiling4 = bandwidth && ceilingOf(bandwidth.median, inputs.weights.q4);
  const lookupEffective = of('q8', (s) => s.completion?.lookup.effectiveTokensPerSecond);
  const repeatSpeedup = of('q8', (s) => (s.repeat ? s.repeat.plain.totalMs / s.repeat.lookup.totalMs : undefined));
  const llamaDecode = summarize(inputs.anchor.rounds.flat().filter((s) => s.engine === 'llama.cpp').map((s) => s.decodeTokensPerSecond))?.median;
  const mb = (w: WeightBytes | undefined) => (w ? `${(w.perToken / 1e6).toFixed(0)} MB` : '?');
  const n = (v: number | undefined) => (v === undefined ? '—' : formatNumber(v));
  const met = (value: number | undefined, ok: (v: number) => boolean) => (value === undefined || !Number.isFinite(value) ? 'not measured' : ok(value) ? 'met' : 'missed');
  const rows = [
    ['pause → ghost text p50 ≤ 0.5 × naive', ratio(f.pauseP50VsNaive), met(f.pauseP50VsNaive, (v) => v <= 0.5), 'typing benchmark, first 160 keystrokes (runTyping.ts)'],
    ['FIM keystroke, kept cache ≤ 0.2 × cold', ratio(f.fimWarmCold), met(f.fimWarmCold, (v) => v <= 0.2), 'q8, per keystroke, median'],
    ['decode ≥ 0.6 × the bandwidth ceiling (q8)', ratio(f.decodeVsCeiling),
      met(f.decodeVsCeiling, (v) => v >= 0.6), `${n(q8Decode)} tokens/s vs ${n(ceiling8)} (${n(bandwidth && bandwidth.median / 1e9)} GB/s ÷ ${mb(inputs.weights.q8)} a token)`],
    ['q4 decode ≥ 1.3 × q8', ratio(f.q4VsQ8), met(f.q4VsQ8, (v) => v >= 1.3), `${n(q4Decode)} vs ${n(q8Decode)} tokens/s; q4's ceiling ${n(ceiling4)} (${mb(inputs.weights.q4)} a token)`],
    ['prompt lookup on the trace: effective tokens/s ≥ 2 × llama.cpp\'s decode', n(lookupEffective && llamaDecode ? lookupEffective / llamaDecode : undefined),
      met(lookupEffective && llamaDecode ? lookupEffective / llamaDecode : undefined, (v) => v >= 2),
      `FIM completion ${n(lookupEffective)} tokens/s with lookup (speed-up ${ratio(f.specSpeedup)}×; repeated text ${ratio(repeatSpeedup)}×) vs llama.cpp ${n(llamaDecode)}`],
    ['cold first token ≤ 0.3 × llama.cpp (q8 vs Q8_0)', ratio(f.ttftVsLlama), met(f.ttftVsLlama, (v) => v <= 0.3), 'anchor, bench model, 512-token prompt'],
    ['decode ≥ 1.5 × llama.cpp (q8 vs Q8_0)', ratio(f.decodeVsLlama), met(f.decodeVsLlama, (v) => v >= 1.5), 'anchor, bench model'],
    ['host event loop never delayed > 50 ms', millis(f.loopMaxMs), met(f.loopMaxMs, (v) => v <= 50), 'worst lateness of a 10 ms timer over every request'],
    ['activation ≤ 50 ms', millis(f.activationMs), met(f.activationMs, (v) => v <= 50),
      `load ${millis(inputs.activation.requireMs?.median)} + activate() ${millis(inputs.activation.activateMs?.median)} ms, fresh process, vscode stubbed`],
  ];
  return [
    '### Quick summary',
    '',
    markdownTable(['target', 'this run', '', 'from'], rows),
    '',
    inputs.activation.faked.length > 0 ? `The vscode stub faked: ${inputs.activation.faked.join(', ')}.` : 'The vscode stub faked nothing the extension touched.',
  ].join('\n');
}
