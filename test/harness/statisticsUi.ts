// Playwright helpers for the statistics view: seed its file in the extension's global storage, read
// the page's tables and text, and switch the workbench's colour theme as a user does.
import type { Frame, Page } from 'playwright-core';
import type { StatisticsEvent } from '../../src/statistics/statisticsEvents';
import { STATISTICS_FILE, headerLine, serializeEvents } from '../../src/statistics/statisticsFile';
import { runCommand } from '../../tools/vscode/workbench';

export const STATISTICS_PANEL_TITLE = 'Inkling: Statistics';

/** The user-data file (for UiSessionOptions.userDataFiles) holding `events` as Inkling's statistics. */
export function seededStatistics(events: readonly StatisticsEvent[]): Record<string, string> {
  return { [`User/globalStorage/inkling-dev.inkling/${STATISTICS_FILE}`]: `${headerLine()}\n${serializeEvents(events)}` };
}

/** Picks a colour theme by its label (e.g. "Dark Modern") with "Preferences: Color Theme", as a user does. */
export async function pickColorTheme(page: Page, theme: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.fill(theme);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${theme}"]`).first().waitFor();
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

export interface StatisticsPanelView {
  title: string;
  overview: string;
  empty: boolean;
  recordingOff: boolean;
  /** Each table by id: its rows (header row first) as cell texts. */
  tables: Record<string, string[][]>;
  /** The text of each section by id. */
  sections: Record<string, string>;
  /** Canvas, image and SVG elements: what the charts drew (and that nothing else did). */
  canvases: number;
  /** Per section with a chart: whether the chart drew on a canvas of some size. */
  charts: Record<string, boolean>;
  images: number;
  /** Each script element: its src, or the start of its text (VS Code adds one of its own). */
  scripts: string[];
  bodyClass: string;
  titleWrites: string[] | undefined;
}

/** Reads the statistics panel's content frame (see workbench.webviewFrame). */
export async function readStatisticsPanel(frame: Frame): Promise<StatisticsPanelView> {
  return frame.evaluate(() => {
    const text = (selector: string) => document.querySelector(selector)?.textContent ?? '';
    const tables: Record<string, string[][]> = {};
    for (const table of Array.from(document.querySelectorAll('table'))) {
      tables[table.id] = Array.from(table.querySelectorAll('tr'), (row) => Array.from(row.children, (cell) => cell.textContent ?? ''));
    }
    const sections: Record<string, string> = {};
    for (const section of Array.from(document.querySelectorAll('section'))) sections[section.id] = (section as HTMLElement).innerText;
    return {
      title: text('#title'),
      overview: text('#overview'),
      empty: !(document.getElementById('empty') as HTMLElement | null)?.hidden,
      recordingOff: !(document.getElementById('recording-off') as HTMLElement | null)?.hidden,
      tables,
      sections,
      canvases: document.querySelectorAll('canvas').length,
      charts: Object.fromEntries(Array.from(document.querySelectorAll('section'))
        .filter((section) => section.querySelector('.chart'))
        .map((section) => {
          const canvas = section.querySelector<HTMLCanvasElement>('.chart canvas');
          return [section.id, Boolean(canvas && canvas.width > 100 && canvas.height > 100)];
        })),
      images: document.querySelectorAll('img, svg image, object, embed, iframe').length,
      scripts: Array.from(document.querySelectorAll('script'), (script) => script.src || `inline: ${(script.textContent ?? '').slice(0, 200)}`),
      bodyClass: document.body.className,
      titleWrites: (window as unknown as { __inklingTitleWrites?: string[] }).__inklingTitleWrites?.slice(),
    };
  });
}
