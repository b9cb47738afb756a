import * as assert from 'node:assert/strict';
import { statisticsHtml } from '../../../../src/provider/statistics/statisticsHtml';
import { isFromStatisticsWebview, type StatisticsStrings } from '../../../../src/provider/statistics/statisticsMessages';
import { makeNonce } from '../../../../src/provider/webviewPage';

const SRC = 'https://file+.vscode-resource.vscode-cdn.net';

/** Every string the page is given, each with markup in it. */
const hostile = new Proxy({} as StatisticsStrings, { get: (_target, key) => `<img src=x onerror="document.title='pwned'"> ${String(key)}` });

function page(nonce = makeNonce()): string {
  return statisticsHtml({
    cspSource: SRC, nonce, scriptUri: `${SRC}/ext/dist/webview/statistics.js`, styleUris: [`${SRC}/ext/media/statistics.css`],
    title: 'Inkling: <Statistics>', lang: 'zh-cn',
  }, hostile);
}

describe('statistics webview page', () => {
  it('has the same strict CSP as the explanation panel: nonce scripts only, styles from the extension, nothing inline', () => {
    const nonce = makeNonce();
    const html = page(nonce);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; style-src ${SRC}; script-src 'nonce-${nonce}'; img-src ${SRC}; font-src ${SRC};`);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]), [`<script nonce="${nonce}" src="${SRC}/ext/dist/webview/statistics.js">`]);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/media\/statistics\.css">/);
  });

  it('puts every string it is given in as text: no element, attribute or handler comes from them', () => {
    const html = page();
    const tags = html.match(/<[^>]*>/g) ?? [];
    assert.deepEqual(tags.filter((tag) => /^<(img|style)|\sstyle=|\son\w+=/i.test(tag)), []);
    assert.match(html, /<title>Inkling: &lt;Statistics&gt;<\/title>/);
    assert.match(html, /&lt;img src=x onerror="document.title='pwned'"&gt; exportCsv/);
  });

  it('refuses a weak nonce', () => {
    assert.throws(() => page('abc'));
  });

  it('accepts only the known messages from the webview', () => {
    for (const type of ['ready', 'reset', 'exportCsv', 'openSettings']) assert.ok(isFromStatisticsWebview({ type }));
    for (const bad of [null, undefined, 'reset', { type: 'eval' }, { type: 'stop' }, { type: 2 }, {}]) assert.equal(isFromStatisticsWebview(bad), false);
  });
});
