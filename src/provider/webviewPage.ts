// The frame of every Inkling webview page: a CSP with a nonce (no inline styles, no inline script
// without the nonce, nothing remote), the extension's own stylesheets, one page script. Each panel
// supplies its body; everything it puts in the page from outside goes through escapeText/escapeAttribute.
import { randomBytes } from 'node:crypto';

export interface PageFrame {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri(…)` of the page script and its stylesheets, as strings. */
  scriptUri: string;
  styleUris: readonly string[];
  title: string;
  /** The page's language, e.g. `vscode.env.language`. */
  lang?: string;
}

export function webviewPage(frame: PageFrame, body: string): string {
  if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(frame.nonce)) throw new Error('webviewPage: the nonce must be at least 16 base64 characters');
  const src = escapeAttribute(frame.cspSource);
  const csp = `default-src 'none'; style-src ${src}; script-src 'nonce-${frame.nonce}'; img-src ${src}; font-src ${src};`;
  const styles = frame.styleUris.map((uri) => `<link rel="stylesheet" href="${escapeAttribute(uri)}">\n`).join('');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(frame.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}<title>${escapeText(frame.title)}</title>
</head>
<body>
${body}<script nonce="${frame.nonce}" src="${escapeAttribute(frame.scriptUri)}"></script>
</body>
</html>
`;
}

/** 128 random bits as hex: a fresh CSP nonce for each page. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
