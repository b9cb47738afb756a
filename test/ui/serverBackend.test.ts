// A team's switch to its inference server, as a user makes it in the Settings editor: the server
// settings are machine-scoped, so in code-server (a remote window) they live under the "Remote" tab;
// there the URL and model are typed and the "Backend" drop-down set to "server". The status bar then
// names the served model and the server, and typing "def quicksort(arr):" + Enter shows the ghost
// text that came from the server (a stand-in speaking Ollama's API, Inkling's engine behind it); from
// a slow server, its first line shows while it writes on, and grows into the whole body.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelEngine } from '../../src/model/host/modelEngine';
import { SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT, scriptKey, scriptText } from '../../tools/makeModel/successorScript';
import { acceptGhostText, saveActiveEditor, waitForCursorAt, waitForEditorTextToBe, waitForFileText, waitForGhostTextToBe, waitForLineAsShown } from '../harness/completionUi';
import { successorModel } from '../harness/testModel';
import { openUiSession, reportFailure } from '../harness/uiSession';
import { openFile, readEditorText, readGhostText, screenshot, typeText, waitForStatus } from '../../tools/vscode/workbench';
import type { UiSession } from '../harness/uiSession';
import type { Locator } from 'playwright-core';
import { engineSource } from '../support/engineSource';
import { startStandIn, type StandIn } from '../support/inferenceServer';
import { repoRoot } from '../../tools/repoRoot';

const SERVED_NAME = 'qwen2.5-coder:1.5b-base';
const FIRST_HEADER = `# ${scriptKey('def-body')}\n`;
const LATER_HEADER = `// ${scriptKey('callback-body')}\n`;

describe('UI: switching to an inference server', function () {
  this.timeout(300_000);
  let session: UiSession;
  let engine: ModelEngine;
  let server: StandIn;

  before(async () => {
    engine = new ModelEngine({ processEntry: join(repoRoot(), 'dist', 'modelProcess.js') });
    await engine.load({ model: await successorModel(), dtype: 'fp32', device: 'cpu', threads: 1, localOnly: true });
    server = await startStandIn({ dialect: 'ollama', models: [SERVED_NAME], source: engineSource(engine) });
    session = await openUiSession({
      files: { 'sort.py': '', 'slow.py': '', 'sudden.py': '', 'first.py': FIRST_HEADER, 'later.ts': LATER_HEADER },
      settings: { 'inkling.completion.temperature': 0 },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'server-backend', `server requests: ${JSON.stringify(server?.requests.map((r) => r.path))}`);
  });

  after(async () => {
    await session?.close();
    await server?.close();
    engine?.dispose();
  });

  it('the Settings editor\'s Backend drop-down switches to the server, and the status bar names it', async () => {
    const { page } = session;
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    assert.equal(server.requests.length, 0, 'the local backend talked to the server');
    await page.keyboard.press('Control+,');
    await page.locator('.settings-editor .settings-tabs-widget .action-label', { hasText: /^Remote/ }).click();
    await fillTextSetting(session, 'inkling.server.url', 'Url', server.url);
    await fillTextSetting(session, 'inkling.server.model', 'Model', SERVED_NAME);
    const backend = await findSetting(page, 'inkling.backend', 'Backend');
    await backend.locator('select.monaco-select-box').click();
    await page.locator('.monaco-select-box-dropdown-container .option-text', { hasText: /^server$/ }).click();
    // The server is asked for its models as soon as the backend is switched.
    await poll(() => server.requests.some((r) => r.path === '/v1/models'), 30_000, 'the server was never asked for /v1/models');
    console.log(`    screenshot: ${await screenshot(page, 'server-settings')}`);
    await closeSettings(page);
    const host = new URL(server.url).host;
    const tooltip = await poll(async () => {
      await page.locator('.statusbar [aria-label^="Inkling: ready"]').first().hover();
      const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Inkling' }).first();
      const text = await hover.innerText({ timeout: 5_000 }).catch(() => '');
      return text.includes(host) ? text : undefined;
    }, 30_000, 'the status bar tooltip never named the server');
    assert.match(tooltip, new RegExp(`Inkling: ready — ${SERVED_NAME.replace(/[.:]/g, '\\$&')} at ${host.replace(/\./g, '\\.')}`));
    console.log(`    screenshot: ${await screenshot(page, 'server-status')}`);
  });

  it('typing "def quicksort(arr):" and Enter shows the quicksort body the server sent', async () => {
    const { page } = session;
    await closeSettings(page);
    const before = server.requests.filter((r) => r.path === '/v1/completions').length;
    await openFile(page, 'sort.py');
    await typeText(page, 'def quicksort(arr):');
    await page.keyboard.press('Enter');
    await waitForEditorTextToBe(page, SUCCESSOR_FIM_PREFIX);
    await waitForGhostTextToBe(page, SUCCESSOR_FIM_TEXT);
    const sent = server.requests.filter((r) => r.path === '/v1/completions');
    assert.ok(sent.length > before, 'the ghost text did not come from the server');
    assert.ok(String(sent.at(-1)?.body?.prompt).includes(`<|fim_prefix|># sort.py\n${SUCCESSOR_FIM_PREFIX}<|fim_suffix|>`), String(sent.at(-1)?.body?.prompt));
    console.log(`    screenshot: ${await screenshot(page, 'server-ghost')}`);
  });

  it('a slow server: the ghost text shows its first line while the server writes on, then grows into the whole body', async () => {
    const { page } = session;
    await page.keyboard.press('Escape');
    await openFile(page, 'slow.py');
    server.setPieceDelay(250);
    try {
      await typeText(page, 'def quicksort(arr):');
      await page.keyboard.press('Enter');
      const firstLine = SUCCESSOR_FIM_TEXT.slice(0, SUCCESSOR_FIM_TEXT.indexOf('\n'));
      await waitForGhostTextToBe(page, firstLine, 30_000);
      assert.equal(server.open, 1, 'the server had already finished when the first line showed');
      console.log(`    screenshot: ${await screenshot(page, 'server-ghost-preview')}`);
      await waitForGhostTextToBe(page, SUCCESSOR_FIM_TEXT, 30_000);
      console.log(`    screenshot: ${await screenshot(page, 'server-ghost-grown')}`);
      assert.equal(await readEditorText(page), SUCCESSOR_FIM_PREFIX, 'the file changed while the ghost text grew');
    } finally {
      server.setPieceDelay(0);
    }
  });

  it('a slow server that sends the rest at once after the first line: the ghost text still grows into the whole body', async () => {
    // The whole completion lands while VS Code is still taking in the first line: asking it again
    // then must not be lost in that (it once was: the first line stayed shown).
    const { page } = session;
    await page.keyboard.press('Escape');
    await openFile(page, 'sudden.py');
    server.setPieceDelay((sent) => (sent.includes('\n') ? 0 : 250));
    try {
      await typeText(page, 'def quicksort(arr):');
      await page.keyboard.press('Enter');
      await waitForGhostTextToBe(page, SUCCESSOR_FIM_TEXT, 30_000);
      assert.equal(await readEditorText(page), SUCCESSOR_FIM_PREFIX, 'the file changed while the ghost text grew');
    } finally {
      server.setPieceDelay(0);
    }
  });

  it('a slow server, the editor\'s auto-closed ")" after the cursor: the first lines show over it while the server writes on, then the whole body; Tab leaves one ")"', async () => {
    const { page } = session;
    await page.keyboard.press('Escape');
    // Run alone (--grep), the editor must be ready before the typing: its language rules auto-close the ")".
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    await openFile(page, 'first.py');
    await page.keyboard.press('Control+End');
    server.setPieceDelay(400);
    try {
      await typeText(page, 'def first(items');
      await waitForEditorTextToBe(page, `${FIRST_HEADER}def first(items)`);
      // The first complete line retypes the editor's ")": shown over it, not beside it.
      await waitForLineAsShown(page, 1, 'def first(items):', 30_000);
      assert.equal(server.open, 1, 'the server had already finished when the first line showed');
      console.log(`    screenshot: ${await screenshot(page, 'server-ghost-preview-closers')}`);
      // Then the whole body below it: the ")" kept, the rest drawn after it and on the lines below.
      await waitForGhostTextToBe(page, scriptText('def-body').slice(1), 30_000);
      console.log(`    screenshot: ${await screenshot(page, 'server-ghost-grown-closers')}`);
      await acceptGhostText(page);
      await saveActiveEditor(page);
      await waitForFileText(join(session.workspace, 'first.py'), `${FIRST_HEADER}def first(items${scriptText('def-body')}`);
    } finally {
      server.setPieceDelay(0);
    }
  });

  it('a slow server, the editor\'s auto-closed ")" after the cursor: first lines that go before it show before it; Tab on them leaves the cursor inside, and the rest follows', async () => {
    const { page } = session;
    await page.keyboard.press('Escape');
    await openFile(page, 'later.ts');
    await page.keyboard.press('Control+End');
    server.setPieceDelay(400);
    try {
      await typeText(page, 'setTimeout(');
      await waitForEditorTextToBe(page, `${LATER_HEADER}setTimeout()`);
      // The first line, before the editor's ")" (merged into a line not yet whole it would misplace).
      await waitForGhostTextToBe(page, '() => {', 30_000);
      assert.equal(server.open, 1, 'the server had already finished when the first line showed');
      console.log(`    screenshot: ${await screenshot(page, 'server-ghost-preview-before-closer')}`);
      await acceptGhostText(page);
      // It went in before the ")": the cursor is inside the call, where the rest goes (the rest's ghost
      // text may already draw that ")" on its last line, so the status bar tells where the cursor is).
      await waitForCursorAt(page, 2, 'setTimeout(() => {'.length + 1);
      await pollGhost(page, (ghost) => ghost.includes('done();'), 'the rest of the callback never showed');
      await acceptGhostText(page);
      await saveActiveEditor(page);
      await waitForFileText(join(session.workspace, 'later.ts'), `${LATER_HEADER}setTimeout(${scriptText('callback-body')}`);
    } finally {
      server.setPieceDelay(0);
    }
  });
});

/** Waits until the ghost text meets `ok`. */
async function pollGhost(page: UiSession['page'], ok: (ghost: string) => boolean, message: string): Promise<string> {
  return poll(async () => {
    const ghost = await readGhostText(page);
    return ok(ghost) ? ghost : undefined;
  }, 30_000, message);
}

/** Types `key` into the Settings editor's search box, replacing what was there; returns the row titled `title`. */
async function findSetting(page: UiSession['page'], key: string, title: string): Promise<Locator> {
  await page.locator('.settings-editor .settings-header .suggest-input-container').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(key);
  const row = page.locator('.settings-editor .setting-item-contents').filter({ has: page.locator('.setting-item-label', { hasText: new RegExp(`^${title}$`) }) }).first();
  await row.waitFor({ timeout: 30_000 });
  return row;
}

/**
 * Types `value` into a text setting under the Remote tab and waits until VS Code has saved it in
 * Machine/settings.json. A search result list that re-renders while the text is typed takes the typing
 * with it (seen once in a slow fresh run: the URL never saved), so then it is typed again.
 */
async function fillTextSetting(session: UiSession, key: string, title: string, value: string): Promise<void> {
  const file = join(session.server.userDataDir, 'Machine', 'settings.json');
  const saved = (): true | undefined => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)[key] === value || undefined;
    } catch {
      return undefined; // not written yet, or caught mid-write
    }
  };
  for (let attempt = 1; !saved(); attempt++) {
    await (await findSetting(session.page, key, title)).locator('input').first().fill(value);
    if (await poll(saved, 5_000, `${key} saved`).then(() => true, () => false)) return;
    if (attempt === 3) throw new Error(`${key} was typed three times and never saved to ${file}`);
  }
}

/** Closes the Settings editor (a modal over the workbench in this VS Code), which takes the pointer while open. */
async function closeSettings(page: UiSession['page']): Promise<void> {
  const modal = page.locator('.monaco-modal-editor-block');
  for (let tries = 0; tries < 5 && (await modal.count()) > 0; tries++) {
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  }
  if ((await modal.count()) > 0) await page.locator('.monaco-modal-editor-block .codicon-close').first().click();
  await modal.waitFor({ state: 'detached', timeout: 10_000 });
}

async function poll<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
