// The one statistics panel: a webview under the shared strict CSP, loading only media/ (its style)
// and dist/webview/ (its script, built from media/statistics.ts). It is sent the summary, never the
// events, and is sent it again (at most a few times a second) while it is open and they change.
import * as vscode from 'vscode';
import type { StatisticsSummary } from '../../statistics/statisticsSummary';
import { makeNonce } from '../webviewPage';
import { statisticsHtml } from './statisticsHtml';
import { isFromStatisticsWebview, type FromStatisticsWebview, type StatisticsStrings, type ToStatisticsWebview } from './statisticsMessages';

const REFRESH_INTERVAL_MS = 250;

export interface StatisticsContent {
  summary(): StatisticsSummary;
  recording(): boolean;
}

export class StatisticsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly messages = new vscode.EventEmitter<FromStatisticsWebview>();
  /** What the page asks for: reset, exportCsv, openSettings. */
  readonly onMessage = this.messages.event;
  private readonly updates = new vscode.EventEmitter<ToStatisticsWebview>();
  /** Every summary sent to the page, in order (for the tests). */
  readonly onDidUpdate = this.updates.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly content: StatisticsContent) {}

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Opens the panel, or brings it to the front, with the numbers as they are now. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      this.refresh();
    } else {
      this.create();
    }
  }

  /** The numbers changed: the open page gets them soon (coalesced while many change at once). */
  refresh(): void {
    if (!this.panel || !this.ready || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.post();
    }, REFRESH_INTERVAL_MS);
  }

  /** What the webview sent; also how tests play the page's part. */
  receive(message: unknown): void {
    if (!isFromStatisticsWebview(message)) return;
    if (message.type === 'ready') {
      this.ready = true;
      void this.post();
    } else {
      this.messages.fire(message);
    }
  }

  private create(): void {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const scripts = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const title = vscode.l10n.t('Inkling: Statistics');
    const panel = vscode.window.createWebviewPanel('inkling.statistics', title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media, scripts],
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'icon.png');
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message));
    // A page shown again after being hidden is rebuilt by VS Code; it says 'ready' and gets the numbers.
    panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
      this.ready = false;
      this.clearTimer();
    });
    const asUri = (uri: vscode.Uri) => panel.webview.asWebviewUri(uri).toString();
    panel.webview.html = statisticsHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asUri(vscode.Uri.joinPath(scripts, 'statistics.js')),
      // The chart library's stylesheet (bundled by esbuild beside the script), then the page's own.
      styleUris: [asUri(vscode.Uri.joinPath(scripts, 'statistics.css')), asUri(vscode.Uri.joinPath(media, 'statistics.css'))],
      title,
      lang: vscode.env.language,
    }, strings());
    this.panel = panel;
  }

  private async post(): Promise<void> {
    this.clearTimer();
    const message: ToStatisticsWebview = { type: 'show', summary: this.content.summary(), recording: this.content.recording(), strings: strings(), locale: vscode.env.language };
    this.updates.fire(message);
    await this.panel?.webview.postMessage(message);
  }

  private clearTimer(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  dispose(): void {
    this.clearTimer();
    this.panel?.dispose();
    this.messages.dispose();
    this.updates.dispose();
  }
}

function strings(): StatisticsStrings {
  return {
    title: vscode.l10n.t('Inkling statistics'),
    eventsSince: vscode.l10n.t('{0} events since {1}.'),
    localOnly: vscode.l10n.t('Kept on this machine only: numbers, language ids and model names, never code. Nothing is sent anywhere.'),
    recordingOff: vscode.l10n.t('Recording is off (inkling.statistics.enabled): these are the numbers from before.'),
    openSettings: vscode.l10n.t('Open Settings'),
    exportCsv: vscode.l10n.t('Export as CSV'),
    reset: vscode.l10n.t('Reset statistics'),
    empty: vscode.l10n.t('Nothing recorded yet. Accept or dismiss a few completions, or explain some code, and the numbers appear here.'),
    acceptance: vscode.l10n.t('Acceptance'),
    acceptanceSummary: vscode.l10n.t('{0} of {1} completions accepted ({2}), {3} of them partly.'),
    byLanguage: vscode.l10n.t('By language'),
    byModel: vscode.l10n.t('By model'),
    language: vscode.l10n.t('Language'),
    model: vscode.l10n.t('Model'),
    shown: vscode.l10n.t('Shown'),
    accepted: vscode.l10n.t('Accepted'),
    partly: vscode.l10n.t('Partly'),
    dismissed: vscode.l10n.t('Dismissed'),
    rate: vscode.l10n.t('Rate'),
    latency: vscode.l10n.t('Latency: last keystroke to ghost text'),
    latencySummary: vscode.l10n.t('Median {0}, 95th percentile {1}, over {2} completions.'),
    latencyNote: vscode.l10n.t('Measured from the last edit or cursor move in the document to the moment Inkling hands VS Code the ghost text, so VS Code\'s own short wait before it asks is included; a suggestion you ask for counts from the request.'),
    milliseconds: vscode.l10n.t('ms'),
    completions: vscode.l10n.t('completions'),
    speed: vscode.l10n.t('Decoding speed over time'),
    speedNote: vscode.l10n.t('Tokens after the first, per second after the first, for each generation the model ran.'),
    tokensPerSecond: vscode.l10n.t('tokens/s'),
    noSpeed: vscode.l10n.t('No generations yet.'),
    cache: vscode.l10n.t('Cache reuse'),
    cacheSummary: vscode.l10n.t('{0} of {1} completions came without a new generation: {2} from the cache, {3} by typing into a suggestion, {4} by joining a running generation.'),
    kvSummary: vscode.l10n.t('The kept KV cache served {0} of the prompt tokens ({1} of {2}).'),
    explanations: vscode.l10n.t('Explanations'),
    explainSummary: vscode.l10n.t('{0} explanations: {1} finished, {2} at the length limit, {3} stopped, {4} failed.'),
    explainTimes: vscode.l10n.t('Median time to the first words {0}, median speed {1}.'),
    noExplanations: vscode.l10n.t('No explanations yet.'),
    comparison: vscode.l10n.t('Models side by side'),
    medianLatency: vscode.l10n.t('Median latency'),
    p95Latency: vscode.l10n.t('95th percentile'),
    firstToken: vscode.l10n.t('First token'),
    fromCache: vscode.l10n.t('Without generating'),
  };
}
