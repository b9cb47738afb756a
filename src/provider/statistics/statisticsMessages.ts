// The messages between the extension and the statistics webview: the one file both sides import
// (statisticsPanel.ts and the page script media/statistics.ts). Types and a guard only.
import type { StatisticsSummary } from '../../statistics/statisticsSummary';

// The page may import this file only (the house map): the summary's types reach it from here.
export type { ModelRow, OutcomeCounts, RateRow, SpeedSeries, StatisticsSummary } from '../../statistics/statisticsSummary';

/** Localized UI text; `{0}`, `{1}` … are filled in by the page. */
export interface StatisticsStrings {
  title: string;
  /** "{0} events since {1}." */
  eventsSince: string;
  localOnly: string;
  recordingOff: string;
  openSettings: string;
  exportCsv: string;
  reset: string;
  empty: string;

  acceptance: string;
  /** "{0} of {1} completions accepted ({2}), {3} of them partly." */
  acceptanceSummary: string;
  byLanguage: string;
  byModel: string;
  language: string;
  model: string;
  shown: string;
  accepted: string;
  partly: string;
  dismissed: string;
  rate: string;

  latency: string;
  /** "Median {0}, 95th percentile {1}, over {2} completions." */
  latencySummary: string;
  latencyNote: string;
  milliseconds: string;
  completions: string;

  speed: string;
  speedNote: string;
  tokensPerSecond: string;
  noSpeed: string;

  cache: string;
  /** "{0} of {1} completions came without a new generation: {2} from the cache, {3} by typing into a suggestion, {4} by joining a running generation." */
  cacheSummary: string;
  /** "The kept KV cache served {0} of the prompt tokens ({1} of {2})." */
  kvSummary: string;

  explanations: string;
  /** "{0} explanations: {1} finished, {2} at the length limit, {3} stopped, {4} failed." */
  explainSummary: string;
  /** "Median time to the first words {0}, median speed {1}." */
  explainTimes: string;
  noExplanations: string;

  comparison: string;
  medianLatency: string;
  p95Latency: string;
  firstToken: string;
  fromCache: string;
}

export type ToStatisticsWebview = {
  type: 'show';
  summary: StatisticsSummary;
  /** Whether new events are being recorded (inkling.statistics.enabled). */
  recording: boolean;
  strings: StatisticsStrings;
  /** For number and date formats, e.g. `vscode.env.language`. */
  locale: string;
};

export type FromStatisticsWebview =
  | { type: 'ready' }
  | { type: 'reset' }
  | { type: 'exportCsv' }
  | { type: 'openSettings' };

const FROM_WEBVIEW_TYPES: ReadonlySet<string> = new Set<FromStatisticsWebview['type']>(['ready', 'reset', 'exportCsv', 'openSettings']);

/** Messages from a webview are checked before use: the page is a separate, less trusted context. */
export function isFromStatisticsWebview(message: unknown): message is FromStatisticsWebview {
  return typeof message === 'object' && message !== null
    && typeof (message as { type?: unknown }).type === 'string'
    && FROM_WEBVIEW_TYPES.has((message as { type: string }).type);
}
