// Runs the extension-host suite (out/test/host/index.js) inside code-server, driven by chromium:
//   node out/test/harness/runHostTests.js [summary.json]     (Node 20; code-server itself runs on Node 24)
// then the Restricted Mode suite (out/test/hostTrust/) with workspace trust on.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { failure, combine, finishRun } from './mochaRun';
import { runInCodeServer } from './codeServerSuite';
import { successorModel } from './testModel';
import { startHub } from '../support/hubServer';
import { hostileWorkspaceSettings } from '../hostTrust/hostileSettings';
import { repoRoot } from '../../tools/repoRoot';
import { artifactPath } from '../../tools/vscode/installedTools';
import type { TestSummary } from './mochaRun';

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
  finishRun(summaryPath, summary, 'extension host');
}

void main();
