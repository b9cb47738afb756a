// Playwright helpers for "Explain Selection" in the workbench: select lines, pick the command from the
// editor's context menu, read the explanation webview, and watch every frame's document.title so a
// payload that ran (onerror="document.title='pwned'") is caught even if it was undone afterwards.
import { goToLine } from '../../tools/vscode/workbench';
import type { Frame, Page } from 'playwright-core';

export const EXPLAIN_PANEL_TITLE = 'Inkling: Explanation';

/** The label VS Code shows in the editor context menu: the title, with or without its category. */
const EXPLAIN_MENU_LABEL = /^(Inkling: )?Explain Selection$/;

/** Selects lines first..last (1-based, inclusive) in the focused editor, to the end of the last one. */
export async function selectLines(page: Page, first: number, last: number): Promise<void> {
  await goToLine(page, first, 1);
  for (let line = first; line < last; line++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
}

/**
 * Right-clicks inside the focused editor's selection (so it is kept), just before its end where the
 * cursor keeps it in view, and picks Explain Selection; returns the menu label that was clicked.
 */
export async function explainFromContextMenu(page: Page): Promise<string> {
  // The focused editor's: another editor (an earlier test's, beside the panel) may show a selection too.
  // The selection is a decoration under the text layer, which takes the pointer: click at its place.
  // It is painted on the next animation frame after the keys that made it: wait for it, do not just look.
  const selection = page.locator('.editor-group-container.active .monaco-editor .selected-text').last();
  await selection.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
  const box = await selection.boundingBox();
  if (!box) throw new Error('the focused editor shows no selection');
  await page.mouse.click(box.x + Math.max(1, box.width - 8), box.y + box.height / 2, { button: 'right' });
  const item = page.locator('.monaco-menu .action-label').filter({ hasText: EXPLAIN_MENU_LABEL }).first();
  await item.waitFor({ timeout: 10_000 });
  const label = (await item.textContent()) ?? '';
  // A click landing while the menu is still opening is sometimes ignored (seen once in three runs):
  // click again while the menu stays open. A click that worked closes it, so nothing runs twice.
  for (let attempt = 1; ; attempt++) {
    await item.click();
    const closed = await item.waitFor({ state: 'detached', timeout: 2_000 }).then(() => true, () => false);
    if (closed) return label;
    if (attempt === 3) throw new Error(`the context menu stayed open after ${attempt} clicks on "${label}"`);
  }
}

/** From now on, every frame the page opens records each value assigned to document.title. */
export async function watchDocumentTitles(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const record: string[] = [];
    (window as unknown as { __inklingTitleWrites?: string[] }).__inklingTitleWrites = record;
    const title = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
    const { get, set } = title ?? {};
    if (!get || !set) return;
    Object.defineProperty(Document.prototype, 'title', {
      configurable: true,
      get,
      set(value: string) {
        record.push(String(value));
        set.call(this, value);
      },
    });
  });
}

export interface FrameTitles {
  url: string;
  title: string;
  /** Undefined when the watcher is not installed in that frame. */
  writes: string[] | undefined;
}

/** document.title and its recorded writes in every frame of the page (frames that vanish are skipped). */
export async function frameTitles(page: Page): Promise<FrameTitles[]> {
  const all: FrameTitles[] = [];
  for (const frame of page.frames()) {
    const seen = await frame
      .evaluate(() => ({ title: document.title, writes: (window as unknown as { __inklingTitleWrites?: string[] }).__inklingTitleWrites }))
      .catch(() => undefined);
    if (seen) all.push({ url: frame.url(), title: seen.title, writes: seen.writes ? [...seen.writes] : undefined });
  }
  return all;
}

export interface ExplainPanelView {
  file: string;
  range: string;
  status: string;
  /** What the reader sees in the answer area. */
  contentText: string;
  listItems: string[];
  strong: string[];
  /** <img> elements anywhere in the panel's document. */
  images: number;
  /** Which toolbar buttons are disabled. */
  disabled: { stop: boolean; copy: boolean; insert: boolean };
  title: string;
  titleWrites: string[] | undefined;
}

/** Reads the explanation panel's content frame (see workbench.webviewFrame). */
export async function readExplainPanel(frame: Frame): Promise<ExplainPanelView> {
  return frame.evaluate(() => {
    const text = (selector: string) => document.querySelector(selector)?.textContent ?? '';
    const all = (selector: string) => Array.from(document.querySelectorAll(selector), (node) => node.textContent ?? '');
    return {
      file: text('#file'),
      range: text('#range'),
      status: text('#status'),
      contentText: (document.getElementById('content') as HTMLElement | null)?.innerText ?? '',
      listItems: all('#content li'),
      strong: all('#content strong'),
      images: document.querySelectorAll('img').length,
      disabled: {
        stop: Boolean(document.querySelector<HTMLButtonElement>('#stop')?.disabled),
        copy: Boolean(document.querySelector<HTMLButtonElement>('#copy')?.disabled),
        insert: Boolean(document.querySelector<HTMLButtonElement>('#insert')?.disabled),
      },
      title: document.title,
      titleWrites: (window as unknown as { __inklingTitleWrites?: string[] }).__inklingTitleWrites?.slice(),
    };
  });
}
