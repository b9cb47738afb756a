// The explanation panel's page script (built to dist/webview/explain.js, loaded with the CSP nonce).
// It shows what the extension sends (src/provider/explain/panelMessages.ts) and posts the user's
// clicks back. The only HTML it puts on the page is `render.html`, made by renderMarkdown and inert
// by construction; the CSP is the second line of defence. Everything else is set as text.
import type { ExplainHeader, ExplainStats, ExplainStrings, FromExplainWebview, ToExplainWebview } from '../src/provider/explain/panelMessages';
import { byId, format } from './webviewDom';

interface WebviewApi<State> {
  postMessage(message: FromExplainWebview): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi<State>(): WebviewApi<State>;

type Phase = 'idle' | 'running' | 'done' | 'stopped' | 'error';

/** What survives the panel being hidden and shown again: VS Code rebuilds the page from scratch. */
interface PageState {
  phase: Phase;
  html: string;
  statusText: string;
  header?: ExplainHeader;
  truncatedNote?: string;
  strings?: ExplainStrings;
  error?: string;
}

const vscode = acquireVsCodeApi<PageState>();

const el = {
  file: byId('file'),
  range: byId('range'),
  status: byId('status'),
  stop: byId<HTMLButtonElement>('stop'),
  copy: byId<HTMLButtonElement>('copy'),
  insert: byId<HTMLButtonElement>('insert'),
  truncated: byId('truncated'),
  content: byId('content'),
  error: byId('error'),
  errorTitle: byId('error-title'),
  errorMessage: byId('error-message'),
  openLog: byId<HTMLButtonElement>('open-log'),
};

let state: PageState = { phase: 'idle', html: '', statusText: '', ...vscode.getState() };
let shownHtml = '';

function paint(): void {
  const s = state.strings;
  if (s) {
    el.stop.textContent = s.stop;
    el.copy.textContent = s.copy;
    el.insert.textContent = s.insertAsComment;
    el.openLog.textContent = s.openLog;
    el.errorTitle.textContent = s.errorTitle;
  }
  const h = state.header;
  el.file.textContent = h ? h.fileName : '';
  el.range.textContent = h && s ? format(s.lines, h.startLine, h.endLine) : '';
  el.truncated.textContent = state.truncatedNote ?? '';
  el.truncated.hidden = !state.truncatedNote;
  el.status.textContent = state.statusText;
  el.error.hidden = state.phase !== 'error';
  el.errorMessage.textContent = state.error ?? '';
  const running = state.phase === 'running';
  el.stop.disabled = !running;
  el.copy.disabled = running || !state.html;
  el.insert.disabled = running || !state.html;
  document.body.classList.toggle('running', running);
  showHtml();
}

function showHtml(): void {
  if (state.html === shownHtml) return;
  // Follow the stream only while the reader is at the bottom; never yank them back down.
  const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 24;
  el.content.innerHTML = state.html; // renderMarkdown output only (see the top of this file)
  shownHtml = state.html;
  if (atBottom && state.phase === 'running') window.scrollTo(0, document.body.scrollHeight);
}

function statsText(stats: ExplainStats): string {
  const s = state.strings;
  if (!s) return '';
  const text = format(s.doneStats, stats.generatedTokens, (stats.totalMs / 1000).toFixed(1));
  return stats.finishReason === 'length' ? `${text} ${s.hitLengthLimit}` : text;
}

/** Applies one message from the extension; false for anything malformed, which is ignored. */
function apply(message: ToExplainWebview): boolean {
  switch (message.type) {
    case 'start':
      state = { phase: 'running', html: '', statusText: message.strings.generating, header: message.header, strings: message.strings };
      return true;
    case 'render':
      if (typeof message.html !== 'string') return false;
      state.html = message.html;
      return true;
    case 'truncated':
      state.truncatedNote = String(message.note);
      state.header = message.header;
      return true;
    case 'done':
      state.phase = 'done';
      state.statusText = statsText(message.stats);
      return true;
    case 'stopped':
      state.phase = 'stopped';
      state.statusText = state.strings?.stopped ?? '';
      return true;
    case 'error':
      state.phase = 'error';
      state.statusText = '';
      state.error = String(message.message);
      return true;
    default:
      return false;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') return;
  if (!apply(message as ToExplainWebview)) return;
  vscode.setState(state);
  paint();
});

const post = (type: FromExplainWebview['type']) => () => vscode.postMessage({ type });
el.stop.addEventListener('click', post('stop'));
el.copy.addEventListener('click', post('copy'));
el.insert.addEventListener('click', post('insertAsComment'));
el.openLog.addEventListener('click', post('openLog'));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && state.phase === 'running') vscode.postMessage({ type: 'stop' });
});

paint();
vscode.postMessage({ type: 'ready' });
