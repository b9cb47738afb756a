// The page that hosts the explanation webview. It loads only the extension's own script and
// stylesheet, under a CSP with a nonce: no inline styles, no inline script without the nonce,
// nothing remote.
import { randomBytes } from 'node:crypto';
import type { ExplainStrings } from './panelMessages';

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
  if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(input.nonce)) throw new Error('panelHtml: the nonce must be at least 16 base64 characters');
  const src = attr(input.cspSource);
  const csp = `default-src 'none'; style-src ${src}; script-src 'nonce-${input.nonce}'; img-src ${src}; font-src ${src};`;
  const s = input.strings;
  return `<!DOCTYPE html>
<html lang="${attr(input.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(input.styleUri)}">
<title>${text(input.title)}</title>
</head>
<body>
<header class="header">
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
<script nonce="${input.nonce}" src="${attr(input.scriptUri)}"></script>
</body>
</html>
`;
}

/** 128 random bits as hex: a fresh CSP nonce for each page. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
