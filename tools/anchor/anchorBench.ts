// node esbuild.config.mjs --only=modelProcess,tests && node out/tools/anchor/anchorBench.js
//
// Entry of the llama.cpp anchor benchmark (bundled to out/tools/anchor/anchorBench.js): Inkling's
// engine beside llama.cpp on the same model shape. Progress goes to stderr, the markdown report to
// stdout, so `> results.md` keeps only the report.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repoRoot';
import { anchorUsage, parseAnchorArgs } from './anchorOptions';
import { renderAnchorReport } from './anchorReport';
import { runAnchor } from './runAnchor';
import { runMain } from '../bench/flagValues';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${anchorUsage}\n`);
    return 0;
  }
  let options;
  try {
    options = parseAnchorArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${anchorUsage}\n`);
    return 2;
  }
  const processEntry = join(repoRoot(), 'dist', 'modelProcess.js');
  const llamaChildEntry = join(__dirname, 'llamaChild.js');
  for (const entry of [processEntry, llamaChildEntry]) {
    if (!existsSync(entry)) {
      process.stderr.write(`${entry} is missing: run "node esbuild.config.mjs --only=modelProcess,tests" first.\n`);
      return 2;
    }
  }
  const run = await runAnchor(options, { processEntry, llamaChildEntry }, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${renderAnchorReport(run, ['node out/tools/anchor/anchorBench.js', ...argv].join(' '))}\n`);
  return 0;
}

runMain(main);
