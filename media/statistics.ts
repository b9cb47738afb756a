// The statistics panel's page script (built to dist/webview/statistics.js, loaded with the CSP nonce).
// It shows the summary the extension sends (src/provider/statistics/statisticsMessages.ts), entirely
// as text and charts, and posts the buttons' clicks back. It keeps no state of its own: a page VS Code
// rebuilds says 'ready' and is sent the numbers again.
import { chartPainter } from './chartPainter';
import { onThemeOrSize, readChartTheme } from './chartTheme';
import { Formats, buildSections, type PlacedChart } from './statisticsView';
import { byId, format } from './webviewDom';
import type { FromStatisticsWebview, ToStatisticsWebview } from '../src/provider/statistics/statisticsMessages';

interface WebviewApi {
  postMessage(message: FromStatisticsWebview): void;
}
declare function acquireVsCodeApi(): WebviewApi;

const vscode = acquireVsCodeApi();

const el = {
  title: byId('title'),
  overview: byId('overview'),
  recordingOff: byId('recording-off'),
  recordingOffText: byId('recording-off-text'),
  openSettings: byId<HTMLButtonElement>('open-settings'),
  exportCsv: byId<HTMLButtonElement>('export'),
  reset: byId<HTMLButtonElement>('reset'),
  empty: byId('empty'),
  sections: byId('sections'),
};

let charts: PlacedChart[] = [];

function show(message: ToStatisticsWebview): void {
  const { summary, strings: s } = message;
  const f = new Formats(message.locale, s);
  document.documentElement.lang = message.locale;
  el.title.textContent = s.title;
  el.exportCsv.textContent = s.exportCsv;
  el.reset.textContent = s.reset;
  el.openSettings.textContent = s.openSettings;
  el.recordingOffText.textContent = s.recordingOff;
  el.empty.textContent = s.empty;
  const since = summary.since === undefined ? '' : `${format(s.eventsSince, f.count(summary.events), f.date(summary.since))} `;
  el.overview.textContent = `${since}${s.localOnly}`;
  el.recordingOff.hidden = message.recording;
  el.empty.hidden = summary.events > 0;
  el.exportCsv.disabled = summary.events === 0;
  el.reset.disabled = summary.events === 0;
  if (summary.events === 0) {
    charts = [];
    el.sections.replaceChildren();
    return;
  }
  const built = buildSections(summary, s, f);
  el.sections.replaceChildren(...built.sections);
  charts = built.charts;
  paintCharts();
}

function paintCharts(): void {
  const theme = readChartTheme();
  for (const { host, spec } of charts) chartPainter.paint(host, spec, theme, Math.max(240, Math.min(900, el.sections.clientWidth)));
}

function isShowMessage(message: unknown): message is ToStatisticsWebview {
  const m = message as Partial<ToStatisticsWebview> | null;
  return typeof m === 'object' && m !== null && m.type === 'show' && typeof m.summary === 'object' && m.summary !== null
    && typeof m.strings === 'object' && m.strings !== null && typeof m.locale === 'string';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isShowMessage(event.data)) show(event.data);
});

const post = (type: FromStatisticsWebview['type']) => () => vscode.postMessage({ type });
el.exportCsv.addEventListener('click', post('exportCsv'));
el.reset.addEventListener('click', post('reset'));
el.openSettings.addEventListener('click', post('openSettings'));
onThemeOrSize(paintCharts);

vscode.postMessage({ type: 'ready' });
