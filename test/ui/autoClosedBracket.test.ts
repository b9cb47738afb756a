// The auto-closed bracket, as a user meets it (issue 8): typing `.map(` makes the editor add `)`; the
// ghost text that comes writes its own `)`, and Tab leaves exactly one. And a suggestion the user
// starts typing with its `(` stays, the editor's `)` replaced by the suggestion's own. The file on
// disk is the proof.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { scriptKey, type SuccessorScriptName } from '../../tools/makeModel/successorScript';
import { acceptGhostText, saveActiveEditor, waitForEditorTextToBe, waitForFileText, waitForLineAsShown } from '../harness/completionUi';
import { openUiSession, reportFailure, type UiSession } from '../harness/uiSession';
import { openFile, screenshot, typeText, waitForGhostText, waitForStatus } from '../../tools/vscode/workbench';

const header = (script: SuccessorScriptName) => `// ${scriptKey(script)}\n`;

describe('UI: ghost text inside an auto-closed bracket', function () {
  this.timeout(300_000);
  let session: UiSession | undefined;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'auto-closed');
    await session?.close();
    session = undefined;
  });

  /** A session with `file` holding the script's key, ready, the cursor at the file's end. */
  async function openAtEnd(file: string, script: SuccessorScriptName, settings: Record<string, unknown> = {}) {
    // The test model writes its script wherever it is asked; a debounce above the typing's gaps keeps
    // it from being asked before the typing stops (a suggestion from mid-word would be served on).
    session = await openUiSession({ files: { [file]: header(script) }, settings: { 'inkling.completion.temperature': 0, 'inkling.completion.debounceMs': 1000, ...settings } });
    const { page } = session;
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    await openFile(page, file);
    await page.keyboard.press('Control+End');
    return { page, workspace: session.workspace };
  }

  it('after typing "[1, 2, 3].map(" the ghost text fills the parentheses and Tab leaves one ")"', async () => {
    const { page, workspace } = await openAtEnd('double.ts', 'map-call');
    await typeText(page, 'const doubled = [1, 2, 3].map(');
    // The editor auto-closed the bracket.
    await waitForEditorTextToBe(page, `${header('map-call')}const doubled = [1, 2, 3].map()`);
    await waitForGhostText(page);
    // VS Code draws the suggestion around the `)` it keeps: compare the line as shown.
    await waitForLineAsShown(page, 1, 'const doubled = [1, 2, 3].map((x) => x * 2)');
    console.log(`    screenshot: ${await screenshot(page, 'auto-closed-ghost')}`);
    await acceptGhostText(page);
    await saveActiveEditor(page);
    await waitForFileText(join(workspace, 'double.ts'), `${header('map-call')}const doubled = [1, 2, 3].map((x) => x * 2)`);
    console.log(`    screenshot: ${await screenshot(page, 'auto-closed-accepted')}`);
  });

  it('a suggestion the user starts with its "(" stays shown inside the auto-closed parentheses, and Tab leaves one ")"', async () => {
    const { page, workspace } = await openAtEnd('save.ts', 'log-call');
    await typeText(page, 'console.log');
    await waitForLineAsShown(page, 1, 'console.log("saved it");');
    await typeText(page, '(');
    await waitForEditorTextToBe(page, `${header('log-call')}console.log()`);
    // The rest of the same suggestion, the editor's `)` replaced by its own: not asked again, not doubled.
    await waitForLineAsShown(page, 1, 'console.log("saved it");');
    console.log(`    screenshot: ${await screenshot(page, 'auto-closed-typed-along')}`);
    await acceptGhostText(page);
    await saveActiveEditor(page);
    await waitForFileText(join(workspace, 'save.ts'), `${header('log-call')}console.log("saved it");`);
  });

  it('a block suggestion the user starts with "{" and Enter stays shown above the "}" the editor moved down, and Tab leaves one "}"', async () => {
    // A block after `if (ready) ` is more than one line: let it be, to type along it.
    const { page, workspace } = await openAtEnd('start.ts', 'block-body', { 'inkling.completion.multiline': 'always' });
    await typeText(page, 'if (ready) ');
    await waitForLineAsShown(page, 1, 'if (ready) {');
    await typeText(page, '{');
    await page.keyboard.press('Enter');
    await waitForEditorTextToBe(page, `${header('block-body')}if (ready) {\n    \n}`);
    // The rest of the same suggestion, over the `}` Enter moved to a line below: not asked again, not doubled.
    await waitForLineAsShown(page, 2, '    start();');
    console.log(`    screenshot: ${await screenshot(page, 'auto-closed-block')}`);
    await acceptGhostText(page);
    await saveActiveEditor(page);
    await waitForFileText(join(workspace, 'start.ts'), `${header('block-body')}if (ready) {\n    start();\n}`);
  });
});
