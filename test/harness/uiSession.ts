// One UI test's world: the packaged Inkling installed into a fresh code-server, a fixture workspace
// pointing at the successor model, and a chromium page showing the workbench. close() ends it all.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openPage } from '../../tools/vscode/browser';
import { startCodeServer } from '../../tools/vscode/codeServer';
import { readInklingLog } from '../../tools/vscode/inklingLog';
import { createFixtureWorkspace, modelUserSettings } from './fixtureWorkspace';
import { successorModel } from './testModel';
import { artifactPath, locateTools } from '../../tools/vscode/installedTools';
import { describeFocus, screenshot, statusLabel, waitForWorkbench } from '../../tools/vscode/workbench';
import type { Browser, Page } from 'playwright-core';
import type { CodeServer } from '../../tools/vscode/codeServer';

export interface UiSessionOptions {
  /** Workspace settings (.vscode/settings.json). */
  settings?: Record<string, unknown>;
  files?: Record<string, string>;
  userSettings?: Record<string, unknown>;
  /** Settings for this machine over the defaults (model = successor, dtype fp32): where the model is chosen. */
  machineSettings?: Record<string, unknown>;
  /** Files in code-server's user-data folder before it starts, by relative path. */
  userDataFiles?: Record<string, string>;
  /** Defaults to .test-artifacts/inkling.vsix, built by scripts/package.sh. */
  vsix?: string;
}

export interface UiSession {
  page: Page;
  server: CodeServer;
  workspace: string;
  model: string;
  /** Browser console lines, for failure messages. */
  consoleLines: string[];
  /** Screenshots to .test-artifacts/ui/<name>-failed.png when `failed`, then stops everything. */
  close(failed?: { name: string }): Promise<void>;
}

export function packagedVsix(): string {
  const vsix = artifactPath('inkling.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run scripts/package.sh`);
  return vsix;
}

export async function openUiSession(options: UiSessionOptions = {}): Promise<UiSession> {
  const tools = locateTools();
  const model = await successorModel();
  const work = mkdtempSync(join(tmpdir(), 'inkling-ui-'));
  const workspace = createFixtureWorkspace({ settings: options.settings, files: options.files, parent: work });
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const consoleLines: string[] = [];
  const stop = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    server = await startCodeServer({
      tools,
      installExtensions: [options.vsix ?? packagedVsix()],
      userSettings: options.userSettings,
      machineSettings: { ...modelUserSettings(model), ...options.machineSettings },
      userDataFiles: options.userDataFiles,
      // Inkling's debug lines (each completion's timing) for the failure report.
      extraArgs: ['--log', 'debug'],
    });
    browser = await launchBrowser(tools.chromium);
    const page = await openPage(browser, { onConsole: (line) => consoleLines.push(line) });
    await page.goto(server.workbenchUrl(workspace));
    await waitForWorkbench(page);
    const session: UiSession = {
      page,
      server,
      workspace,
      model,
      consoleLines,
      async close(failed) {
        if (failed) await screenshot(page, `${failed.name}-failed`).catch(() => undefined);
        await stop();
      },
    };
    return session;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** After a failed test: prints the status item and `context` (default: the browser console), and keeps a screenshot. */
export async function reportFailure(session: UiSession | undefined, name: string, context?: string): Promise<void> {
  if (!session) return;
  const log = readInklingLog(session.server.userDataDir).trimEnd().split('\n').slice(-30).join('\n');
  const focus = await describeFocus(session.page).catch((error: unknown) => `unknown (${String(error)})`);
  console.log(`status: ${await statusLabel(session.page, 'Inkling')}\nfocus: ${focus}\n${context ?? `browser console:\n${session.consoleLines.slice(-30).join('\n')}`}\nInkling's log (last 30 lines):\n${log}`);
  await screenshot(session.page, `${name}-failed`).catch(() => undefined);
}
