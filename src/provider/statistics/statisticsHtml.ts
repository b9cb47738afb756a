// The page that hosts the statistics webview: the shared frame (CSP with a nonce, nothing inline,
// nothing remote) and a skeleton the page script fills in, as text, from the summary it is sent.
import { escapeText as text, webviewPage, type PageFrame } from '../webviewPage';
import type { StatisticsStrings } from './statisticsMessages';

export function statisticsHtml(frame: PageFrame, strings: StatisticsStrings): string {
  return webviewPage(frame, `<header class="header">
<h1 id="title">${text(strings.title)}</h1>
<div class="toolbar">
<button id="export" type="button" class="secondary">${text(strings.exportCsv)}</button>
<button id="reset" type="button" class="secondary">${text(strings.reset)}</button>
</div>
</header>
<p id="overview" class="overview"></p>
<p id="recording-off" class="note" hidden><span id="recording-off-text">${text(strings.recordingOff)}</span>
<button id="open-settings" type="button" class="secondary">${text(strings.openSettings)}</button></p>
<p id="empty" class="empty" hidden>${text(strings.empty)}</p>
<main id="sections"></main>
`);
}
