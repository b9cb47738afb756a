// A user's "Explain Selection": the packaged Inkling in code-server with the successor model; select
// the quicksort function, right-click, pick the command. The panel shows the streamed markdown, and the
// model's <img onerror=…> payload stays visible text: no <img> in the panel, no title write anywhere.
import * as assert from 'node:assert/strict';
import { SUCCESSOR_HOSTILE_PAYLOAD } from '../../tools/makeModel/successorScript';
import { EXPLAIN_PANEL_TITLE, explainFromContextMenu, frameTitles, readExplainPanel, selectLines, watchDocumentTitles } from '../harness/explainUi';
import { openUiSession, reportFailure } from '../harness/uiSession';
import { openFile, readEditorText, screenshot, waitForStatus, webviewFrame } from '../../tools/vscode/workbench';
import type { UiSession } from '../harness/uiSession';

describe('UI: Explain Selection from the editor context menu', function () {
  this.timeout(300_000);
  let session: UiSession;

  before(async () => {
    session = await openUiSession({ settings: { 'inkling.explain.temperature': 0, 'inkling.explain.language': 'en' } });
    await watchDocumentTitles(session.page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'explain-selection');
  });

  after(async () => {
    await session?.close();
  });

  it('shows the streamed explanation of the selected function, with the hostile payload inert', async () => {
    const { page } = session;
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    await openFile(page, 'quicksort.py');
    await selectLines(page, 1, 9);
    const label = await explainFromContextMenu(page, 'pivot = items');
    console.log(`    context menu item: "${label}"`);

    const frame = await webviewFrame(page, EXPLAIN_PANEL_TITLE);
    await frame.locator('#content strong', { hasText: 'quicksort' }).waitFor({ timeout: 60_000 });
    await frame.locator('#content li').nth(2).waitFor();
    // The stats line replaces "Generating…" once the answer is complete.
    await frame.locator('#status', { hasText: /\d+ tokens in/ }).waitFor({ timeout: 60_000 });
    const panel = await readExplainPanel(frame);
    const path = await screenshot(page, 'explain-panel');
    console.log(`    screenshot: ${path}`);

    assert.equal(panel.file, 'quicksort.py');
    assert.equal(panel.range, 'Lines 1–9');
    assert.match(panel.status, /^6 tokens in \d+\.\d s\.$/);
    assert.deepEqual(panel.disabled, { stop: true, copy: false, insert: false }, 'the toolbar does not match a finished answer');
    assert.deepEqual(panel.strong, ['quicksort']);
    assert.deepEqual(panel.listItems, [
      'It picks the first element as the pivot.',
      'It splits the rest into left (smaller) and right (not smaller).',
      'It sorts both parts recursively and joins them around the pivot.',
    ]);
    assert.ok(panel.contentText.startsWith('This function sorts a list with quicksort.'), panel.contentText);
    // The payload is shown as the characters the model wrote, and nothing on the page is an image.
    assert.ok(panel.contentText.includes(SUCCESSOR_HOSTILE_PAYLOAD), `the payload is not visible as text:\n${panel.contentText}`);
    assert.equal(panel.images, 0, 'an <img> element made it into the panel');
    // Give a would-be onerror handler time to fire before checking every frame's title history.
    await page.waitForTimeout(1_000);
    const frames = await frameTitles(page);
    assert.deepEqual(frames.filter((f) => f.title === 'pwned' || f.writes?.includes('pwned')), [], 'the payload ran');
    assert.notEqual(panel.titleWrites, undefined, 'the title watcher is not installed in the panel frame, so the check above proves nothing');
    // The watcher does see writes in the panel frame.
    await frame.evaluate(() => (document.title = 'probe'));
    assert.ok((await readExplainPanel(frame)).titleWrites?.includes('probe'), 'the title watcher missed a write');
  });

  it('"Insert as comment" in the panel puts the explanation above the function as # comments', async () => {
    // The real webview-to-extension path: the button posts a message the extension acts on.
    const { page } = session;
    const frame = await webviewFrame(page, EXPLAIN_PANEL_TITLE);
    await frame.locator('#insert').click();
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.locator('.view-line', { hasText: '# This function sorts a list with **quicksort**.' }).waitFor({ timeout: 10_000 });
    // Clicking the panel made its group active; readEditorText reads the active editor.
    await page.locator('.tabs-container .tab[aria-label*="quicksort.py"]').click();
    const lines = (await readEditorText(page)).split('\n');
    const functionAt = lines.indexOf('def quicksort(items):');
    assert.equal(lines[0], '# This function sorts a list with **quicksort**.');
    assert.ok(functionAt > 6, `the function is at line ${functionAt + 1}:\n${lines.join('\n')}`);
    assert.deepEqual(lines.slice(0, functionAt).filter((line) => !/^#( |$)/.test(line)), [], 'a line above the function is not a comment');
    assert.ok(lines.slice(0, functionAt).some((line) => line.includes(SUCCESSOR_HOSTILE_PAYLOAD)));
    await screenshot(page, 'explain-inserted');
  });
});
