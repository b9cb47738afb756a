// Export as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted where needed) for users who
// want their own plots: one row per event, the same columns for both kinds, empty where a field does
// not apply. A name that a spreadsheet would run as a formula (=, +, -, @) is written as text.
import type { CompletionEvent, ExplainEvent, StatisticsEvent } from './statisticsEvents';

type Column = keyof CompletionEvent | keyof ExplainEvent;

export const CSV_COLUMNS: readonly Column[] = [
  'kind', 'at', 'languageId', 'model', 'dtype', 'backend', 'source', 'trigger', 'multiline', 'outcome', 'partialBy', 'acceptedShare',
  'sinceKeystrokeMs', 'providerMs', 'timeToFirstTextMs', 'timeToFirstTokenMs', 'generationMs', 'promptTokens', 'reusedPromptTokens',
  'decodedTokens', 'shownTokens',
];

/** Columns that hold names rather than Inkling's own values: guarded against formula injection. */
const NAME_COLUMNS: ReadonlySet<Column> = new Set(['languageId', 'model']);

export function statisticsCsv(events: readonly StatisticsEvent[]): string {
  const header = ['kind', 'time', ...CSV_COLUMNS.slice(2)].join(',');
  const rows = events.map((event) => CSV_COLUMNS.map((column) => {
    const value = (event as unknown as Record<string, unknown>)[column];
    if (column === 'at') return new Date(event.at).toISOString();
    if (value === undefined) return '';
    const text = String(value);
    return csvField(NAME_COLUMNS.has(column) && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
  }).join(','));
  return [header, ...rows].map((line) => `${line}\r\n`).join('');
}

/** One field, quoted when it holds a comma, a quote or a line break (quotes doubled inside). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
