// What the editor benchmark does in the editor: the first ghost text after opening a file, and the
// typing trace with the typist waiting at each pause; every time on the page's clock (editorProbe.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { goToLine, screenshot } from '../vscode/workbench';
import { installProbe, readProbe, ghostBetween, pageTimeOrigin } from './editorProbe';
import { splitGhost, type GhostSplit } from './ghostSplit';
import type { EditorSession } from './editorSession';
import { openPath, undoAndClose } from './editorSession';
import type { EditorFile } from './editorWorkspace';
import { cpuByRole, cpuDelta, type ProcessRole } from './processCpu';
import { TypingEditor, type Key } from './typingEditor';
import { typingDocument } from './typingDocument';
import { PAUSE_THRESHOLD_MS, type TypingTrace } from './typingTrace';

/** How long a user looks for their place after opening a file, before typing. */
export const SETTLE_MS = 3000;

/** A first ghost text slower than this is a run to look into: the page is described and photographed. */
const SLOW_FIRST_GHOST_MS = 5000;

export interface FirstGhost {
  file: 'small' | 'huge';
  /** Last keystroke → ghost text visible; undefined when none came within the cap. */
  latencyMs: number | undefined;
  /** CPU seconds per process role from the last keystroke to the ghost text. */
  cpu: Record<ProcessRole, number>;
  /** CPU seconds per role while the file opened and the user found their place. */
  settleCpu: Record<ProcessRole, number>;
  /** Inkling's debug lines for the completions in this measurement. */
  inklingLines: string[];
  /** Where the keyboard was when the ghost text took over 5 s or never came. */
  slow?: MissedPause;
  /** VS Code's time before asking Inkling and after its answer, and Inkling's between. */
  split?: GhostSplit;
}

/** Sends `key`; the number of keydowns it took. */
async function press(page: Page, key: Key, editor: TypingEditor | undefined): Promise<number> {
  const movePast = editor?.takesWaitingCloser(key) ?? false;
  editor?.press(key);
  if (movePast) {
    // The closer Enter moved below is there already: drop the blank line and step past it, as a user does.
    await page.keyboard.press('Control+Shift+K');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    return MOVE_PAST_KEYDOWNS;
  }
  if (key.kind === 'enter') await page.keyboard.press('Enter');
  else if (key.kind === 'backspace') await page.keyboard.press('Backspace');
  else await page.keyboard.type(key.char);
  return 1;
}

/** Control, Shift, K, Home, ArrowRight. */
const MOVE_PAST_KEYDOWNS = 5;

/** Waits until ghost text shows for the key that went down at `keyT` (page time); the time it did, or undefined. */
async function ghostForKey(page: Page, keyT: number, timeoutMs: number): Promise<number | undefined> {
  try {
    const handle = await page.waitForFunction((t) => {
      const probe = (window as unknown as { __inklingProbe?: { ghosts: { t: number; shown: boolean }[]; last: boolean } }).__inklingProbe;
      if (!probe) return false;
      const after = probe.ghosts.find((g) => g.shown && g.t >= t);
      if (after) return after.t;
      const before = [...probe.ghosts].reverse().find((g) => g.t < t);
      return before?.shown && probe.last ? t : false;
    }, keyT, { timeout: timeoutMs, polling: 20 });
    return (await handle.jsonValue()) as number;
  } catch {
    return undefined;
  }
}

async function lastKeyTime(page: Page): Promise<number> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __inklingProbe?: { keys: { t: number }[] } }).__inklingProbe;
    return probe?.keys.at(-1)?.t ?? performance.now();
  });
}

const movedAheadLines = (log: string) => log.split('\n').filter((line) => line.includes("prompt's window moved ahead")).length;
const completionLines = (log: string) => log.split('\n').filter((line) => line.includes('completion (generated') || line.includes('completion (inflight'));

/** Opens `file`, waits as a user finding their place, types `text` briskly, and times the ghost text. */
export async function measureFirstGhost(session: EditorSession, which: 'small' | 'huge', text: string, gapsMs: readonly number[], capMs: number): Promise<FirstGhost> {
  const { page } = session;
  const file: EditorFile = session.workspace[which];
  const logBefore = completionLines(session.inklingLog()).length;
  const opening = cpuByRole();
  await openPath(page, file.path);
  await goToLine(page, file.line, 1);
  await sleep(SETTLE_MS);
  const settled = cpuByRole();
  await installProbe(page);
  for (const [i, char] of [...text].entries()) {
    await page.keyboard.type(char);
    if (i < text.length - 1) await sleep(gapsMs[i % gapsMs.length]);
  }
  const keyT = await lastKeyTime(page);
  const typed = cpuByRole();
  const ghostT = await ghostForKey(page, keyT, capMs);
  const shown = cpuByRole();
  const latencyMs = ghostT === undefined ? undefined : ghostT - keyT;
  const slow = latencyMs === undefined || latencyMs > SLOW_FIRST_GHOST_MS ? await describeMiss(page, text.length - 1, `editor-bench-slow-first-${which}`) : undefined;
  const inklingLines = completionLines(session.inklingLog()).slice(logBefore);
  const origin = await pageTimeOrigin(page);
  const split = ghostT === undefined ? undefined : splitGhost(origin + keyT, origin + ghostT, inklingLines);
  await undoAndClose(page);
  return { file: which, latencyMs, cpu: cpuDelta(typed, shown), settleCpu: cpuDelta(opening, settled), inklingLines, slow, split };
}

export interface EditorPause {
  /** The keystroke (0-based) the pause follows. */
  keystroke: number;
  /** When that keystroke went down (epoch ms), to find its completions in Inkling's log. */
  keyAt: number;
  pauseMs: number;
  /** Last keystroke → ghost text; undefined when none came within the cap. */
  latencyMs: number | undefined;
}

export interface EditorTrace {
  file: 'small' | 'huge';
  pauses: EditorPause[];
  /** Keystrokes sent, and keydown events the page saw (they should match). */
  sent: number;
  seen: number;
  durationMs: number;
  /** Where the keyboard was at the first pause with no ghost text within the cap (a run to distrust). */
  firstMiss?: MissedPause;
  /** Times Inkling moved the prompt's window ahead while its model was idle (its log). */
  windowsMovedAhead: number;
}

/** What the page showed when a pause got no ghost text at all: the keys may not have reached the file. */
export interface MissedPause {
  keystroke: number;
  activeTab: string;
  focus: string;
  screenshot: string;
}

async function describeMiss(page: Page, keystroke: number, name: string): Promise<MissedPause> {
  const where = await page.evaluate(() => {
    const tab = document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label') ?? 'none';
    const active = document.activeElement;
    const classes = (active?.getAttribute('class') ?? '').trim().split(/\s+/).join('.');
    const focus = active ? `${active.tagName.toLowerCase()}.${classes}${active.closest('.monaco-editor') ? ' (in an editor)' : ''}` : 'none';
    return { tab, focus };
  });
  return { keystroke, activeTab: where.tab, focus: where.focus, screenshot: await screenshot(page, name) };
}

/**
 * Types the trace into `file` at human speed; at each pause the typist waits (up to `capMs`) for ghost
 * text. With `autoClose` (the editor auto-closing brackets), a closer the trace types first on its line
 * where Enter already put one below is not typed again: the typist moves past that one.
 */
export async function replayInEditor(session: EditorSession, which: 'small' | 'huge', trace: TypingTrace, capMs: number, autoClose = false): Promise<EditorTrace> {
  const { page } = session;
  const file = session.workspace[which];
  const movedBefore = movedAheadLines(session.inklingLog());
  await openPath(page, file.path);
  await goToLine(page, file.line, 1);
  await sleep(SETTLE_MS);
  await installProbe(page);
  const started = Date.now();
  let nextAt = Date.now();
  let firstMiss: MissedPause | undefined;
  const editor = autoClose ? new TypingEditor(typingDocument.before, typingDocument.after, { autoClose }) : undefined;
  // Where each keystroke's last keydown lands in the probe's log.
  const lastKeydown: number[] = [];
  let keydowns = 0;
  for (const [i, stroke] of trace.keystrokes.entries()) {
    const wait = nextAt - Date.now();
    if (wait > 0) await sleep(wait);
    keydowns += await press(page, stroke.key, editor);
    lastKeydown.push(keydowns - 1);
    nextAt = Date.now() + stroke.gapAfterMs;
    if (stroke.gapAfterMs >= PAUSE_THRESHOLD_MS) {
      const shown = await ghostForKey(page, await lastKeyTime(page), capMs);
      if (shown === undefined && !firstMiss) firstMiss = await describeMiss(page, i, `editor-bench-no-ghost-${which}`);
      nextAt = Math.max(nextAt, Date.now());
    }
  }
  const log = await readProbe(page);
  const origin = await pageTimeOrigin(page);
  const durationMs = Date.now() - started;
  await undoAndClose(page);
  const pauses: EditorPause[] = [];
  trace.keystrokes.forEach((stroke, i) => {
    const key = log.keys[lastKeydown[i]!];
    if (stroke.gapAfterMs < PAUSE_THRESHOLD_MS || !key) return;
    const ghost = ghostBetween(log, key.t, log.keys[lastKeydown[i]! + 1]?.t ?? Infinity);
    pauses.push({ keystroke: i, keyAt: origin + key.t, pauseMs: stroke.gapAfterMs, latencyMs: ghost === undefined ? undefined : ghost - key.t });
  });
  return { file: which, pauses, sent: keydowns, seen: log.keys.length, durationMs, firstMiss, windowsMovedAhead: movedAheadLines(session.inklingLog()) - movedBefore };
}
