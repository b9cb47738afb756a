// What the statistics view and the status bar show, computed from the recorded events: acceptance
// per language and per model, the latency histogram with p50/p95, decoding speed over time, cache
// reuse, explanations, and the models side by side. Plain data: it crosses into the webview as is.
import { histogram, median, percentile, type Histogram } from './quantiles';
import type { CompletionEvent, ExplainEvent, ModelRef, StatisticsEvent } from './statisticsEvents';

export interface OutcomeCounts {
  shown: number;
  accepted: number;
  partial: number;
  dismissed: number;
  /** (accepted + partial) / shown; undefined when nothing was shown. */
  rate: number | undefined;
}

export interface RateRow extends OutcomeCounts {
  /** A language id, or a model's key (see modelKey). */
  key: string;
  label: string;
}

export interface ModelRow extends ModelRef {
  key: string;
  label: string;
  completions: OutcomeCounts;
  latencyP50: number | undefined;
  latencyP95: number | undefined;
  timeToFirstTokenP50: number | undefined;
  tokensPerSecondP50: number | undefined;
  /** Share of its completions answered without a new generation. */
  reuseShare: number | undefined;
  explanations: number;
}

export interface SpeedSeries {
  key: string;
  label: string;
  /** [epoch ms, decoded tokens per second], oldest first. */
  points: [number, number][];
}

export interface StatisticsSummary {
  /** Events kept, and the time of the oldest and newest (epoch ms). */
  events: number;
  since: number | undefined;
  until: number | undefined;
  completions: OutcomeCounts;
  byLanguage: RateRow[];
  byModel: RateRow[];
  /** Last keystroke → ghost text (CompletionEvent.sinceKeystrokeMs), in ms. */
  latency: { count: number; p50: number | undefined; p95: number | undefined; histogram: Histogram };
  speed: SpeedSeries[];
  cache: {
    completions: number;
    /** Answered from the completion cache, by typing into a suggestion, or by joining a running generation. */
    cache: number;
    typedAhead: number;
    inflight: number;
    generated: number;
    /** Over the generations: prompt tokens, and how many of them the kept KV cache served. */
    promptTokens: number;
    reusedPromptTokens: number;
  };
  explanations: {
    count: number;
    finished: number;
    length: number;
    stopped: number;
    failed: number;
    timeToFirstTextP50: number | undefined;
    tokensPerSecondP50: number | undefined;
  };
  /** One row per model (id, dtype, backend) that did any work; a comparison needs two. */
  models: ModelRow[];
  today: TodaySummary;
}

export interface TodaySummary {
  completions: number;
  rate: number | undefined;
  latencyP50: number | undefined;
}

/** `dayStart`: local midnight of today (epoch ms), for the "today" figures. */
export function summarize(events: readonly StatisticsEvent[], dayStart: number): StatisticsSummary {
  const completions = events.filter((e): e is CompletionEvent => e.kind === 'completion');
  const explanations = events.filter((e): e is ExplainEvent => e.kind === 'explain');
  const generated = completions.filter((e) => e.source === 'generated');
  const latencies = completions.map((e) => e.sinceKeystrokeMs);
  return {
    events: events.length,
    since: events.length ? events.reduce((least, e) => Math.min(least, e.at), Infinity) : undefined,
    until: events.length ? events.reduce((most, e) => Math.max(most, e.at), 0) : undefined,
    completions: outcomes(completions),
    byLanguage: rateRows(completions, (e) => e.languageId, (e) => e.languageId),
    byModel: rateRows(completions, modelKey, modelLabel),
    latency: { count: latencies.length, p50: percentile(latencies, 50), p95: percentile(latencies, 95), histogram: histogram(latencies) },
    speed: speedSeries(events),
    cache: {
      completions: completions.length,
      cache: completions.filter((e) => e.source === 'cache').length,
      typedAhead: completions.filter((e) => e.source === 'typedAhead').length,
      inflight: completions.filter((e) => e.source === 'inflight').length,
      generated: generated.length,
      promptTokens: sum(generated.map((e) => e.promptTokens)),
      reusedPromptTokens: sum(generated.map((e) => Math.min(e.reusedPromptTokens, e.promptTokens))),
    },
    explanations: {
      count: explanations.length,
      finished: explanations.filter((e) => e.outcome === 'finished').length,
      length: explanations.filter((e) => e.outcome === 'length').length,
      stopped: explanations.filter((e) => e.outcome === 'stopped').length,
      failed: explanations.filter((e) => e.outcome === 'failed').length,
      timeToFirstTextP50: median(defined(explanations.map((e) => e.timeToFirstTextMs))),
      tokensPerSecondP50: median(defined(explanations.map(tokensPerSecond))),
    },
    models: modelRows(completions, explanations),
    today: todayOf(completions, dayStart),
  };
}

/** Today's completions: the status bar's line. */
export function todayOf(completions: readonly CompletionEvent[], dayStart: number): TodaySummary {
  const today = completions.filter((e) => e.at >= dayStart);
  return { completions: today.length, rate: outcomes(today).rate, latencyP50: median(today.map((e) => e.sinceKeystrokeMs)) };
}

/**
 * Decoding speed: tokens after the first over the time after the first, so a long prompt does not
 * count against it. Only for events that ran the model and decoded at least two tokens.
 */
export function tokensPerSecond(event: StatisticsEvent): number | undefined {
  if (event.kind === 'completion' && event.source !== 'generated') return undefined;
  const { decodedTokens, generationMs, timeToFirstTokenMs } = event;
  if (decodedTokens < 2 || generationMs === undefined || timeToFirstTokenMs === undefined || generationMs <= timeToFirstTokenMs) return undefined;
  return (decodedTokens - 1) / ((generationMs - timeToFirstTokenMs) / 1000);
}

export function modelKey(ref: ModelRef): string {
  return `${ref.model}\u0000${ref.dtype}\u0000${ref.backend}`;
}

/** The model's last path or repo segment, its weights and, for a server, where it runs. */
export function modelLabel(ref: ModelRef): string {
  const name = ref.model.split(/[\\/]/).filter(Boolean).pop() ?? ref.model;
  return [name, ref.dtype, ...(ref.backend === 'local' ? [] : [ref.backend])].join(' · ');
}

function outcomes(events: readonly CompletionEvent[]): OutcomeCounts {
  const accepted = events.filter((e) => e.outcome === 'accepted').length;
  const partial = events.filter((e) => e.outcome === 'partial').length;
  return { shown: events.length, accepted, partial, dismissed: events.length - accepted - partial, rate: events.length ? (accepted + partial) / events.length : undefined };
}

function rateRows(events: readonly CompletionEvent[], keyOf: (e: CompletionEvent) => string, labelOf: (e: CompletionEvent) => string): RateRow[] {
  return [...groupBy(events, keyOf)]
    .map(([key, group]) => ({ key, label: labelOf(group[0]!), ...outcomes(group) }))
    .sort((a, b) => b.shown - a.shown || a.label.localeCompare(b.label));
}

function modelRows(completions: readonly CompletionEvent[], explanations: readonly ExplainEvent[]): ModelRow[] {
  const byModel = groupBy<StatisticsEvent>([...completions, ...explanations], modelKey);
  return [...byModel].map(([key, group]) => {
    const own = group.filter((e): e is CompletionEvent => e.kind === 'completion');
    const latencies = own.map((e) => e.sinceKeystrokeMs);
    const first = group[0]!;
    return {
      key, label: modelLabel(first), model: first.model, dtype: first.dtype, backend: first.backend,
      completions: outcomes(own),
      latencyP50: percentile(latencies, 50),
      latencyP95: percentile(latencies, 95),
      timeToFirstTokenP50: median(defined(own.filter((e) => e.source === 'generated').map((e) => e.timeToFirstTokenMs))),
      tokensPerSecondP50: median(defined(group.map(tokensPerSecond))),
      reuseShare: own.length ? own.filter((e) => e.source !== 'generated').length / own.length : undefined,
      explanations: group.length - own.length,
    };
  }).sort((a, b) => b.completions.shown - a.completions.shown || b.explanations - a.explanations || a.label.localeCompare(b.label));
}

function speedSeries(events: readonly StatisticsEvent[]): SpeedSeries[] {
  const series = new Map<string, SpeedSeries>();
  for (const event of events) {
    const speed = tokensPerSecond(event);
    if (speed === undefined) continue;
    const key = modelKey(event);
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { key, label: modelLabel(event), points: [] }));
    entry.points.push([event.at, Math.round(speed * 10) / 10]);
  }
  for (const entry of series.values()) entry.points.sort((a, b) => a[0] - b[0]);
  return [...series.values()];
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function defined(values: readonly (number | undefined)[]): number[] {
  return values.filter((v): v is number => v !== undefined);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
