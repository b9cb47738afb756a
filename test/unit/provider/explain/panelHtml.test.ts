import * as assert from 'node:assert/strict';
import { makeNonce, panelHtml } from '../../../../src/provider/explain/panelHtml';
import { isFromExplainWebview, type ExplainStrings } from '../../../../src/provider/explain/panelMessages';

const strings: ExplainStrings = {
  stop: 'Stop', copy: 'Copy', insertAsComment: 'Insert as comment', openLog: 'Open log', lines: 'Lines {0}–{1}',
  generating: 'Explaining…', stopped: 'Stopped', doneStats: '{0} tokens in {1} s', hitLengthLimit: '(length limit)',
  errorTitle: 'Could not explain <this>',
};

function page(nonce = makeNonce()) {
  return panelHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce,
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/explain.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/explain.css',
    title: 'Explain "a<b>"', strings, lang: 'zh-cn',
  });
}

describe('explain webview page', () => {
  it('has a strict CSP: nonce scripts only, styles and images from the extension, nothing inline', () => {
    const nonce = makeNonce();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page(nonce))?.[1];
    const src = 'https://file+.vscode-resource.vscode-cdn.net';
    assert.equal(csp, `default-src 'none'; style-src ${src}; script-src 'nonce-${nonce}'; img-src ${src}; font-src ${src};`);
    assert.doesNotMatch(page(nonce), /unsafe-inline|unsafe-eval/);
  });

  it('loads its one script with the nonce and has no inline script or style', () => {
    const nonce = makeNonce();
    const html = page(nonce);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="https://file+.vscode-resource.vscode-cdn.net/ext/media/explain.js">`]);
    assert.doesNotMatch(html, /<style|style=|\son\w+=/i);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/media\/explain\.css">/);
  });

  it('escapes the title and strings it is given', () => {
    const html = page();
    assert.match(html, /<title>Explain "a&lt;b&gt;"<\/title>/);
    assert.match(html, /Could not explain &lt;this&gt;/);
    assert.match(html, /<html lang="zh-cn">/);
  });

  it('refuses a weak nonce', () => {
    assert.throws(() => page('abc'));
    assert.throws(() => page(`${makeNonce()}"><script>`));
  });

  it('makes a fresh 128-bit nonce each time', () => {
    const a = makeNonce();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(a, makeNonce());
  });

  it('accepts only the known messages from the webview', () => {
    for (const type of ['ready', 'stop', 'copy', 'insertAsComment', 'openLog']) assert.ok(isFromExplainWebview({ type }));
    for (const bad of [null, undefined, 'stop', { type: 'eval' }, { type: 1 }, {}]) assert.equal(isFromExplainWebview(bad), false);
  });
});
