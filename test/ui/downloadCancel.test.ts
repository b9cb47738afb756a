// A download the user changes their mind about: the notification's Cancel stops it at once and leaves
// no partial file (and no error), "Inkling: Load Model" starts it again, and "Inkling: Clear Model
// Cache" lists the downloaded model with its size and deletes it when picked; a local model folder
// then loads without any download notification — all as a user sees it.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHub, type HubServer } from '../support/hubServer';
import { ensureTestModel } from '../../tools/makeModel/modelCache';
import { openUiSession, reportFailure, type UiSession } from '../harness/uiSession';
import { runCommand, screenshot, waitForStatus } from '../../tools/vscode/workbench';

const REPO = 'inkling-test/successor';
const TOASTS = '.notifications-toasts .notification-toast';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('UI: cancelling a model download, and clearing the model cache', function () {
  this.timeout(300_000);
  let hub: HubServer;
  let session: UiSession;
  const modelsDir = () => join(session.server.userDataDir, 'User', 'globalStorage', 'inkling-dev.inkling', 'models');
  const inklingToasts = async () => (await session.page.locator(`${TOASTS} .notification-list-item-message`).allInnerTexts()).filter((m) => m.includes('Inkling'));

  before(async () => {
    // 64 KiB every 400 ms: the model file takes about four seconds, time enough to press Cancel.
    hub = await startHub({ [REPO]: await ensureTestModel('successor', 'fp32') }, { chunkDelayMs: 400 });
    session = await openUiSession({ machineSettings: { 'inkling.model.id': REPO, 'inkling.model.hubUrl': hub.url } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'download-cancel', `hub: ${hub.requests.join(', ')}\nfiles: ${filesUnder(modelsDir()).join(', ')}`);
  });

  after(async () => {
    await session?.close();
    await hub?.close();
  });

  it('Cancel on the download notification stops the download, says nothing alarming, and leaves no partial file', async () => {
    const { page } = session;
    const toast = page.locator(TOASTS, { hasText: `downloading ${REPO}` }).first();
    await toast.waitFor({ state: 'visible', timeout: 120_000 });
    // Press Cancel while the weights are on their way.
    for (const end = Date.now() + 60_000; !/onnx\/model\.onnx \d+%/.test(await toast.innerText()) && Date.now() < end;) await page.waitForTimeout(50);
    await toast.hover();
    await toast.getByRole('button', { name: 'Cancel' }).click();
    await toast.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.equal(await waitForStatus(page, ['Inkling: idle', 'Inkling: error', 'Inkling: ready'], 30_000), 'Inkling: idle');
    await page.waitForTimeout(1000);
    assert.deepEqual(await inklingToasts(), [], 'a message after the user cancelled');
    const left = filesUnder(modelsDir()).filter((f) => /\.partial|\.tmp\.|inkling-lock|inkling-tmp/.test(f) || f.endsWith('model.onnx'));
    assert.deepEqual(left, []);
    console.log(`    screenshot: ${await screenshot(page, 'download-cancelled')}`);
  });

  it('"Inkling: Load Model" downloads it again, to ready', async () => {
    await runCommand(session.page, 'Inkling: Load Model');
    assert.equal(await waitForStatus(session.page, ['Inkling: ready', 'Inkling: error'], 120_000), 'Inkling: ready');
    assert.ok(existsSync(join(modelsDir(), 'inkling-test', 'successor', 'onnx', 'model.onnx')));
  });

  it('"Inkling: Clear Model Cache" lists the model with its size and deletes it when picked', async () => {
    const { page } = session;
    const folder = join(modelsDir(), 'inkling-test', 'successor');
    const bytes = filesUnder(folder).reduce((sum, f) => sum + statSync(f).size, 0);
    // As the list writes sizes: MB from a million bytes, kB below.
    const size = bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
    await runCommand(page, 'Inkling: Clear Model Cache');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: REPO }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    const label = await row.innerText();
    assert.match(label, new RegExp(`${size.replace('.', '\\.')} · in use`), label);
    console.log(`    screenshot: ${await screenshot(page, 'clear-model-cache')}`);
    await row.click();
    await page.keyboard.press('Enter');
    const done = page.locator(TOASTS, { hasText: `Inkling deleted ${REPO} (${size} freed).` }).first();
    await done.waitFor({ state: 'visible', timeout: 10_000 });
    assert.ok(!existsSync(folder), 'the model folder is still there');
  });

  it('loads a local model folder with no download notification', async () => {
    const { page } = session;
    // What "Use a local model folder…" writes: the machine's settings (code-server reads them from Machine/).
    writeFileSync(join(session.server.userDataDir, 'Machine', 'settings.json'), JSON.stringify({ 'inkling.model.id': session.model, 'inkling.model.dtype': 'fp32' }));
    const seen = new Set<string>();
    for (const end = Date.now() + 60_000; Date.now() < end;) {
      for (const message of await inklingToasts()) seen.add(message);
      const status = page.locator('.statusbar [aria-label^="Inkling: ready"]').first();
      if ((await status.count()) > 0) {
        await status.hover();
        const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Inkling' }).first();
        if ((await hover.count()) > 0 && (await hover.innerText()).includes(session.model.split('/').pop()!)) break;
      }
      await page.waitForTimeout(50);
    }
    assert.match(await page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Inkling' }).first().innerText(), new RegExp(session.model.split('/').pop()!));
    assert.deepEqual([...seen].filter((m) => /download/i.test(m)), [], 'a download notification for a local folder');
    assert.deepEqual((await page.locator(TOASTS, { hasText: 'downloading' }).allInnerTexts()), []);
  });
});
