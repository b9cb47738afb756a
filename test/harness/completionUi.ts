// Playwright helpers for ghost-text flows: wait for a given suggestion, accept it, save, and read the
// file back from disk (the truth, whatever the workbench still renders).
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { readEditorLinesAsShown, readEditorText, readGhostText } from '../../tools/vscode/workbench';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it returns `wanted`; fails naming the last value seen. */
async function pollFor<T>(read: () => Promise<T> | T, wanted: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last = await read();
  while (!wanted(last)) {
    if (Date.now() > end) throw new Error(`${what} within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
    await sleep(100);
    last = await read();
  }
  return last;
}

/** Waits until the ghost text after the cursor is exactly `expected` ('\n' between lines). */
export async function waitForGhostTextToBe(page: Page, expected: string, timeoutMs = 60_000): Promise<string> {
  return pollFor(() => readGhostText(page), (text) => text === expected, timeoutMs, 'the ghost text did not become the expected text');
}

/** Waits until line `index` (0-based) reads `expected` as shown, ghost text drawn in: a stale suggestion may show first. */
export async function waitForLineAsShown(page: Page, index: number, expected: string, timeoutMs = 30_000): Promise<string> {
  return pollFor(async () => (await readEditorLinesAsShown(page))[index], (line) => line === expected, timeoutMs, `line ${index + 1} did not show the expected text`);
}

/** Waits until the editor's text (ghost text left out) is exactly `expected`: a key pressed just before
 * may not have reached the editor's lines yet. */
export async function waitForEditorTextToBe(page: Page, expected: string, timeoutMs = 5_000): Promise<string> {
  return pollFor(() => readEditorText(page), (text) => text === expected, timeoutMs, 'the editor did not hold the expected text');
}

/** Waits until the status bar puts the cursor at `line` and `column` (1-based, as it shows them): ghost text drawn around the cursor cannot fool it. */
export async function waitForCursorAt(page: Page, line: number, column: number, timeoutMs = 5_000): Promise<string> {
  const item = page.locator('[id="status.editor.selection"]').first();
  return pollFor(() => item.innerText().catch(() => ''), (text) => text.trim() === `Ln ${line}, Col ${column}`, timeoutMs, `the cursor did not go to line ${line}, column ${column}`);
}

/** Accepts the shown ghost text with Tab, as a user would, and waits until it is gone from the cursor. */
export async function acceptGhostText(page: Page, timeoutMs = 10_000): Promise<void> {
  const before = await readGhostText(page);
  await page.keyboard.press('Tab');
  await pollFor(() => readGhostText(page), (text) => text !== before, timeoutMs, 'Tab did not accept the ghost text');
}

/**
 * Hides any ghost text, so a screenshot shows the file. A suggestion asked for just before Escape can
 * still arrive after it, so, as a user would, Escape is pressed again while one shows.
 */
export async function dismissGhostText(page: Page): Promise<void> {
  await pollFor(async () => {
    const text = await readGhostText(page);
    if (text !== '') await page.keyboard.press('Escape');
    return text;
  }, (text) => text === '', 5_000, 'Escape did not hide the ghost text');
}

/** Ctrl+S in the active editor, then waits for its tab to lose the unsaved-changes mark. */
export async function saveActiveEditor(page: Page, timeoutMs = 10_000): Promise<void> {
  await page.keyboard.press('Control+S');
  await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: timeoutMs });
}

/** Waits until the file on disk holds exactly `expected`. */
export async function waitForFileText(path: string, expected: string, timeoutMs = 10_000): Promise<string> {
  return pollFor(() => readFileSync(path, 'utf8'), (text) => text === expected, timeoutMs, `${path} did not hold the expected text`);
}
