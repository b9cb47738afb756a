// Entry of the typing benchmark (bundled to out/tools/bench/typingBench.js): progress to stderr, the
// markdown report to stdout.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repoRoot';
import { runMain } from './flagValues';
import { runTyping } from './runTyping';
import { parseTypingArgs, typingUsage } from './typingOptions';
import { renderTypingReport } from './typingReport';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${typingUsage}\n`);
    return 0;
  }
  let options;
  try {
    options = parseTypingArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${typingUsage}\n`);
    return 2;
  }
  const processEntry = join(repoRoot(), 'dist', 'modelProcess.js');
  if (!existsSync(processEntry)) {
    process.stderr.write(`${processEntry} is missing: run "node esbuild.config.mjs --only=modelProcess,tests" first.\n`);
    return 2;
  }
  const run = await runTyping(options, processEntry, (line) => process.stderr.write(`${line}\n`));
  if (options.jsonPath) writeFileSync(options.jsonPath, JSON.stringify(run, (_key, value: unknown) => (value === Infinity ? 'Infinity' : value), 1));
  process.stdout.write(`${renderTypingReport(run, ['npm run bench:typing --', ...argv].join(' '))}\n`);
  return 0;
}

runMain(main);
