// Percentiles and histogram bins for the latency and speed figures.

/**
 * The p-th percentile (0–100) by linear interpolation between the two nearest ranks (what numpy and
 * Excel's PERCENTILE.INC do): the median of [1, 2, 3, 4] is 2.5. Undefined for no values.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (rank - below);
}

export function median(values: readonly number[]): number | undefined {
  return percentile(values, 50);
}

export interface Histogram {
  /** Width of each bin; bin i holds values in [i·width, (i+1)·width). */
  binWidth: number;
  counts: number[];
  /** Values at or above `counts.length · binWidth` (rare slow outliers) are counted in the last bin. */
  overflow: number;
}

/** Bin widths a reader takes in at a glance. */
const NICE_WIDTHS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 20_000, 50_000, 100_000];

/**
 * Bins from 0 to about the 99th percentile (the slowest 1% would squash the rest into one bar), at
 * most `maxBins` of them, each a round width.
 */
export function histogram(values: readonly number[], maxBins = 20): Histogram {
  if (values.length === 0) return { binWidth: NICE_WIDTHS[0]!, counts: [], overflow: 0 };
  const top = Math.max(1, values.length >= 20 ? percentile(values, 99)! : Math.max(...values));
  const binWidth = NICE_WIDTHS.find((w) => Math.ceil((top + 1) / w) <= maxBins) ?? NICE_WIDTHS[NICE_WIDTHS.length - 1]!;
  const bins = Math.max(1, Math.min(maxBins, Math.ceil((top + 1) / binWidth)));
  const counts = new Array<number>(bins).fill(0);
  let overflow = 0;
  for (const value of values) {
    const bin = Math.floor(Math.max(0, value) / binWidth);
    if (bin >= bins) overflow++;
    counts[Math.min(bin, bins - 1)]!++;
  }
  return { binWidth, counts, overflow };
}
