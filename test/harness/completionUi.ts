// Playwright helpers for ghost-text flows: wait for a given suggestion, accept it, save, and read the
// file back from disk (the truth, whatever the workbench still renders).
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

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

/**
 * The ghost text after the cursor, '\n' between lines: the cursor line's ghost spans, then each line of
 * the preview zone below it. Syntax highlighting splits a line into many spans; only lines separate.
 */
export async function readGhostLines(page: Page): Promise<string> {
  return page.locator('.editor-instance .monaco-editor').first().evaluate((editor) => {
    const cursorLine = Array.from(editor.querySelectorAll('.view-lines .ghost-text-decoration')).map((span) => span.textContent ?? '').join('');
    const below = Array.from(editor.querySelectorAll('.view-zones .suggest-preview-text .view-line'))
      .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
      .map((line) => line.textContent ?? '');
    return [cursorLine, ...below].join('\n').replace(/\u00a0/g, ' ');
  });
}

/** Waits until the ghost text after the cursor is exactly `expected` ('\n' between lines). */
export async function waitForGhostTextToBe(page: Page, expected: string, timeoutMs = 60_000): Promise<string> {
  return pollFor(() => readGhostLines(page), (text) => text === expected, timeoutMs, 'the ghost text did not become the expected text');
}

/** Accepts the shown ghost text with Tab, as a user would, and waits until it is gone from the cursor. */
export async function acceptGhostText(page: Page, timeoutMs = 10_000): Promise<void> {
  const before = await readGhostLines(page);
  await page.keyboard.press('Tab');
  await pollFor(() => readGhostLines(page), (text) => text !== before, timeoutMs, 'Tab did not accept the ghost text');
}

/** Hides any ghost text (a new suggestion may appear after accepting), so a screenshot shows the file. */
export async function dismissGhostText(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await pollFor(() => readGhostLines(page), (text) => text === '', 5_000, 'Escape did not hide the ghost text');
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
