// A user's "Explain Selection": the packaged Inkling in code-server with the successor model; select
// the quicksort function, right-click, pick the command. The panel shows the streamed markdown, and the
// model's <img onerror=…> payload stays visible text: no <img> in the panel, no title write anywhere.
// Each test explains its own copy of the function, so either runs alone.
import * as assert from 'node:assert/strict';
import { SUCCESSOR_HOSTILE_PAYLOAD } from '../../tools/makeModel/successorScript';
import { EXPLAIN_PANEL_TITLE, explainFromContextMenu, frameTitles, readExplainPanel, selectLines, watchDocumentTitles } from '../harness/explainUi';
import { fixtureFiles } from '../harness/fixtureWorkspace';
import { openUiSession, reportFailure } from '../harness/uiSession';
import { openFile, readEditorText, screenshot, waitForStatus, webviewFrame } from '../../tools/vscode/workbench';
import type { Frame } from 'playwright-core';
import type { UiSession } from '../harness/uiSession';

/** Opens `file`, selects the quicksort function (lines 1–9), explains it from the context menu and waits until the answer is complete. */
async function explainQuicksort(session: UiSession, file: string): Promise<{ frame: Frame; label: string }> {
  const { page } = session;
  assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
  await openFile(page, file);
  await selectLines(page, 1, 9);
  const label = await explainFromContextMenu(page);
  const frame = await webviewFrame(page, EXPLAIN_PANEL_TITLE);
  await frame.locator('#file', { hasText: file }).waitFor({ timeout: 60_000 });
  // The stats line replaces "Generating…" once the answer is complete.
  await frame.locator('#status', { hasText: /\d+ tokens in/ }).waitFor({ timeout: 60_000 });
  return { frame, label };
}

describe('UI: Explain Selection from the editor context menu', function () {
  this.timeout(300_000);
  let session: UiSession;

  before(async () => {
    session = await openUiSession({
      settings: { 'inkling.explain.temperature': 0, 'inkling.explain.language': 'en' },
      files: { 'insert.py': fixtureFiles['quicksort.py']! },
    });
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
    const { frame, label } = await explainQuicksort(session, 'quicksort.py');
    console.log(`    context menu item: "${label}"`);
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
    // Wait until an image the panel's page cannot load has failed: by then an onerror handler on any
    // image the payload made would have fired too. Then check every frame's title history.
    await frame.evaluate(() => new Promise<void>((resolve) => {
      const probe = document.createElement('img');
      probe.addEventListener('error', () => {
        probe.remove();
        resolve();
      }, { once: true });
      probe.src = 'inkling-probe-that-does-not-exist.png';
      document.body.append(probe);
    }));
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
    const { frame } = await explainQuicksort(session, 'insert.py');
    await frame.locator('#insert').click();
    // Clicking the panel made its group active; readEditorText reads the active editor.
    await page.locator('.tabs-container .tab[aria-label*="insert.py"]').click();
    await page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: '# This function sorts a list with **quicksort**.' }).waitFor({ timeout: 10_000 });
    const lines = (await readEditorText(page)).split('\n');
    const functionAt = lines.indexOf('def quicksort(items):');
    assert.equal(lines[0], '# This function sorts a list with **quicksort**.');
    assert.ok(functionAt > 6, `the function is at line ${functionAt + 1}:\n${lines.join('\n')}`);
    assert.deepEqual(lines.slice(0, functionAt).filter((line) => !/^#( |$)/.test(line)), [], 'a line above the function is not a comment');
    assert.ok(lines.slice(0, functionAt).some((line) => line.includes(SUCCESSOR_HOSTILE_PAYLOAD)));
    await screenshot(page, 'explain-inserted');
  });
});
