// What the statistics page asks a chart to draw, and the one function a charting library fills in
// (media/chartPainter.ts). The page never touches the library; the library never sees the page.

/** Colours and font from the VS Code theme (see chartTheme.ts), so charts follow light, dark and high contrast. */
export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  /** One colour per series, in order. */
  series: readonly string[];
  /** Colours for marked values (p50, p95). */
  markers: readonly string[];
  font: string;
}

export type ChartSpec =
  /** One bar per category, e.g. the acceptance rate per language (values 0–1 when `percent`). */
  | { kind: 'bars'; label: string; categories: string[]; values: number[]; percent: boolean }
  /** Counts per bin of width `binWidth` from 0, with marked values on the same axis (e.g. p50, p95). */
  | { kind: 'histogram'; label: string; binWidth: number; counts: number[]; xUnit: string; yUnit: string; markers: { at: number; label: string }[] }
  /** Points over time: [epoch ms, value] per series. */
  | { kind: 'timeline'; label: string; yUnit: string; series: { label: string; points: [number, number][] }[] };

export interface ChartPainter {
  /** Draws `spec` into `host` (emptied first), `width` CSS pixels wide. */
  paint(host: HTMLElement, spec: ChartSpec, theme: ChartTheme, width: number): void;
}
