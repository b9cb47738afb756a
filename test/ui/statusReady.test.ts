// The packaged .vsix, installed into a fresh code-server like a user would, loads the successor model
// from the workspace setting: the status bar item ends up labelled "Inkling: ready".
import * as assert from 'node:assert/strict';
import { openUiSession, reportFailure } from '../harness/uiSession';
import { screenshot, waitForStatus } from '../../tools/vscode/workbench';
import type { UiSession } from '../harness/uiSession';

describe('UI: the installed extension', function () {
  this.timeout(240_000);
  let session: UiSession;

  before(async () => {
    session = await openUiSession();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'status-ready');
  });

  after(async () => {
    await session?.close();
  });

  it('shows an Inkling status bar item', async () => {
    await session.page.locator('.statusbar [aria-label^="Inkling: "]').first().waitFor({ timeout: 60_000 });
    const item = session.page.locator('.statusbar .statusbar-item', { hasText: 'Inkling' });
    assert.ok((await item.count()) > 0, 'no status bar item whose text contains "Inkling"');
  });

  it('reaches "Inkling: ready" with the successor model', async () => {
    const seen = await waitForStatus(session.page, ['Inkling: ready', 'Inkling: error'], 180_000);
    assert.equal(seen, 'Inkling: ready', `the model did not load: ${session.consoleLines.filter((l) => l.includes('Inkling')).join('\n')}`);
    // The tooltip says it in words, with the model: hover so the screenshot shows it too.
    await session.page.locator('.statusbar [aria-label^="Inkling: ready"]').first().hover();
    const hover = session.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Inkling' }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await hover.innerText(), new RegExp(`Inkling: ready — .*${session.model.split('/').pop()}`));
    const path = await screenshot(session.page, 'status-ready');
    console.log(`    screenshot: ${path}`);
  });
});
