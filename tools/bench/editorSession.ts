// One real editor for the editor benchmark: code-server with the packaged Inkling, the bench-scripted
// model, chromium on the workbench; Inkling's log read back from code-server's log folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage } from '../vscode/browser';
import { startCodeServer, type CodeServer } from '../vscode/codeServer';
import { readInklingLog } from '../vscode/inklingLog';
import { artifactPath, locateTools } from '../vscode/installedTools';
import { screenshot, waitForStatus, waitForWorkbench } from '../vscode/workbench';
import { createEditorWorkspace, writeWorkspaceSettings, type EditorWorkspace } from './editorWorkspace';

export interface EditorSession {
  page: Page;
  server: CodeServer;
  workspace: EditorWorkspace;
  /** Inkling's output channel as written so far. */
  inklingLog(): string;
  close(): Promise<void>;
}

/**
 * The bench tokenizer packs 1.67 characters into a token where Qwen's packs ~3.5, so the default
 * budget of 512 would send this model twice the tokens a real one gets: the budget is scaled to land
 * near 512 of its tokens (as the engine and typing benchmarks calibrate their counter).
 */
export const BENCH_CONTEXT_TOKENS = Math.round((512 * 1.67) / 3.5);

/** What the typist's editor differs in from VS Code's defaults, and why. */
export const TYPIST_SETTINGS: Readonly<Record<string, unknown>> = {
  // The trace types every closer itself (typingEditor.ts): auto-closed ones would double them.
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  // `/**` would get a ` */` that then rides after the cursor for the rest of the trace (code after
  // the cursor: no automatic ghost text anywhere, seen in a run).
  'editor.autoClosingComments': 'never',
  // Each measurement undoes its typing to the saved text; code-server would otherwise save it as typed.
  'files.autoSave': 'off',
};

export async function openEditorSession(modelFolder: string, extraSettings: Readonly<Record<string, unknown>> = {}, vsix = artifactPath('inkling.vsix')): Promise<EditorSession> {
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run "npm run package" first`);
  const tools = locateTools();
  const parent = mkdtempSync(join(tmpdir(), 'inkling-editor-'));
  const workspace = createEditorWorkspace(parent, { 'inkling.completion.contextTokens': BENCH_CONTEXT_TOKENS, ...TYPIST_SETTINGS, ...extraSettings });
  // The model settings are machine-scoped (a workspace may not choose them): code-server reads them from Machine/settings.json.
  const machineSettings = { 'inkling.model.id': modelFolder, 'inkling.model.dtype': 'q8' };
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(parent, { recursive: true, force: true });
  };
  try {
    server = await startCodeServer({ tools, installExtensions: [vsix], machineSettings, extraArgs: ['--log', 'debug'], startTimeoutMs: 60_000 });
    browser = await launchBrowser(tools.chromium);
    const page = await openPage(browser);
    await page.goto(server.workbenchUrl(workspace.root));
    await waitForWorkbench(page, 120_000);
    const status = await waitForStatus(page, ['Inkling: ready', 'Inkling: error'], 300_000);
    if (!status.startsWith('Inkling: ready')) throw new Error(`Inkling did not load the model: ${status}`);
    const dataDir = server.userDataDir;
    return { page, server, workspace, inklingLog: () => readInklingLog(dataDir), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Turns Inkling's completions off in the running editor, the model loaded and idle: what the
 * editor then does after a keystroke is VS Code's own work (the baseline for the 5 MB file).
 */
export async function turnCompletionsOff(session: EditorSession): Promise<void> {
  writeWorkspaceSettings(session.workspace.root, { ...session.workspace.settings, 'inkling.completion.enabled': false });
  await waitForStatus(session.page, ['Inkling: ready (completions off)'], 30_000);
}

/** Opens a workspace file by its relative path with Quick Open, and waits until its editor has focus. */
export async function openPath(page: Page, path: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(path);
  // The list opens with recently opened files: Enter before it has filtered would open the other stockLedger.ts.
  await page.waitForFunction((segments) => {
    const first = document.querySelector('.quick-input-list .monaco-list-row');
    return first !== null && segments.every((segment) => first.textContent?.includes(segment));
  }, path.split('/'), { timeout: 60_000 });
  await page.keyboard.press('Enter');
  // Both files are named stockLedger.ts: only the breadcrumbs (folder, then file) tell which one is active.
  const active = () => page.evaluate(() => ({
    shown: Array.from(document.querySelectorAll('.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item'))
      .map((crumb) => crumb.textContent?.trim() ?? '').join('/'),
    focused: document.activeElement?.closest('.editor-group-container.active .monaco-editor') != null,
  }));
  const end = Date.now() + 60_000;
  let now = await active();
  while (!((now.shown === path || now.shown.startsWith(`${path}/`)) && now.focused)) {
    if (Date.now() > end) throw new Error(`${path} did not open with the keyboard in it: the breadcrumbs show "${now.shown}" (${await screenshot(page, 'editor-bench-open')})`);
    await sleep(50);
    now = await active();
  }
}

/**
 * Puts the file back as it was on disk and closes its editor: undo until the editor is clean (the
 * typing is undone), then close it, which then asks nothing.
 */
export async function undoAndClose(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  const dirty = page.locator('.tabs-container .tab.active.dirty');
  for (let i = 0; i < 2000 && (await dirty.count()) > 0; i++) await page.keyboard.press('Control+Z');
  if ((await dirty.count()) > 0) throw new Error('undo did not bring the file back to its saved text');
  // A busy renderer (the 5 MB file) can miss Ctrl+W: a file left open would take the next file's typing.
  const tabs = page.locator('.tabs-container .tab');
  const before = await tabs.count();
  for (let attempt = 0; attempt < 3 && (await tabs.count()) >= before; attempt++) {
    await page.keyboard.press('Control+W');
    await page.waitForFunction((n) => document.querySelectorAll('.tabs-container .tab').length < n, before, { timeout: 10_000 }).catch(() => undefined);
  }
  if ((await tabs.count()) >= before) throw new Error('the file\'s editor did not close');
}

