// Playwright helpers for driving the VS Code workbench like a user (selectors measured on VS Code 1.139).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { artifactPath } from './installedTools';
import type { Frame, Page } from 'playwright-core';

/** The editor of the focused editor group (with an Explain panel beside it there are two groups). */
const activeEditor = '.editor-group-container.active .monaco-editor';

/** Waits until the workbench is up and (with the smoke-test driver) has restored its editors and views. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  await page.evaluate(async () => {
    const driver = (window as unknown as { driver?: { whenWorkbenchRestored(): Promise<void> } }).driver;
    await driver?.whenWorkbenchRestored();
  });
}

/**
 * Waits for a status bar entry whose accessibility label starts with one of `labels` (e.g. "Inkling: ready")
 * and returns that entry's label; pass the failure states too so a test fails fast instead of timing out.
 */
export async function waitForStatus(page: Page, labels: string | string[], timeoutMs = 120_000): Promise<string> {
  const selector = (Array.isArray(labels) ? labels : [labels]).map((label) => `.statusbar [aria-label^="${label}"]`).join(', ');
  const item = page.locator(selector).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await item.getAttribute('aria-label')) ?? '';
}

/** The accessibility label of the status bar entry starting with `prefix` (for failure messages). */
export async function statusLabel(page: Page, prefix: string): Promise<string | null> {
  const item = page.locator(`.statusbar [aria-label^="${prefix}"]`).first();
  return (await item.count()) > 0 ? item.getAttribute('aria-label') : null;
}

/**
 * Where the keyboard is and what floats over the editor, for a failure report: VS Code stops asking
 * for ghost text when focus leaves the editor, and a widget may cover it.
 */
export async function describeFocus(page: Page): Promise<string> {
  return page.evaluate((editorSelector) => {
    const active = document.activeElement;
    const where = active?.closest(editorSelector) ? 'the active editor'
      : active?.closest('.quick-input-widget') ? 'the quick input'
        : active?.closest('.notifications-toasts, .notifications-center') ? 'a notification'
          : `${active?.tagName.toLowerCase() ?? 'nothing'}${active?.className ? `.${String(active.className).split(' ').join('.')}` : ''}`;
    const visible = (selector: string) => Array.from(document.querySelectorAll(selector)).filter((e) => (e as HTMLElement).offsetParent !== null);
    const widgets = [
      visible('.suggest-widget.visible').length ? 'the suggest list' : '',
      visible('.parameter-hints-widget.visible').length ? 'parameter hints' : '',
      visible('.monaco-hover:not(.hidden)').length ? 'a hover' : '',
      ...visible('.notification-toast').map((t) => `toast "${(t.textContent ?? '').slice(0, 120)}"`),
    ].filter(Boolean);
    return `page ${document.hasFocus() ? 'has' : 'lacks'} focus; keyboard in ${where}; shown: ${widgets.join(', ') || 'no widget'}`;
  }, activeEditor);
}

/** Opens a top-level workspace file from the Explorer (double-click: pinned, focused) and waits for its editor to have focus. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+Shift+E');
  await page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).dblclick();
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor();
  await page.waitForFunction((selector) => (document.activeElement?.closest(selector) ?? null) !== null, activeEditor);
  await waitForIdleWindow(page);
}

/**
 * Waits for the browser's first idle moment. VS Code makes an editor's inline-suggestion controller
 * only then (or 5 s on): keys typed into a new editor before it exists ask for no ghost text at all,
 * and nothing asks again until the next key. Idle callbacks run in order, so VS Code's comes first.
 */
export async function waitForIdleWindow(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 10_000 })));
}

/** Puts the cursor at line/column (1-based) with Go to Line. */
export async function goToLine(page: Page, line: number, column = 1): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  // The ":" prefix makes the quick input go to a line; without it, it searches files.
  await input.fill(`:${line}:${column}`);
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

export async function typeText(page: Page, text: string, delayMs = 30): Promise<void> {
  await page.keyboard.type(text, { delay: delayMs });
}

/** Ghost text now shown after the cursor: the cursor line's tokens plus any preview lines below it. */
export async function readGhostText(page: Page): Promise<string> {
  return page.locator(activeEditor).first().evaluate((editor) => {
    const cursorLine = Array.from(editor.querySelectorAll('.view-lines .ghost-text-decoration')).map((span) => span.textContent ?? '').join('');
    // Lines below the cursor sit in a view zone, one .view-line each (split into spans by highlighting).
    const below = Array.from(editor.querySelectorAll('.view-zones .suggest-preview-text .view-line'))
      .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
      .map((line) => line.textContent ?? '');
    return [cursorLine, ...below].join('\n').replace(/\u00a0/g, ' ');
  });
}

/** Waits until some ghost text shows and returns it. */
export async function waitForGhostText(page: Page, timeoutMs = 30_000): Promise<string> {
  await page.locator(`${activeEditor} .ghost-text-decoration`).first().waitFor({ timeout: timeoutMs });
  return readGhostText(page);
}

/** The editor's visible text without ghost text (what the file would hold). */
export async function readEditorText(page: Page): Promise<string> {
  return page.locator(`${activeEditor} .view-lines`).first().evaluate((lines) => {
    const copy = lines.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('[class*=ghost-text]').forEach((node) => node.remove());
    return Array.from(copy.querySelectorAll('.view-line'))
      .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n');
  });
}

/** The editor's lines as the user sees them, ghost text included (VS Code may show a suggestion that
 * replaces text as pieces around the characters it keeps, so the whole line is what to compare). */
export async function readEditorLinesAsShown(page: Page): Promise<string[]> {
  return page.locator(`${activeEditor} .view-lines`).first().evaluate((lines) => Array.from(lines.querySelectorAll('.view-line'))
    .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
    .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')));
}

/** Runs a command by its palette title (e.g. "Inkling: Explain Selection"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`).first().click();
}

/** Right-clicks the active editor's selection (or its cursor) and picks `label` from the context menu. */
export async function editorContextMenu(page: Page, label: string): Promise<void> {
  const editor = page.locator(activeEditor).first();
  // A right-click outside the selection would move the cursor and drop the selection.
  const selection = editor.locator('.selected-text').first();
  const target = (await selection.count()) > 0 ? selection : editor.locator('.cursor').first();
  // Both are decorations under the text layer, which takes the pointer: click at their place instead.
  const box = await target.boundingBox();
  if (!box) throw new Error('the active editor shows neither a selection nor a cursor');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
  await page.locator(`.monaco-menu .action-label:text-is("${label}")`).click();
}

/** The content frame of the webview editor whose tab title contains `title`. */
export async function webviewFrame(page: Page, title: string, timeoutMs = 30_000): Promise<Frame> {
  await page.locator(`.tabs-container .tab[aria-label*="${title}"]`).waitFor({ timeout: timeoutMs });
  const outer = await (await page.waitForSelector('iframe.webview', { timeout: timeoutMs })).contentFrame();
  if (!outer) throw new Error('webview iframe has no frame');
  // The webview host page loads the extension's HTML into a nested iframe.
  const inner = await (await outer.waitForSelector('iframe', { timeout: timeoutMs })).contentFrame();
  if (!inner) throw new Error('webview content frame missing');
  return inner;
}

/** Saves `.test-artifacts/ui/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = artifactPath('ui', `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path });
  return path;
}
