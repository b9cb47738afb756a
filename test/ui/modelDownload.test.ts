// A first start with a hub model: the packaged Inkling downloads it (from a slow local stand-in for the
// hub) with a progress notification naming the model and the status bar's percent, then says ready.
import * as assert from 'node:assert/strict';
import { startHub, type HubServer } from '../support/hubServer';
import { ensureTestModel } from '../../tools/makeModel/modelCache';
import { openUiSession, reportFailure, type UiSession } from '../harness/uiSession';
import { screenshot, waitForStatus } from '../../tools/vscode/workbench';

const REPO = 'inkling-test/successor';

describe('UI: downloading a hub model', function () {
  this.timeout(300_000);
  let hub: HubServer;
  let session: UiSession;

  before(async () => {
    // 64 KiB every 150 ms: the ~1 MB model takes a few seconds, long enough to watch.
    hub = await startHub({ [REPO]: await ensureTestModel('successor', 'fp32') }, { chunkDelayMs: 150 });
    session = await openUiSession({ machineSettings: { 'inkling.model.id': REPO, 'inkling.model.hubUrl': hub.url } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'download', `hub: ${hub.requests.join(', ')}`);
  });

  after(async () => {
    await session?.close();
    await hub?.close();
  });

  it('shows a progress notification naming the model while it downloads, then reaches ready', async () => {
    const { page } = session;
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `downloading ${REPO}` }).first();
    await toast.waitFor({ state: 'visible', timeout: 120_000 });
    // The first message may name a file before its bytes flow; a percent follows.
    const withPercent = /downloading inkling-test\/successor: \S+ \d+%/;
    let text = await toast.innerText();
    for (const end = Date.now() + 60_000; !withPercent.test(text) && Date.now() < end; text = await toast.innerText()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(text, withPercent);
    console.log(`    screenshot: ${await screenshot(page, 'model-download')}`);
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 120_000), 'Inkling: ready');
    assert.ok(hub.requests.some((r) => r.endsWith('/onnx/model_quantized.onnx') || r.endsWith('/onnx/model.onnx')), hub.requests.join(', '));
    await toast.waitFor({ state: 'hidden', timeout: 10_000 });
  });
});
