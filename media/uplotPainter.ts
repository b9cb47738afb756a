// Charts drawn with uPlot (canvas): it sets styles through the CSSOM and text through textContent, so
// it runs under the page's CSP (no inline styles, no eval). Everything on the canvas is pixels, so a
// hostile name there is inert by nature; names shown as text (the legend) are set as text by uPlot.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartPainter, ChartSpec, ChartTheme } from './chartTypes';

const HEIGHT = 220;
/** Category labels longer than this are cut on the axis; the table beside the chart has them whole. */
const MAX_LABEL = 18;

const plots = new WeakMap<HTMLElement, uPlot>();

export const uplotPainter: ChartPainter = {
  paint(host, spec, theme, width) {
    plots.get(host)?.destroy();
    host.replaceChildren();
    host.setAttribute('role', 'img');
    host.setAttribute('aria-label', spec.label);
    const { options, data } = chartFor(spec, theme);
    plots.set(host, new uPlot({ width, height: HEIGHT, ...options }, data, host));
  },
};

type Built = { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData };

function chartFor(spec: ChartSpec, theme: ChartTheme): Built {
  switch (spec.kind) {
    case 'bars': return barsChart(spec, theme);
    case 'histogram': return histogramChart(spec, theme);
    case 'timeline': return timelineChart(spec, theme);
  }
}

function axis(theme: ChartTheme, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: theme.text, font: theme.font, labelFont: theme.font,
    grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 }, ...extra,
  };
}

const still: uPlot.Cursor = { show: false, drag: { x: false, y: false } };

function barsChart(spec: Extract<ChartSpec, { kind: 'bars' }>, theme: ChartTheme): Built {
  const cut = (label: string) => (label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label);
  return {
    data: [spec.categories.map((_, i) => i), spec.values],
    options: {
      legend: { show: false },
      cursor: still,
      scales: { x: { time: false, range: [-0.5, spec.categories.length - 0.5] }, y: { range: spec.percent ? [0, 1] : undefined } },
      axes: [
        axis(theme, { grid: { show: false }, splits: () => spec.categories.map((_, i) => i), values: () => spec.categories.map(cut) }),
        axis(theme, { values: (_u, splits) => splits.map((v) => (spec.percent ? `${Math.round(v * 100)}%` : String(v))) }),
      ],
      series: [{}, { label: spec.label, fill: theme.series[0], stroke: theme.series[0], paths: uPlot.paths.bars?.({ size: [0.6, 80] }), points: { show: false } }],
    },
  };
}

function histogramChart(spec: Extract<ChartSpec, { kind: 'histogram' }>, theme: ChartTheme): Built {
  const centres = spec.counts.map((_, i) => (i + 0.5) * spec.binWidth);
  return {
    data: [centres, spec.counts],
    options: {
      legend: { show: false },
      cursor: still,
      scales: { x: { time: false, range: [0, Math.max(spec.binWidth, spec.counts.length * spec.binWidth)] } },
      axes: [axis(theme, { label: spec.xUnit }), axis(theme, { label: spec.yUnit })],
      series: [{}, { label: spec.yUnit, fill: theme.series[0], stroke: theme.series[0], paths: uPlot.paths.bars?.({ size: [0.9, Infinity] }), points: { show: false } }],
      hooks: { draw: [(u) => drawMarkers(u, spec.markers, theme)] },
    },
  };
}

/** Vertical lines with their names at marked values (p50, p95). */
function drawMarkers(u: uPlot, markers: { at: number; label: string }[], theme: ChartTheme): void {
  const { ctx } = u;
  const { top, height } = u.bbox;
  ctx.save();
  ctx.font = theme.font;
  ctx.lineWidth = Math.max(1, devicePixelRatio);
  ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
  markers.forEach((marker, i) => {
    const x = u.valToPos(marker.at, 'x', true);
    const colour = theme.markers[i % theme.markers.length]!;
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.fillText(marker.label, x + 4 * devicePixelRatio, top + (12 + 14 * i) * devicePixelRatio);
  });
  ctx.restore();
}

function timelineChart(spec: Extract<ChartSpec, { kind: 'timeline' }>, theme: ChartTheme): Built {
  // uPlot wants one x array for all series: the union of times, each series null where it has no point.
  const times = [...new Set(spec.series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = spec.series.map((s) => {
    const column: (number | null)[] = times.map(() => null);
    for (const [t, v] of s.points) column[index.get(t)!] = v;
    return column;
  });
  return {
    data: [times, ...columns],
    options: {
      ms: 1,
      // The legend names the models; the values under the cursor would only repeat the axes.
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [axis(theme), axis(theme, { label: spec.yUnit })],
      series: [{}, ...spec.series.map((s, i): uPlot.Series => {
        const colour = theme.series[i % theme.series.length]!;
        return { label: s.label, stroke: colour, width: 1, spanGaps: true, points: { show: true, size: 5, fill: colour, stroke: colour } };
      })],
    },
  };
}
