// One suite folder under out/test/ run inside code-server, driven by chromium: the workbench loads
// Inkling from this checkout (extensionDevelopmentPath) and runs the suite in its extension host; the
// exit code arrives through codeAutomationExit, the counts through a summary file.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { launchBrowser, openPage } from '../../tools/vscode/browser';
import { startCodeServer } from '../../tools/vscode/codeServer';
import { artifactPath, locateTools } from '../../tools/vscode/installedTools';
import { createFixtureWorkspace, modelUserSettings } from './fixtureWorkspace';
import { combine, failure } from './mochaRun';
import type { TestSummary } from './mochaRun';

interface WorkbenchLog {
  relativePath: string;
  contents: string;
}

const timeoutMs = Number(process.env.INKLING_HOST_TIMEOUT_MS ?? 15 * 60_000);

/** One code-server run of a suite folder under out/test/ (host, hostTrust with workspace trust on, hostRecipes). */
export interface SuiteRun {
  suite: 'host' | 'hostTrust' | 'hostRecipes';
  /** Workspace settings (.vscode/settings.json). */
  workspaceSettings?: Record<string, unknown>;
  userSettings?: Record<string, unknown>;
  workspaceTrust?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function runInCodeServer(repo: string, model: string, resultsFile: string, work: string, run: SuiteRun = { suite: 'host' }): Promise<TestSummary> {
  const tools = locateTools(repo);
  const workspace = createFixtureWorkspace({ parent: work, settings: run.workspaceSettings });
  const server = await startCodeServer({
    tools,
    smokeTestDriver: true,
    machineSettings: modelUserSettings(model),
    userSettings: run.userSettings,
    workspaceTrust: run.workspaceTrust,
    env: { INKLING_TEST_RESULTS: resultsFile, INKLING_TEST_MODEL: model, ...run.env },
    onLog: process.env.INKLING_VERBOSE ? (line) => console.log(`[code-server] ${line}`) : undefined,
    // Inkling's debug lines (each completion's timing) in the logs kept for a post-mortem.
    extraArgs: ['--log', 'debug'],
  });
  const browser = await launchBrowser(tools.chromium);
  try {
    const page = await openPage(browser, {
      onConsole: process.env.INKLING_VERBOSE ? (text) => console.log(`[workbench] ${text}`) : undefined,
    });
    let onExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolveExit) => (onExit = resolveExit));
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: WorkbenchLog[]) => {
      saveLogs(logs ?? []);
      onExit(code);
    });
    // The workbench's own chatter comes through here too: show it only once the suite speaks, or when asked.
    let suiteStarted = false;
    await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
      const text = Array.isArray(args) ? format(...(args as unknown[])) : String(args);
      suiteStarted ||= text.includes('[inkling host tests]');
      const galleryNoise = text.includes('127.0.0.1:9');
      if (suiteStarted || process.env.INKLING_VERBOSE || (level === 'error' && !galleryNoise)) console.log(text);
    });
    const started = Date.now();
    await page.goto(
      server.workbenchUrl(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(repo)],
        ['extensionTestsPath', server.remoteUri(join(repo, 'out', 'test', run.suite, 'index'))],
        ['skipWelcome', 'true'],
      ]),
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolveTimeout) => (timer = setTimeout(() => resolveTimeout('timeout'), timeoutMs)));
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    console.log(`[host tests] extension host exited with ${code} after ${Math.round((Date.now() - started) / 1000)} s`);
    if (code === 'timeout') {
      await page.screenshot({ path: artifactPath('host', 'timeout.png') }).catch(() => undefined);
      return failure('extension host run', new Error(`no exit within ${timeoutMs} ms`));
    }
    if (!existsSync(resultsFile)) return failure('extension host run', new Error(`exited with ${code} and wrote no summary:\n${server.output()}`));
    const summary = JSON.parse(readFileSync(resultsFile, 'utf8')) as TestSummary;
    // A non-zero exit with no failing test means the host itself broke (e.g. the extension failed to load).
    if (code !== 0 && summary.failed === 0) return combine(summary, failure('extension host run', new Error(`exit code ${code}`)));
    return summary;
  } finally {
    await browser.close();
    // The extension host's own logs (Inkling's output channel among them) live on the server side.
    const logs = join(server.userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, artifactPath('host', 'server-logs'), { recursive: true });
    await server.stop();
  }
}

/** The workbench hands over its logs (extension host, renderer) on exit: keep them for a post-mortem. */
function saveLogs(logs: WorkbenchLog[]): void {
  for (const log of logs) {
    const path = artifactPath('host', 'logs', log.relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, log.contents);
  }
}
