// A user's first completion, end to end: the packaged .vsix in code-server, an empty file, typing
// "def quicksort(arr):" and Enter shows the successor model's quicksort body as ghost text; Tab and
// Ctrl+S put exactly that body in the file on disk. Each test types into its own empty file.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT } from '../../tools/makeModel/successorScript';
import { acceptGhostText, dismissGhostText, saveActiveEditor, waitForEditorTextToBe, waitForFileText, waitForGhostTextToBe } from '../harness/completionUi';
import { openUiSession, reportFailure } from '../harness/uiSession';
import { openFile, readEditorText, screenshot, typeText, waitForStatus } from '../../tools/vscode/workbench';
import type { UiSession } from '../harness/uiSession';

/** Opens the empty `file` and types the function header and Enter, as a user starts a function. */
async function startQuicksort(session: UiSession, file: string): Promise<void> {
  const { page } = session;
  assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
  await openFile(page, file);
  await typeText(page, 'def quicksort(arr):');
  await page.keyboard.press('Enter');
  // Python's on-enter rule indents the new line: the cursor ends where the model's prompt ends.
  await waitForEditorTextToBe(page, SUCCESSOR_FIM_PREFIX);
}

describe('UI: quicksort ghost text', function () {
  this.timeout(300_000);
  let session: UiSession;

  before(async () => {
    session = await openUiSession({ files: { 'sort.py': '', 'accept.py': '' }, settings: { 'inkling.completion.temperature': 0 } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'quicksort');
  });

  after(async () => {
    await session?.close();
  });

  it('shows the quicksort body as ghost text after "def quicksort(arr):" and Enter', async () => {
    const { page } = session;
    await startQuicksort(session, 'sort.py');
    await waitForGhostTextToBe(page, SUCCESSOR_FIM_TEXT);
    console.log(`    screenshot: ${await screenshot(page, 'quicksort-ghost')}`);
  });

  it('Tab accepts it and Ctrl+S saves exactly the accepted body', async () => {
    const { page } = session;
    await startQuicksort(session, 'accept.py');
    await waitForGhostTextToBe(page, SUCCESSOR_FIM_TEXT);
    await acceptGhostText(page);
    await saveActiveEditor(page);
    await waitForFileText(join(session.workspace, 'accept.py'), SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT);
    await dismissGhostText(page);
    assert.equal(await readEditorText(page), SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT);
    console.log(`    screenshot: ${await screenshot(page, 'quicksort-accepted')}`);
  });
});
