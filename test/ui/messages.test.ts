// The messages a user sees, read from the notification toasts as the user reads them (the UI layer
// runs without VS Code's smoke-test driver, which would hide them): a failure is shown again when it
// happens again after a settings change, several bad settings are one warning, and a model folder
// copied in after a failed load makes Inkling ready by itself.
import * as assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openUiSession, reportFailure, type UiSession } from '../harness/uiSession';
import { screenshot, waitForStatus } from '../../tools/vscode/workbench';

const toastMessages = '.notifications-toasts .notification-toast .notification-list-item-message';

/** The visible toasts' texts that mention `text`. */
async function toastsWith(page: Page, text: string): Promise<string[]> {
  return (await page.locator(toastMessages).allInnerTexts()).filter((message) => message.includes(text));
}

async function waitForToast(page: Page, text: string, timeoutMs = 60_000): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return toast.locator('.notification-list-item-message').innerText();
}

/** Closes every visible toast, as a user clicking their ✕, so the next one is plainly new. */
async function closeToasts(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  for (const close of await page.locator('.notifications-toasts .notification-toast .codicon-notifications-clear').all()) {
    await close.click().catch(() => undefined);
  }
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
}

/**
 * Rewrites the settings file that holds Inkling's model settings, as a user editing it would: they are
 * machine settings, which code-server keeps in the server's Machine/settings.json (the Settings
 * editor's *Remote* tab). VS Code picks the change up from the file.
 */
function editMachineSettings(session: UiSession, change: (settings: Record<string, unknown>) => void): void {
  const file = join(session.server.userDataDir, 'Machine', 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(settings);
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

describe('UI: messages the user sees', function () {
  this.timeout(300_000);
  let session: UiSession | undefined;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, `messages-${this.currentTest.title.slice(0, 24).replace(/\W+/g, '-')}`);
    await session?.close();
    session = undefined;
  });

  it('a model that cannot be found is said once, said again after the setting changes, and heals when its folder appears', async () => {
    session = await openUiSession();
    const { page } = session;
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    const missingA = join(session.workspace, 'models', 'a');
    const missingB = join(session.workspace, 'models', 'b');

    editMachineSettings(session, (s) => (s['inkling.model.id'] = missingA));
    const first = await waitForToast(page, missingA);
    assert.match(first, /^Inkling could not find the model .*models\/a: the folder .* does not exist\. Check the inkling\.model\.id setting\.$/);
    await waitForStatus(page, 'Inkling: error', 30_000);
    assert.equal((await toastsWith(page, missingA)).length, 1, 'one message for one failure');
    await closeToasts(page);

    editMachineSettings(session, (s) => (s['inkling.model.id'] = missingB));
    await waitForToast(page, missingB);
    await closeToasts(page);

    // The same failure as before, but a new episode: the user set it again, so it is news again.
    editMachineSettings(session, (s) => (s['inkling.model.id'] = missingA));
    assert.equal(await waitForToast(page, missingA), first);
    console.log(`    screenshot: ${await screenshot(page, 'messages-model-missing')}`);

    cpSync(session.model, missingA, { recursive: true });
    assert.equal(await waitForStatus(page, 'Inkling: ready', 60_000), 'Inkling: ready');
  });

  it('five bad setting values at once are one warning that names each, the value given and the value used', async () => {
    session = await openUiSession();
    const { page } = session;
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    editMachineSettings(session, (s) => {
      s['inkling.model.dtype'] = 'q3';
      s['inkling.completion.topP'] = null;
      s['inkling.completion.temperature'] = 'hot';
      s['inkling.completion.multiline'] = 'sometimes';
      s['inkling.explain.maxInputTokens'] = 'many';
    });
    const warning = await waitForToast(page, 'settings have bad values');
    const aboutSettings = (await page.locator(toastMessages).allInnerTexts()).filter((m) => m.includes('inkling.'));
    assert.equal(aboutSettings.length, 1, `messages about settings: ${JSON.stringify(aboutSettings)}`);
    assert.match(warning, /^Inkling: 5 settings have bad values:/);
    for (const expected of [
      'Setting inkling.model.dtype must be one of fp32, fp16, q8, q4 (got "q3"); using its last valid value "fp32".',
      'Setting inkling.completion.topP is null; using its last valid value 0.95.',
      'Setting inkling.completion.temperature must be a number between 0 and 2 (got "hot"); using its last valid value 0.1.',
      'Setting inkling.completion.multiline must be one of auto, always, never (got "sometimes"); using its last valid value "auto".',
      'Setting inkling.explain.maxInputTokens must be a number between 64 and 32768 (got "many"); using its last valid value 2048.',
    ]) assert.ok(warning.includes(expected), `missing from the warning: ${expected}\nwarning: ${warning}`);
    console.log(`    screenshot: ${await screenshot(page, 'messages-bad-settings')}`);
    // The model keeps its fp32 weights: still ready, no error.
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 10_000), 'Inkling: ready');
  });
});
