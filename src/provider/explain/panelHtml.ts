// The page that hosts the explanation webview, in the frame every Inkling webview shares
// (webviewPage: a CSP with a nonce, no inline styles, nothing remote).
import type { ExplainStrings } from './panelMessages';
import { escapeText as text, webviewPage } from '../webviewPage';

export { makeNonce } from '../webviewPage';

export interface PanelHtmlInput {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri(…)` of the page script (dist/webview/explain.js) and media/explain.css, as strings. */
  scriptUri: string;
  styleUri: string;
  title: string;
  strings: ExplainStrings;
  /** The page's language, e.g. `vscode.env.language`. */
  lang?: string;
}

export function panelHtml(input: PanelHtmlInput): string {
  const s = input.strings;
  const { styleUri, strings: _strings, ...frame } = input;
  return webviewPage({ ...frame, styleUris: [styleUri] }, `<header class="header">
<span id="file" class="file"></span>
<span id="range" class="range"></span>
<span id="status" class="status" role="status"></span>
</header>
<div class="toolbar">
<button id="stop" type="button" disabled>${text(s.stop)}</button>
<button id="copy" type="button" class="secondary" disabled>${text(s.copy)}</button>
<button id="insert" type="button" class="secondary" disabled>${text(s.insertAsComment)}</button>
</div>
<p id="truncated" class="note" hidden></p>
<main id="content" class="content" aria-live="polite"></main>
<div id="error" class="error" role="alert" hidden>
<p id="error-title" class="error-title">${text(s.errorTitle)}</p>
<p id="error-message" class="error-message"></p>
<button id="open-log" type="button" class="secondary">${text(s.openLog)}</button>
</div>
`);
}
