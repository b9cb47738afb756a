// The one reused explanation panel beside the editor: a webview showing streamed markdown rendered
// by renderMarkdown (inert HTML), under a strict CSP with a nonce, loading only media/ (its style)
// and dist/webview/ (its script, built from media/explain.ts).
import * as vscode from 'vscode';
import { renderMarkdown } from './renderMarkdown';
import { makeNonce, panelHtml } from './panelHtml';
import { isFromExplainWebview, type ExplainHeader, type ExplainStats, type ExplainStrings, type FromExplainWebview, type ToExplainWebview } from './panelMessages';

const RENDER_INTERVAL_MS = 50;

export class ExplainPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready: Promise<void> = Promise.resolve();
  private markReady: () => void = () => undefined;
  private markdown = '';
  private renderTimer: NodeJS.Timeout | undefined;
  private lastRenderAt = 0;
  private readonly messages = new vscode.EventEmitter<FromExplainWebview>();
  /** What the webview sends: stop, copy, insertAsComment, openLog. */
  readonly onMessage = this.messages.event;
  private readonly updates = new vscode.EventEmitter<ToExplainWebview>();
  /** Every update shown in the panel, in order: the start, each render, the end or the error. */
  readonly onDidUpdate = this.updates.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  get text(): string {
    return this.markdown;
  }

  /** Opens (or reveals and resets) the panel for a new explanation. */
  async start(header: ExplainHeader): Promise<void> {
    if (!this.panel) this.create();
    else this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.clearTimer();
    this.markdown = '';
    this.lastRenderAt = 0;
    await this.ready;
    await this.post({ type: 'start', header, strings: strings() });
  }

  /** Says the selection was cut to the token budget; the header then names the lines explained. */
  async noteTruncated(note: string, header: ExplainHeader): Promise<void> {
    await this.post({ type: 'truncated', note, header });
  }

  append(piece: string): void {
    this.markdown += piece;
    // The first words show at once; after that, re-rendering the whole answer on every token is
    // wasteful, and one render per interval reads as live.
    if (this.renderTimer) return;
    const wait = this.lastRenderAt + RENDER_INTERVAL_MS - Date.now();
    if (wait <= 0) this.render();
    else this.renderTimer = setTimeout(() => this.render(), wait);
  }

  /** What the webview sent; also how tests play the webview's part. */
  receive(message: unknown): void {
    if (!isFromExplainWebview(message)) return;
    if (message.type === 'ready') this.markReady();
    else this.messages.fire(message);
  }

  private render(): void {
    this.clearTimer();
    this.lastRenderAt = Date.now();
    void this.post({ type: 'render', html: renderMarkdown(this.markdown) });
  }

  async finish(stats: ExplainStats): Promise<void> {
    await this.flush();
    await this.post(stats.finishReason === 'cancelled' ? { type: 'stopped' } : { type: 'done', stats });
  }

  async fail(message: string): Promise<void> {
    await this.flush();
    await this.post({ type: 'error', message });
  }

  private async flush(): Promise<void> {
    this.clearTimer();
    this.lastRenderAt = Date.now();
    await this.post({ type: 'render', html: renderMarkdown(this.markdown) });
  }

  private create(): void {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const scripts = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel('inkling.explain', vscode.l10n.t('Inkling: Explanation'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [media, scripts],
      retainContextWhenHidden: true,
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'icon.png');
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message));
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
      this.clearTimer();
      this.messages.fire({ type: 'stop' });
    });
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(scripts, 'explain.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'explain.css')).toString(),
      title: vscode.l10n.t('Inkling: Explanation'),
      strings: strings(),
      lang: vscode.env.language,
    });
    this.panel = panel;
  }

  private async post(message: ToExplainWebview): Promise<void> {
    this.updates.fire(message);
    await this.panel?.webview.postMessage(message);
  }

  private clearTimer(): void {
    if (this.renderTimer) clearTimeout(this.renderTimer);
    this.renderTimer = undefined;
  }

  dispose(): void {
    this.clearTimer();
    this.panel?.dispose();
    this.messages.dispose();
    this.updates.dispose();
  }
}

function strings(): ExplainStrings {
  return {
    stop: vscode.l10n.t('Stop'),
    copy: vscode.l10n.t('Copy'),
    insertAsComment: vscode.l10n.t('Insert as comment'),
    openLog: vscode.l10n.t('Open log'),
    lines: vscode.l10n.t('Lines {0}–{1}'),
    generating: vscode.l10n.t('Generating…'),
    stopped: vscode.l10n.t('Stopped.'),
    doneStats: vscode.l10n.t('{0} tokens in {1} s.'),
    hitLengthLimit: vscode.l10n.t('Stopped at inkling.explain.maxNewTokens.'),
    errorTitle: vscode.l10n.t('Inkling could not explain this code'),
  };
}
