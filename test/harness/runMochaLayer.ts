// Runs one Node-side test layer (unit or UI) and writes its summary for scripts/test-all.sh:
//   node out/test/harness/runMochaLayer.js <dir with *.test.js>[,<another dir>…] <summary.json> [timeoutMs]
import { resolve } from 'node:path';
import { failure, findTestFiles, runMocha, writeSummary } from './mochaRun';
import type { TestSummary } from './mochaRun';

async function main(): Promise<void> {
  const [dir, summaryPath, timeout] = process.argv.slice(2);
  if (!dir || !summaryPath) throw new Error('usage: runMochaLayer <test dir>[,<test dir>…] <summary.json> [timeoutMs]');
  const files = dir.split(',').flatMap((d) => findTestFiles(resolve(d)));
  let summary: TestSummary;
  if (files.length === 0) summary = failure(`tests in ${dir}`, new Error('no *.test.js files found: was the test build run?'));
  else summary = await runMocha(files, { timeout: timeout ? Number(timeout) : undefined });
  writeSummary(resolve(summaryPath), summary);
  console.log(`${dir}: ${summary.passed} passed, ${summary.failed} failed`);
  // Exit outright: a stray handle (a model process, a server) must not hang the whole test command.
  process.exit(summary.failed > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
