// Summaries for a shared machine: medians resist the odd slow round that a neighbour's burst causes,
// and min/max show how noisy the run was.

export interface Summary {
  median: number;
  min: number;
  max: number;
  count: number;
}

/** Median, min and max of the finite values; undefined when there are none. */
export function summarize(values: readonly number[]): Summary | undefined {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], count: sorted.length };
}

/** `a / b` of two medians; undefined when either is missing or b is zero. */
export function ratioOf(a: Summary | undefined, b: Summary | undefined): number | undefined {
  if (!a || !b || b.median === 0) return undefined;
  return a.median / b.median;
}

/** Three significant digits at most, integers as integers: 1234 → "1234", 0.5123 → "0.512". */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

/** "1950 (1880–2210)", or "—" when nothing was measured. */
export function formatSummary(summary: Summary | undefined, unit = ''): string {
  if (!summary) return '—';
  const spread = summary.min === summary.max ? '' : ` (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
  return `${formatNumber(summary.median)}${unit}${spread}`;
}

export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? '—' : `${ratio.toFixed(2)}×`;
}

/** A markdown table; cells are escaped so a `|` in them cannot break the row. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
