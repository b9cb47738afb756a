// The auto-closed bracket, as a user meets it (issue 8): typing `.map(` makes the editor add `)`; the
// ghost text that comes writes its own `)`, and Tab leaves exactly one. The file on disk is the proof.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { scriptKey } from '../../tools/makeModel/successorScript';
import { acceptGhostText, saveActiveEditor, waitForEditorTextToBe, waitForFileText } from '../harness/completionUi';
import { openUiSession, reportFailure, type UiSession } from '../harness/uiSession';
import { openFile, readEditorLinesAsShown, screenshot, typeText, waitForGhostText, waitForStatus } from '../../tools/vscode/workbench';

const header = `// ${scriptKey('map-call')}\n`;

describe('UI: ghost text inside an auto-closed bracket', function () {
  this.timeout(300_000);
  let session: UiSession | undefined;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'auto-closed');
    await session?.close();
    session = undefined;
  });

  it('after typing "[1, 2, 3].map(" the ghost text fills the parentheses and Tab leaves one ")"', async () => {
    session = await openUiSession({ files: { 'double.ts': header }, settings: { 'inkling.completion.temperature': 0 } });
    const { page } = session;
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    await openFile(page, 'double.ts');
    await page.keyboard.press('Control+End');
    await typeText(page, 'const doubled = [1, 2, 3].map(');
    // The editor auto-closed the bracket.
    await waitForEditorTextToBe(page, `${header}const doubled = [1, 2, 3].map()`);
    await waitForGhostText(page);
    // VS Code draws the suggestion around the `)` it keeps: compare the line as shown.
    assert.equal((await readEditorLinesAsShown(page))[1], 'const doubled = [1, 2, 3].map((x) => x * 2)');
    console.log(`    screenshot: ${await screenshot(page, 'auto-closed-ghost')}`);
    await acceptGhostText(page);
    await saveActiveEditor(page);
    await waitForFileText(join(session.workspace, 'double.ts'), `${header}const doubled = [1, 2, 3].map((x) => x * 2)`);
    console.log(`    screenshot: ${await screenshot(page, 'auto-closed-accepted')}`);
  });
});
