// A device onnxruntime does not offer on this platform (DirectML on Linux): the packaged Inkling says so
// in one warning toast naming the device, the platform and the CPU it uses instead, and still loads.
import * as assert from 'node:assert/strict';
import { openUiSession, reportFailure } from '../harness/uiSession';
import { screenshot, waitForStatus } from '../../tools/vscode/workbench';
import type { UiSession } from '../harness/uiSession';

const WARNING = `Inkling: inkling.model.device is dml, which onnxruntime does not offer on ${process.platform}-${process.arch}; using cpu.`;

describe('UI: a device this platform does not offer', function () {
  this.timeout(300_000);
  let session: UiSession;

  before(async function () {
    if (process.platform === 'win32') this.skip();
    // A machine setting: it lives in the user's (Remote) settings, never in a workspace.
    session = await openUiSession({ machineSettings: { 'inkling.model.device': 'dml' } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'device-fallback');
  });

  after(async () => {
    await session?.close();
  });

  it('shows one warning toast that dml is not offered here and cpu is used, and the model loads', async () => {
    const { page } = session;
    const messages = page.locator('.notifications-toasts .notification-toast .notification-list-item-message');
    // The warning comes with the first load, before "ready": wait for it first, so it cannot time out unseen.
    await messages.filter({ hasText: 'inkling.model.device' }).first().waitFor({ state: 'visible', timeout: 120_000 });
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    const ours = (await messages.allInnerTexts()).filter((text) => text.includes('inkling.model.device'));
    assert.deepEqual(ours, [WARNING]);
    console.log(`    screenshot: ${await screenshot(page, 'device-fallback')}`);
  });
});
