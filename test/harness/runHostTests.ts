// Runs the extension-host suite (out/test/host/index.js) inside code-server, driven by chromium:
//   node out/test/harness/runHostTests.js [summary.json]     (Node 20; code-server itself runs on Node 24)
// The workbench loads Inkling from this checkout (extensionDevelopmentPath) and runs the tests in its
// extension host; the exit code arrives through codeAutomationExit, the counts through a summary file.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import { launchBrowser, openPage } from '../../tools/vscode/browser';
import { startCodeServer } from '../../tools/vscode/codeServer';
import { createFixtureWorkspace, modelUserSettings } from './fixtureWorkspace';
import { combine, failure, writeSummary } from './mochaRun';
import { successorModel } from './testModel';
import { startHub } from '../support/hubServer';
import { hostileWorkspaceSettings } from '../hostTrust/hostileSettings';
import { repoRoot } from '../../tools/repoRoot';
import { artifactPath, locateTools } from '../../tools/vscode/installedTools';
import type { TestSummary } from './mochaRun';

interface WorkbenchLog {
  relativePath: string;
  contents: string;
}

const timeoutMs = Number(process.env.INKLING_HOST_TIMEOUT_MS ?? 15 * 60_000);

/** One code-server run of a suite folder under out/test/ (host, or hostTrust with workspace trust on). */
interface SuiteRun {
  suite: 'host' | 'hostTrust';
  /** Workspace settings (.vscode/settings.json). */
  workspaceSettings?: Record<string, unknown>;
  userSettings?: Record<string, unknown>;
  workspaceTrust?: boolean;
  env?: NodeJS.ProcessEnv;
}

async function runInCodeServer(repo: string, model: string, resultsFile: string, work: string, run: SuiteRun = { suite: 'host' }): Promise<TestSummary> {
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

/**
 * The Restricted Mode suite: workspace trust on, the folder untrusted, and a hostile .vscode/settings.json
 * that names another model, folder, hub, device and thread count. The hub it names records requests,
 * which the suite reads back: there must be none.
 */
async function runUntrusted(repo: string, model: string, work: string): Promise<TestSummary> {
  const hostile = await startHub({ 'attacker/payload': model });
  try {
    return await runInCodeServer(repo, model, join(work, 'trust-results.json'), work, {
      suite: 'hostTrust',
      workspaceTrust: true,
      // No trust prompt: the folder simply opens in Restricted Mode.
      userSettings: { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.enabled': true },
      workspaceSettings: hostileWorkspaceSettings(hostile.url),
      env: { INKLING_HOSTILE_HUB: hostile.url },
    });
  } finally {
    await hostile.close();
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

async function main(): Promise<void> {
  const repo = repoRoot();
  const summaryPath = resolve(process.argv[2] ?? artifactPath('results', 'host.json'));
  rmSync(artifactPath('host'), { recursive: true, force: true });
  const work = mkdtempSync(join(tmpdir(), 'inkling-host-'));
  let summary: TestSummary;
  try {
    if (!existsSync(join(repo, 'out', 'test', 'host', 'index.js'))) throw new Error('out/test/host/index.js is missing: build the tests first');
    const model = await successorModel();
    summary = await runInCodeServer(repo, model, join(work, 'host-results.json'), work);
    summary = combine(summary, await runUntrusted(repo, model, work));
  } catch (error) {
    summary = failure('extension host run', error);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  writeSummary(summaryPath, summary);
  for (const f of summary.failures) console.log(`  ✗ ${f.title}\n${f.error.replace(/^/gm, '      ')}`);
  console.log(`extension host: ${summary.passed} passed, ${summary.failed} failed`);
  process.exit(summary.failed > 0 ? 1 : 0);
}

void main();
