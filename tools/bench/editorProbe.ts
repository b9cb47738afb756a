// Watches the workbench from inside the page, on the page's own clock: when each key went down, and
// when ghost text appeared or went away in the active editor. Latencies are taken between those two,
// so the browser driver's own delays (sending keys, polling) do not count.
import type { Page } from 'playwright-core';

export interface ProbeKey {
  t: number;
  key: string;
}

export interface ProbeGhost {
  t: number;
  shown: boolean;
}

export interface ProbeLog {
  keys: ProbeKey[];
  ghosts: ProbeGhost[];
}

interface ProbeWindow {
  __inklingProbe?: ProbeLog & { last: boolean };
}

/** Installs the probe (once per page); later calls only clear its log. */
export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as ProbeWindow;
    if (w.__inklingProbe) {
      w.__inklingProbe.keys.length = 0;
      w.__inklingProbe.ghosts.length = 0;
      return;
    }
    const probe = { keys: [] as ProbeKey[], ghosts: [] as ProbeGhost[], last: false };
    w.__inklingProbe = probe;
    // Ghost text: the cursor line's decoration, and the preview lines below it (a view zone).
    const selector = '.editor-group-container.active .monaco-editor .ghost-text-decoration, .editor-group-container.active .monaco-editor .suggest-preview-text .view-line';
    const check = () => {
      const shown = document.querySelector(selector) !== null;
      if (shown !== probe.last) {
        probe.last = shown;
        probe.ghosts.push({ t: performance.now(), shown });
      }
    };
    document.addEventListener('keydown', (e) => probe.keys.push({ t: performance.now(), key: e.key }), true);
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true });
  });
}

export async function readProbe(page: Page): Promise<ProbeLog> {
  return page.evaluate(() => {
    const probe = (window as unknown as ProbeWindow).__inklingProbe;
    return probe ? { keys: [...probe.keys], ghosts: [...probe.ghosts] } : { keys: [], ghosts: [] };
  });
}

/** The epoch time (ms) of the page clock's zero: page times + this compare with the log's. */
export async function pageTimeOrigin(page: Page): Promise<number> {
  return page.evaluate(() => performance.timeOrigin);
}

/** The page clock now. */
export async function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

/** Resolves with the page time ghost text appeared after `since`, or undefined after `timeoutMs`. */
export async function waitForGhostAfter(page: Page, since: number, timeoutMs: number): Promise<number | undefined> {
  try {
    const handle = await page.waitForFunction((after) => {
      const probe = (window as unknown as ProbeWindow).__inklingProbe;
      return probe?.ghosts.find((g) => g.shown && g.t >= after)?.t ?? false;
    }, since, { timeout: timeoutMs, polling: 25 });
    return (await handle.jsonValue()) as number;
  } catch {
    return undefined;
  }
}

/** When ghost text first showed after `from` and before `until` (page times), if it did. */
export function ghostBetween(log: ProbeLog, from: number, until: number): number | undefined {
  const shownAfter = log.ghosts.find((g) => g.shown && g.t >= from && g.t < until)?.t;
  // Ghost text showing when the key went down and not hidden before `until` counts from the key:
  // VS Code keeps a suggestion the user types into.
  const before = [...log.ghosts].reverse().find((g) => g.t < from);
  const hiddenAfter = log.ghosts.some((g) => !g.shown && g.t >= from && g.t < until);
  if (before?.shown && !hiddenAfter) return from;
  return shownAfter;
}
