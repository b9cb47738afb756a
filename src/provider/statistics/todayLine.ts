// The status bar tooltip's line about today: acceptance and median latency, in words.
import * as vscode from 'vscode';
import type { TodaySummary } from '../../statistics/statisticsSummary';

/** Undefined before the first completion of the day. */
export function todayLine(today: TodaySummary): string | undefined {
  if (today.completions === 0 || today.rate === undefined || today.latencyP50 === undefined) return undefined;
  return vscode.l10n.t('Today: {0} of {1} completions accepted, median {2} ms to the ghost text.',
    `${Math.round(today.rate * 100)}%`, today.completions, Math.round(today.latencyP50));
}
