// Builds the statistics page's sections from a summary. Every name that came from outside (language
// ids, model names) goes into the page as text (textContent, title), never as markup.
import type { ChartSpec } from './chartTypes';
import { format } from './webviewDom';
import type { ModelRow, RateRow, StatisticsStrings, StatisticsSummary } from '../src/provider/statistics/statisticsMessages';

/** A chart's place on the page and what to draw there. */
export interface PlacedChart {
  host: HTMLElement;
  spec: ChartSpec;
}

interface Cell {
  text: string;
  /** Shown on hover: the full model id behind a short label. */
  title?: string;
  numeric?: boolean;
}

export class Formats {
  private readonly percentFormat: Intl.NumberFormat;
  private readonly numberFormat: Intl.NumberFormat;
  private readonly decimalFormat: Intl.NumberFormat;

  constructor(readonly locale: string, private readonly strings: StatisticsStrings) {
    const safe = Intl.NumberFormat.supportedLocalesOf([locale]).length ? locale : 'en';
    this.percentFormat = new Intl.NumberFormat(safe, { style: 'percent', maximumFractionDigits: 0 });
    this.numberFormat = new Intl.NumberFormat(safe, { maximumFractionDigits: 0 });
    this.decimalFormat = new Intl.NumberFormat(safe, { maximumFractionDigits: 1 });
  }

  percent(value: number | undefined): string {
    return value === undefined ? '—' : this.percentFormat.format(value);
  }

  count(value: number): string {
    return this.numberFormat.format(value);
  }

  ms(value: number | undefined): string {
    return value === undefined ? '—' : `${this.numberFormat.format(value)} ${this.strings.milliseconds}`;
  }

  speed(value: number | undefined): string {
    return value === undefined ? '—' : `${this.decimalFormat.format(value)} ${this.strings.tokensPerSecond}`;
  }

  date(epochMs: number): string {
    return new Date(epochMs).toLocaleString(this.locale);
  }
}

export function buildSections(summary: StatisticsSummary, s: StatisticsStrings, f: Formats): { sections: HTMLElement[]; charts: PlacedChart[] } {
  const charts: PlacedChart[] = [];
  const chart = (spec: ChartSpec) => {
    const host = element('div', { className: 'chart' });
    charts.push({ host, spec });
    return host;
  };
  const c = summary.completions;
  const sections = [
    section('acceptance', s.acceptance, [
      paragraph(format(s.acceptanceSummary, f.count(c.accepted + c.partial), f.count(c.shown), f.percent(c.rate), f.count(c.partial))),
      chart({ kind: 'bars', label: `${s.acceptance}: ${s.byLanguage}`, categories: summary.byLanguage.map((r) => r.label), values: summary.byLanguage.map((r) => r.rate ?? 0), percent: true }),
      rateTable('by-language', s.byLanguage, s.language, summary.byLanguage, s, f),
      rateTable('by-model', s.byModel, s.model, summary.byModel, s, f),
    ]),
    section('latency', s.latency, [
      paragraph(format(s.latencySummary, f.ms(summary.latency.p50), f.ms(summary.latency.p95), f.count(summary.latency.count))),
      chart({
        kind: 'histogram', label: s.latency, binWidth: summary.latency.histogram.binWidth, counts: summary.latency.histogram.counts,
        xUnit: s.milliseconds, yUnit: s.completions,
        markers: [['p50', summary.latency.p50], ['p95', summary.latency.p95]].flatMap(([label, at]) => (typeof at === 'number' ? [{ at, label: String(label) }] : [])),
      }),
      paragraph(s.latencyNote, 'note-text'),
    ]),
    section('speed', s.speed, summary.speed.length ? [
      chart({ kind: 'timeline', label: s.speed, yUnit: s.tokensPerSecond, series: summary.speed.map((series) => ({ label: series.label, points: series.points })) }),
      paragraph(s.speedNote, 'note-text'),
    ] : [paragraph(s.noSpeed)]),
    section('cache', s.cache, [
      paragraph(format(s.cacheSummary, f.count(summary.cache.completions - summary.cache.generated), f.count(summary.cache.completions),
        f.count(summary.cache.cache), f.count(summary.cache.typedAhead), f.count(summary.cache.inflight))),
      paragraph(format(s.kvSummary, f.percent(summary.cache.promptTokens ? summary.cache.reusedPromptTokens / summary.cache.promptTokens : undefined),
        f.count(summary.cache.reusedPromptTokens), f.count(summary.cache.promptTokens))),
    ]),
    section('explanations', s.explanations, summary.explanations.count ? [
      paragraph(format(s.explainSummary, ...[summary.explanations.count, summary.explanations.finished, summary.explanations.length, summary.explanations.stopped, summary.explanations.failed].map((n) => f.count(n)))),
      paragraph(format(s.explainTimes, f.ms(summary.explanations.timeToFirstTextP50), f.speed(summary.explanations.tokensPerSecondP50))),
    ] : [paragraph(s.noExplanations)]),
  ];
  if (summary.models.length >= 2) sections.push(section('comparison', s.comparison, [comparisonTable(summary.models, s, f)]));
  return { sections, charts };
}

function rateTable(id: string, caption: string, keyHeader: string, rows: RateRow[], s: StatisticsStrings, f: Formats): HTMLElement {
  return table(id, caption, [keyHeader, s.shown, s.accepted, s.partly, s.dismissed, s.rate], rows.map((r) => [
    { text: r.label, ...(r.key !== r.label ? { title: r.key.split('\u0000')[0] } : {}) },
    ...[r.shown, r.accepted, r.partial, r.dismissed].map((n) => ({ text: f.count(n), numeric: true })),
    { text: f.percent(r.rate), numeric: true },
  ]));
}

function comparisonTable(models: ModelRow[], s: StatisticsStrings, f: Formats): HTMLElement {
  return table('models', undefined, [s.model, s.shown, s.rate, s.medianLatency, s.p95Latency, s.firstToken, s.tokensPerSecond, s.fromCache, s.explanations], models.map((m) => [
    { text: m.label, title: m.model },
    { text: f.count(m.completions.shown), numeric: true },
    { text: f.percent(m.completions.rate), numeric: true },
    { text: f.ms(m.latencyP50), numeric: true },
    { text: f.ms(m.latencyP95), numeric: true },
    { text: f.ms(m.timeToFirstTokenP50), numeric: true },
    { text: f.speed(m.tokensPerSecondP50), numeric: true },
    { text: f.percent(m.reuseShare), numeric: true },
    { text: f.count(m.explanations), numeric: true },
  ]));
}

/** `caption` undefined: the section's heading names the table. */
function table(id: string, caption: string | undefined, headers: string[], rows: Cell[][]): HTMLElement {
  const head = element('tr', {}, headers.map((h) => element('th', { text: h, scope: 'col' })));
  const body = rows.map((row) => element('tr', {}, row.map((cell, i) => element(i === 0 ? 'th' : 'td', {
    text: cell.text, ...(i === 0 ? { scope: 'row' } : {}), ...(cell.title ? { title: cell.title } : {}), ...(cell.numeric ? { className: 'num' } : {}),
  }))));
  const parts = [element('thead', {}, [head]), element('tbody', {}, body)];
  return element('table', { id, className: 'data' }, caption === undefined ? parts : [element('caption', { text: caption }), ...parts]);
}

function section(id: string, title: string, children: HTMLElement[]): HTMLElement {
  return element('section', { id, className: 'section' }, [element('h2', { text: title }), ...children]);
}

function paragraph(text: string, className?: string): HTMLElement {
  return element('p', { text, ...(className ? { className } : {}) });
}

interface ElementProps { id?: string; className?: string; text?: string; title?: string; scope?: string }

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, children: Node[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.id) node.id = props.id;
  if (props.className) node.className = props.className;
  if (props.title) node.title = props.title;
  if (props.scope) node.setAttribute('scope', props.scope);
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
}
