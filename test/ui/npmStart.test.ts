// `npm start` the way a newcomer runs it: the command builds and installs Inkling into a code-server of
// its own, serves demo/, and the page works in a browser (status ready, a ghost text); Ctrl+C (SIGINT to
// the process group) leaves no code-server behind. With the default model and no reachable hub, the user
// sees one message that says how to use a model folder instead.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage } from '../../tools/vscode/browser';
import { goToLine, openFile, screenshot, waitForGhostText, waitForStatus, waitForWorkbench } from '../../tools/vscode/workbench';
import { repoRoot } from '../../tools/repoRoot';
import { freePort } from '../support/freePort';

interface Started {
  child: ChildProcess;
  url: string;
  state: string;
  output: () => string;
}

/** Runs `npm start` in its own process group, as a terminal would, and waits for the page to answer. */
async function npmStart(env: NodeJS.ProcessEnv, state: string): Promise<Started> {
  const port = await freePort();
  // The demo folder is copied, so nothing the test types can reach the tracked demo/ files.
  const folder = join(state, 'demo');
  cpSync(join(repoRoot(), 'demo'), folder, { recursive: true });
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), INKLING_DEMO_STATE: state, INKLING_DEMO_FOLDER: folder };
  if (env.INKLING_MODEL === undefined) delete childEnv.INKLING_MODEL;
  const child = spawn('npm', ['start'], { cwd: repoRoot(), env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no demo URL within 240 s:\n${text.slice(-3000)}`)), 240_000);
    const look = (): void => {
      const match = /Inkling demo: (http:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before serving:\n${text.slice(-3000)}`));
    });
  });
  // The URL is printed just before code-server starts listening.
  for (const end = Date.now() + 60_000; ; ) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > end) throw new Error(`${url} did not answer:\n${text.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { child, url, state, output: () => text };
}

/** Processes whose command line names `needle` (the run's state folder): what must be gone after Ctrl+C. */
function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(needle) && Number(pid) !== process.pid) found.push(`${pid}: ${cmdline.slice(0, 160)}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Ctrl+C: SIGINT to the whole process group, then waits until npm and every code-server process are gone. */
async function pressCtrlC(started: Started): Promise<string[]> {
  const exited = new Promise<void>((resolve) => {
    if (started.child.exitCode !== null || started.child.signalCode !== null) resolve();
    else started.child.once('exit', () => resolve());
  });
  process.kill(-started.child.pid!, 'SIGINT');
  await exited;
  let left = processesMentioning(started.state);
  for (const end = Date.now() + 15_000; left.length > 0 && Date.now() < end; left = processesMentioning(started.state)) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return left;
}

/** Kills whatever a failed test left, so the next test and the CI run start clean. */
function killLeftovers(started: Started | undefined): void {
  if (!started) return;
  try {
    process.kill(-started.child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
  for (const line of processesMentioning(started.state)) {
    try {
      process.kill(Number(line.split(':')[0]), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Every file under demo/ with its content, to see that a run leaves the tracked workspace as it was. */
function demoFiles(dir = join(repoRoot(), 'demo')): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(files, demoFiles(path));
    else files[path] = readFileSync(path, 'utf8');
  }
  return files;
}

describe('UI: npm start, as a newcomer runs it', function () {
  this.timeout(600_000);
  let browser: Browser | undefined;
  let started: Started | undefined;
  let page: Page | undefined;
  const work = mkdtempSync(join(tmpdir(), 'inkling-start-'));

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      if (page) await screenshot(page, `npm-start-${this.currentTest.title.slice(0, 20).replace(/\W+/g, '-')}-failed`).catch(() => undefined);
      console.log(`npm start output:\n${started?.output().slice(-4000) ?? ''}`);
    }
    await browser?.close().catch(() => undefined);
    browser = undefined;
    page = undefined;
    killLeftovers(started);
    started = undefined;
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('INKLING_MODEL=successor npm start: ready, a ghost text in a demo file, and Ctrl+C leaves no code-server', async () => {
    const state = join(work, 'a');
    const demoBefore = demoFiles();
    started = await npmStart({ INKLING_MODEL: 'successor' }, state);
    browser = await launchBrowser();
    page = await openPage(browser);
    await page.goto(started.url);
    await waitForWorkbench(page);
    assert.equal(await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 180_000), 'Inkling: ready');
    await openFile(page, 'quicksort.py');
    // The empty body line of binary_search: End, then Enter opens an indented line, where a block is expected.
    await goToLine(page, 13);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const ghost = await waitForGhostText(page, 60_000);
    assert.match(ghost, /^if len\(arr\) <= 1:/, `ghost text: ${JSON.stringify(ghost)}`);
    console.log(`    screenshot: ${await screenshot(page, 'npm-start-ghost')}`);
    await browser.close();
    browser = undefined;

    const left = await pressCtrlC(started);
    assert.deepEqual(left, [], 'processes of this npm start still running after Ctrl+C');
    assert.deepEqual(demoFiles(), demoBefore, 'the demo/ workspace was changed');
  });

  it('npm start with the default model and no reachable hub: one message that says how to use a local folder', async () => {
    const state = join(work, 'b');
    mkdirSync(join(state, 'data', 'User'), { recursive: true });
    // The hub is unreachable on these machines anyway; pointing at a closed port makes that true everywhere.
    writeFileSync(join(state, 'data', 'User', 'settings.json'), JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'chat.disableAIFeatures': true,
      'telemetry.telemetryLevel': 'off',
    }));
    // The hub address is a machine setting: code-server reads those from Machine/settings.json.
    mkdirSync(join(state, 'data', 'Machine'), { recursive: true });
    writeFileSync(join(state, 'data', 'Machine', 'settings.json'), JSON.stringify({ 'inkling.model.hubUrl': 'http://127.0.0.1:9/' }));
    started = await npmStart({ INKLING_MODEL: undefined }, state);
    browser = await launchBrowser();
    page = await openPage(browser);
    await page.goto(started.url);
    await waitForWorkbench(page);
    assert.equal(await waitForStatus(page, ['Inkling: error', 'Inkling: ready'], 180_000), 'Inkling: error');
    const toasts = page.locator('.notifications-toasts .notification-toast', { hasText: 'Inkling' });
    await toasts.first().waitFor({ state: 'visible', timeout: 30_000 });
    const messages = await page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
    const ours = messages.filter((m) => m.includes('Inkling'));
    assert.equal(ours.length, 1, `Inkling's visible messages: ${JSON.stringify(ours)}`);
    const [message] = ours;
    assert.match(message!, /could not reach the model hub/);
    assert.match(message!, /Inkling: Select Model…/);
    assert.match(message!, /local model folder/);
    assert.doesNotMatch(message!, /\bat \S+ \(|\.js:\d+/, 'a stack trace in the notification');
    console.log(`    screenshot: ${await screenshot(page, 'npm-start-no-hub')}`);
    await browser.close();
    browser = undefined;

    const left = await pressCtrlC(started);
    assert.deepEqual(left, [], 'processes of this npm start still running after Ctrl+C');
  });
});
