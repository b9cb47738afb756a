// The auto-closed bracket, as a user meets it (issue 8): typing `.map(` makes the editor add `)`; the
// ghost text that comes writes its own `)`, and Tab leaves exactly one. The file on disk is the proof.
// A pause before the `(` leaves a suggestion for the spot before it, which must not be served on.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { scriptKey } from '../../tools/makeModel/successorScript';
import { acceptGhostText, saveActiveEditor, waitForEditorTextToBe, waitForFileText, waitForLineAsShown } from '../harness/completionUi';
import { openUiSession, reportFailure, type UiSession } from '../harness/uiSession';
import { openFile, screenshot, typeText, waitForGhostText, waitForStatus } from '../../tools/vscode/workbench';

const header = `// ${scriptKey('map-call')}\n`;

describe('UI: ghost text inside an auto-closed bracket', function () {
  this.timeout(300_000);
  let session: UiSession | undefined;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'auto-closed');
    await session?.close();
    session = undefined;
  });

  it('after a pause at "[1, 2, 3].map", typing "(" shows ghost text that fills the parentheses, and Tab leaves one ")"', async () => {
    session = await openUiSession({ files: { 'double.ts': header }, settings: { 'inkling.completion.temperature': 0 } });
    const { page } = session;
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    await openFile(page, 'double.ts');
    await page.keyboard.press('Control+End');
    await typeText(page, 'const doubled = [1, 2, 3].map');
    // The user pauses and a suggestion for this spot shows (the test model writes its script at any spot).
    await waitForGhostText(page);
    await typeText(page, '(');
    // The editor auto-closed the bracket: new text after the cursor, which the earlier suggestion never saw.
    await waitForEditorTextToBe(page, `${header}const doubled = [1, 2, 3].map()`);
    // VS Code draws the suggestion around the `)` it keeps: compare the line as shown.
    await waitForLineAsShown(page, 1, 'const doubled = [1, 2, 3].map((x) => x * 2)');
    console.log(`    screenshot: ${await screenshot(page, 'auto-closed-ghost')}`);
    await acceptGhostText(page);
    await saveActiveEditor(page);
    await waitForFileText(join(session.workspace, 'double.ts'), `${header}const doubled = [1, 2, 3].map((x) => x * 2)`);
    console.log(`    screenshot: ${await screenshot(page, 'auto-closed-accepted')}`);
  });
});
