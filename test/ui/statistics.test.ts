// A user's statistics, end to end: the packaged Inkling in code-server with the successor model, and
// a statistics file from yesterday whose model name and language id are markup. Ghost text accepted
// with Tab (twice), taken word by word (Ctrl+Right) and dismissed (Escape) shows up in "Inkling: Show
// Statistics" as the file records it; the names stay inert text; light and dark themes; the status
// bar's tooltip has today's line; Export as CSV writes the events; Reset empties the view and file.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUCCESSOR_FIM_TEXT, SUCCESSOR_HOSTILE_PAYLOAD } from '../../tools/makeModel/successorScript';
import type { CompletionEvent, ExplainEvent, StatisticsEvent } from '../../src/statistics/statisticsEvents';
import { STATISTICS_FILE, parseStatisticsFile } from '../../src/statistics/statisticsFile';
import { acceptGhostText, dismissGhostText, waitForGhostTextToBe } from '../harness/completionUi';
import { frameTitles, watchDocumentTitles } from '../harness/explainUi';
import { STATISTICS_PANEL_TITLE, pickColorTheme, readStatisticsPanel, seededStatistics } from '../harness/statisticsUi';
import { openUiSession, reportFailure } from '../harness/uiSession';
import { openFile, runCommand, screenshot, typeText, waitForStatus, webviewFrame } from '../../tools/vscode/workbench';
import type { StatisticsPanelView } from '../harness/statisticsUi';
import type { UiSession } from '../harness/uiSession';
import type { Frame } from 'playwright-core';

const YESTERDAY = Date.now() - 30 * 3_600_000;
const HOSTILE_MODEL = `/models/${SUCCESSOR_HOSTILE_PAYLOAD}`;

function seeded(): StatisticsEvent[] {
  const base = { at: YESTERDAY, model: HOSTILE_MODEL, dtype: 'q4', backend: 'local', source: 'generated', trigger: 'automatic', multiline: false,
    sinceKeystrokeMs: 900, providerMs: 700, timeToFirstTokenMs: 500, generationMs: 1_300, promptTokens: 512, reusedPromptTokens: 256,
    decodedTokens: 17, shownTokens: 10 } as const;
  const completion = (languageId: string, outcome: CompletionEvent['outcome'], at: number): CompletionEvent =>
    ({ kind: 'completion', ...base, languageId, outcome, acceptedShare: outcome === 'accepted' ? 1 : 0, at });
  const explanation: ExplainEvent = { kind: 'explain', at: YESTERDAY, languageId: 'python', model: HOSTILE_MODEL, dtype: 'q4', backend: 'local',
    timeToFirstTextMs: 1_200, timeToFirstTokenMs: 900, generationMs: 6_000, decodedTokens: 200, outcome: 'finished' };
  return [
    completion(SUCCESSOR_HOSTILE_PAYLOAD, 'accepted', YESTERDAY),
    completion(SUCCESSOR_HOSTILE_PAYLOAD, 'dismissed', YESTERDAY + 60_000),
    completion('typescript', 'dismissed', YESTERDAY + 120_000),
    explanation,
  ];
}

describe('UI: the statistics view', function () {
  this.timeout(600_000);
  let session: UiSession;
  let frame: Frame;
  const statisticsFile = () => join(session.server.userDataDir, 'User', 'globalStorage', 'inkling-dev.inkling', STATISTICS_FILE);
  const recorded = () => parseStatisticsFile(readFileSync(statisticsFile(), 'utf8')).events;
  const today = () => recorded().filter((e): e is CompletionEvent => e.kind === 'completion' && e.at > YESTERDAY + 3_600_000);

  /** Types the quicksort header in an empty Python file and waits for the successor's body as ghost text. */
  async function ghostTextIn(file: string): Promise<void> {
    await openFile(session.page, file);
    await typeText(session.page, 'def quicksort(arr):');
    await session.page.keyboard.press('Enter');
    await waitForGhostTextToBe(session.page, SUCCESSOR_FIM_TEXT);
  }

  async function waitForPanel(check: (view: StatisticsPanelView) => boolean, what: string): Promise<StatisticsPanelView> {
    const end = Date.now() + 20_000;
    for (;;) {
      const view = await readStatisticsPanel(frame);
      if (check(view)) return view;
      if (Date.now() > end) assert.fail(`${what}; the panel shows ${JSON.stringify(view)}`);
      await session.page.waitForTimeout(200);
    }
  }

  /** A screenshot with the page scrolled to the latency and speed charts, then back to the top. */
  async function screenshotCharts(name: string): Promise<string> {
    await frame.locator('#latency').evaluate((section) => section.scrollIntoView());
    const path = await screenshot(session.page, name);
    await frame.evaluate(() => window.scrollTo(0, 0));
    return path;
  }

  before(async () => {
    session = await openUiSession({
      files: { 'a.py': '', 'b.py': '', 'c.py': '', 'd.py': '' },
      settings: { 'inkling.completion.temperature': 0 },
      userSettings: { 'workbench.colorTheme': 'Default Light Modern' },
      userDataFiles: seededStatistics(seeded()),
    });
    await watchDocumentTitles(session.page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await reportFailure(session, 'statistics');
  });

  after(async () => {
    await session?.close();
  });

  it('counts ghost text accepted with Tab, taken word by word and dismissed, per language, as recorded', async () => {
    const { page } = session;
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    for (const file of ['a.py', 'b.py']) {
      await ghostTextIn(file);
      await acceptGhostText(page);
      await dismissGhostText(page);
    }
    await ghostTextIn('c.py');
    await page.keyboard.press('Control+ArrowRight');
    await waitForGhostTextToBe(page, SUCCESSOR_FIM_TEXT.slice(SUCCESSOR_FIM_TEXT.indexOf(' ')));
    await dismissGhostText(page);
    await ghostTextIn('d.py');
    await dismissGhostText(page);

    await runCommand(page, 'Inkling: Show Statistics');
    frame = await webviewFrame(page, STATISTICS_PANEL_TITLE);
    // Leaving d.py ended its ghost text: recorded, written, and sent to the open view.
    const expected = () => {
      const python = today().filter((e) => e.languageId === 'python');
      return { python, accepted: python.filter((e) => e.outcome === 'accepted').length, partial: python.filter((e) => e.outcome === 'partial').length };
    };
    const dismissedAfterPartial = () => {
      const { python } = expected();
      const partial = python.find((e) => e.outcome === 'partial');
      return partial !== undefined && python.some((e) => e.outcome === 'dismissed' && e.at > partial.at);
    };
    await waitForPanel(() => existsSync(statisticsFile()) && dismissedAfterPartial(), 'd.py\'s dismissal was not written');
    const { python, accepted, partial } = expected();
    console.log(`    today: ${python.map((e) => `${e.outcome}${e.partialBy ? `/${e.partialBy}` : ''}`).join(', ')}`);
    assert.equal(accepted, 2);
    assert.equal(partial, 1);
    assert.equal(python.find((e) => e.outcome === 'partial')?.partialBy, 'word');
    const row = ['python', python.length, 2, 1, python.length - 3].map(String);
    const view = await waitForPanel((v) => v.tables['by-language']?.some((r) => r[0] === 'python' && r[1] === String(python.length)) ?? false, 'the python row');
    console.log(`    screenshot: ${await screenshot(page, 'statistics-light')}`);
    console.log(`    screenshot: ${await screenshotCharts('statistics-light-charts')}`);

    assert.equal(view.title, 'Inkling statistics');
    assert.equal(view.empty, false);
    assert.equal(view.recordingOff, false);
    assert.deepEqual(view.tables['by-language']?.find((r) => r[0] === 'python')?.slice(0, 5), row);
    assert.equal(view.tables['by-language']?.find((r) => r[0] === 'python')?.[5], `${Math.round((3 / python.length) * 100)}%`);
    assert.match(view.sections.latency ?? '', /Median \d[\d,]* ms, 95th percentile \d[\d,]* ms, over \d+ completions\./);
    assert.match(view.overview, /^\d+ events since .+\. Kept on this machine only/);
    // Acceptance per language, the latency histogram and speed over time, each drawn on a canvas.
    assert.deepEqual(view.charts, { acceptance: true, latency: true, speed: true });
  });

  it('shows a model name and a language id that are markup as the characters they are, and runs nothing', async () => {
    const view = await readStatisticsPanel(frame);
    const languages = view.tables['by-language']?.map((r) => r[0]);
    const models = view.tables['by-model']?.map((r) => r[0]);
    assert.ok(languages?.includes(SUCCESSOR_HOSTILE_PAYLOAD), `languages: ${JSON.stringify(languages)}`);
    assert.ok(models?.includes(`${SUCCESSOR_HOSTILE_PAYLOAD} · q4`), `models: ${JSON.stringify(models)}`);
    // Two models did work: the hostile one yesterday and the successor today, side by side.
    assert.ok(view.tables.models?.some((r) => r[0] === `${SUCCESSOR_HOSTILE_PAYLOAD} · q4`), JSON.stringify(view.tables.models));
    assert.equal(view.images, 0, 'an image, object or frame made it into the page');
    assert.equal(view.scripts.filter((src) => src.endsWith('/dist/webview/statistics.js')).length, 1, JSON.stringify(view.scripts));
    assert.deepEqual(view.scripts.filter((src) => /pwned|onerror|<img/.test(src)), [], 'a script was made from a name');
    await session.page.waitForTimeout(1_000);
    const frames = await frameTitles(session.page);
    assert.deepEqual(frames.filter((f) => f.title === 'pwned' || f.writes?.includes('pwned')), [], 'the markup ran');
    assert.notEqual(view.titleWrites, undefined, 'the title watcher is not installed in the panel frame, so the check above proves nothing');
  });

  it('reads in the dark theme too', async () => {
    await pickColorTheme(session.page, 'Dark Modern');
    const view = await waitForPanel((v) => /\bvscode-dark\b/.test(v.bodyClass), 'the page did not turn dark');
    assert.ok(view.tables['by-language']?.some((r) => r[0] === 'python'));
    console.log(`    screenshot: ${await screenshot(session.page, 'statistics-dark')}`);
    console.log(`    screenshot: ${await screenshotCharts('statistics-dark-charts')}`);
  });

  it('reads in a high-contrast theme too', async () => {
    await pickColorTheme(session.page, 'Dark High Contrast');
    const view = await waitForPanel((v) => /\bvscode-high-contrast\b/.test(v.bodyClass), 'the page did not turn high-contrast');
    assert.ok(view.tables['by-language']?.some((r) => r[0] === 'python'));
    console.log(`    screenshot: ${await screenshot(session.page, 'statistics-high-contrast')}`);
    console.log(`    screenshot: ${await screenshotCharts('statistics-high-contrast-charts')}`);
  });

  it('the status bar\'s tooltip has today\'s acceptance and median latency', async () => {
    const { page } = session;
    await page.locator('.statusbar [aria-label^="Inkling: "]').first().hover();
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Today:' }).first();
    await hover.waitFor({ timeout: 10_000 });
    const text = (await hover.textContent()) ?? '';
    const events = today();
    const rate = Math.round((events.filter((e) => e.outcome !== 'dismissed').length / events.length) * 100);
    assert.match(text, new RegExp(`Today: ${rate}% of ${events.length} completions accepted, median \\d+ ms to the ghost text\\.`));
    await page.keyboard.press('Escape');
  });

  it('Export as CSV offers a file in the workspace, writes every recorded event there, and says so', async () => {
    const { page } = session;
    await frame.locator('#export').click();
    // The save dialog offers inkling-statistics-<date>.csv in the workspace folder; the user takes it.
    const target = join(session.workspace, `inkling-statistics-${new Date().toISOString().slice(0, 10)}.csv`);
    await page.waitForFunction((path) => (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value.endsWith(path), target.slice(-40));
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts .notification-toast .notification-list-item-message', { hasText: 'statistics events to' });
    await toast.waitFor({ timeout: 15_000 });
    const lines = readFileSync(target, 'utf8').split('\r\n').filter(Boolean);
    assert.equal(lines[0]?.split(',').slice(0, 4).join(','), 'kind,time,languageId,model');
    assert.equal(lines.length - 1, recorded().length);
    assert.match((await toast.textContent()) ?? '', new RegExp(`Exported ${recorded().length} statistics events to .*inkling-statistics-[\\d-]+\\.csv\\.`));
  });

  it('Reset statistics asks first, then empties the view and the file', async () => {
    const { page } = session;
    await frame.locator('#reset').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    assert.match((await dialog.textContent()) ?? '', /Delete all \d+ recorded Inkling statistics events\? This cannot be undone\./);
    await dialog.locator('.monaco-button', { hasText: /^Reset$/ }).click();
    const view = await waitForPanel((v) => v.empty, 'the view did not empty');
    assert.deepEqual(view.tables, {});
    assert.deepEqual(recorded(), []);
    console.log(`    screenshot: ${await screenshot(page, 'statistics-reset')}`);
  });
});
