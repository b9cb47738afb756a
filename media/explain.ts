// The explanation panel's page script (plain browser JS, loaded with the CSP nonce). It shows what
// the extension sends (src/explain/webviewProtocol.ts) and posts the user's clicks back. The only
// HTML it puts on the page is `render.html`, made by renderMarkdown and inert by construction; the
// CSP is the second line of defence. Everything else is set as text.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();

  /** @param {string} id */
  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const el = {
    file: byId('file'), range: byId('range'), status: byId('status'),
    stop: /** @type {HTMLButtonElement} */ (byId('stop')),
    copy: /** @type {HTMLButtonElement} */ (byId('copy')),
    insert: /** @type {HTMLButtonElement} */ (byId('insert')),
    truncated: byId('truncated'), content: byId('content'),
    error: byId('error'), errorTitle: byId('error-title'), errorMessage: byId('error-message'),
    openLog: /** @type {HTMLButtonElement} */ (byId('open-log')),
  };

  // Survives the panel being hidden and shown again: VS Code rebuilds the page from scratch.
  /** @type {{ phase: 'idle' | 'running' | 'done' | 'stopped' | 'error', html: string, statusText: string, header?: any, truncatedNote?: string, strings?: any, error?: string }} */
  let state = Object.assign({ phase: 'idle', html: '', statusText: '' }, vscode.getState() || {});
  let shownHtml = '';

  /** Fills `{0}`, `{1}` … in a localized template. */
  function format(/** @type {string} */ template, /** @type {unknown[]} */ ...args) {
    return String(template || '').replace(/\{(\d+)\}/g, (whole, i) => (args[i] === undefined ? whole : String(args[i])));
  }

  function paint() {
    const s = state.strings;
    if (s) {
      el.stop.textContent = s.stop;
      el.copy.textContent = s.copy;
      el.insert.textContent = s.insertAsComment;
      el.openLog.textContent = s.openLog;
      el.errorTitle.textContent = s.errorTitle;
    }
    const h = state.header;
    el.file.textContent = h ? String(h.fileName) : '';
    el.range.textContent = h && s ? format(s.lines, h.startLine, h.endLine) : '';
    el.truncated.textContent = state.truncatedNote || '';
    el.truncated.hidden = !state.truncatedNote;
    el.status.textContent = state.statusText;
    el.error.hidden = state.phase !== 'error';
    el.errorMessage.textContent = state.error || '';
    const running = state.phase === 'running';
    el.stop.disabled = !running;
    el.copy.disabled = running || !state.html;
    el.insert.disabled = running || !state.html;
    document.body.classList.toggle('running', running);
    showHtml();
  }

  function showHtml() {
    if (state.html === shownHtml) return;
    // Follow the stream only while the reader is at the bottom; never yank them back down.
    const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 24;
    el.content.innerHTML = state.html; // renderMarkdown output only (see the top of this file)
    shownHtml = state.html;
    if (atBottom && state.phase === 'running') window.scrollTo(0, document.body.scrollHeight);
  }

  /** @param {{ generatedTokens: number, totalMs: number, finishReason: string }} stats */
  function statsText(stats) {
    const s = state.strings || {};
    const text = format(s.doneStats, stats.generatedTokens, (stats.totalMs / 1000).toFixed(1));
    return stats.finishReason === 'length' && s.hitLengthLimit ? `${text} ${s.hitLengthLimit}` : text;
  }

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || typeof msg.type !== 'string') return;
    switch (msg.type) {
      case 'start':
        state = { phase: 'running', html: '', statusText: msg.strings.generating, header: msg.header, strings: msg.strings };
        break;
      case 'render':
        if (typeof msg.html !== 'string') return;
        state.html = msg.html;
        break;
      case 'truncated':
        state.truncatedNote = String(msg.note);
        break;
      case 'done':
        state.phase = 'done';
        state.statusText = statsText(msg.stats);
        break;
      case 'stopped':
        state.phase = 'stopped';
        state.statusText = state.strings ? state.strings.stopped : '';
        break;
      case 'error':
        state.phase = 'error';
        state.statusText = '';
        state.error = String(msg.message);
        break;
      default:
        return;
    }
    vscode.setState(state);
    paint();
  });

  /** @param {string} type */
  const post = (type) => () => vscode.postMessage({ type });
  el.stop.addEventListener('click', post('stop'));
  el.copy.addEventListener('click', post('copy'));
  el.insert.addEventListener('click', post('insertAsComment'));
  el.openLog.addEventListener('click', post('openLog'));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.phase === 'running') vscode.postMessage({ type: 'stop' });
  });

  paint();
  vscode.postMessage({ type: 'ready' });
})();
