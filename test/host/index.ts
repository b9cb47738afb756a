// The extension-host test entry (the @vscode/test-electron contract: export run(), reject on failure).
// Used by code-server's smoke-test payload (test/harness/runHostTests.ts) and by test/electron/runElectron.ts.
// Runs every *.test.js bundled next to it; the summary goes to $INKLING_TEST_RESULTS, a side channel
// that works wherever the extension host inherits the runner's environment.
import { failure, findTestFiles, runMocha, writeSummary } from '../harness/mochaRun';
import type { TestSummary } from '../harness/mochaRun';

export async function run(): Promise<void> {
  const files = findTestFiles(__dirname);
  console.log(`[inkling host tests] ${files.length} test files in ${__dirname}`);
  let summary: TestSummary;
  if (files.length === 0) summary = failure('host tests', new Error(`no *.test.js files in ${__dirname}`));
  // No colours: the workbench forwards the console as plain text.
  else summary = await runMocha(files, { timeout: 120_000, color: false });
  console.log(`[inkling host tests] ${summary.passed} passed, ${summary.failed} failed`);
  const resultsPath = process.env.INKLING_TEST_RESULTS;
  if (resultsPath) writeSummary(resultsPath, summary);
  if (summary.failed > 0) throw new Error(`${summary.failed} extension-host test(s) failed`);
}
