// Entry of the engine benchmark (bundled to out/tools/bench/engineBench.js). Progress goes to stderr,
// the markdown report to stdout, so `> results.md` keeps only the report.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repoRoot';
import { benchUsage, parseBenchArgs } from './benchOptions';
import { renderReport } from './benchReport';
import { runBench } from './runBench';
import { runMain } from './flagValues';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${benchUsage}\n`);
    return 0;
  }
  let options;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${benchUsage}\n`);
    return 2;
  }
  const processEntry = join(repoRoot(), 'dist', 'modelProcess.js');
  if (!existsSync(processEntry)) {
    process.stderr.write(`${processEntry} is missing: run "node esbuild.config.mjs --only=modelProcess,tests" first.\n`);
    return 2;
  }
  const run = await runBench(options, processEntry, (line) => process.stderr.write(`${line}\n`));
  const command = ['node out/tools/bench/engineBench.js', ...argv].join(' ');
  process.stdout.write(`${renderReport(run, command)}\n`);
  return 0;
}

runMain(main);
