// The extension-host suite in desktop VS Code, via @vscode/test-electron, for machines that can download
// VS Code (these CI machines cannot: they run the same suite in code-server, test/harness/runHostTests.ts).
//   node out/test/electron/runElectron.js [summary.json]      INKLING_VSCODE_VERSION=1.100.0 picks a version
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../../tools/repoRoot';
import { createFixtureWorkspace, modelUserSettings } from '../harness/fixtureWorkspace';
import { failure, writeSummary } from '../harness/mochaRun';
import { successorModel } from '../harness/testModel';
import { artifactPath } from '../../tools/vscode/installedTools';

async function main(): Promise<void> {
  const repo = repoRoot();
  const summaryPath = resolve(process.argv[2] ?? artifactPath('results', 'host-electron.json'));
  const work = mkdtempSync(join(tmpdir(), 'inkling-electron-'));
  rmSync(summaryPath, { force: true });
  let code = 1;
  try {
    const model = await successorModel();
    const workspace = createFixtureWorkspace({ parent: work });
    // The model is a user setting (a workspace cannot choose it).
    mkdirSync(join(work, 'user-data', 'User'), { recursive: true });
    writeFileSync(join(work, 'user-data', 'User', 'settings.json'), JSON.stringify(modelUserSettings(model), null, 2));
    code = await runTests({
      version: process.env.INKLING_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(repo, 'out', 'test', 'host', 'index'),
      // The host suite writes its summary here (test/host/index.ts).
      extensionTestsEnv: { INKLING_TEST_RESULTS: summaryPath, INKLING_TEST_MODEL: model },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', join(work, 'user-data')],
    });
  } catch (error) {
    // runTests rejects when VS Code cannot be downloaded or exits non-zero; keep the suite's own summary.
    console.error(error);
    if (!existsSync(summaryPath)) writeSummary(summaryPath, failure('desktop VS Code run', error));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(code);
}

void main();
