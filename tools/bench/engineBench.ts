// Entry of the engine benchmark (bundled to out/tools/bench/engineBench.js). Progress goes to stderr,
// the markdown report to stdout, so `> results.md` keeps only the report.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repoRoot';
import { defaultAnchorOptions } from '../anchor/anchorOptions';
import { renderAnchorReport } from '../anchor/anchorReport';
import { runAnchor } from '../anchor/runAnchor';
import { ensureTestModel } from '../makeModel/modelCache';
import { activationChildEntry, measureActivation } from './activationProbe';
import { defaultBandwidth, measureReadBandwidth } from './bandwidthProbe';
import { benchUsage, parseBenchArgs, type BenchOptions } from './benchOptions';
import { measurePauseP50VsNaive } from './runTyping';
import { quickFigures, quickLine, renderQuickSection } from './quickSummary';
import { weightBytes } from './weightBytes';
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
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const command = ['node out/tools/bench/engineBench.js', ...argv].join(' ');
  if (options.quick) return quick(options, processEntry, command, progress);
  const run = await runBench(options, processEntry, progress);
  process.stdout.write(`${renderReport(run, command)}\n`);
  return 0;
}

/** `--quick`: the engine's rounds with a bandwidth probe after each, llama.cpp beside Inkling, activation, one line. */
async function quick(options: BenchOptions, processEntry: string, command: string, progress: (line: string) => void): Promise<number> {
  const bandwidth: number[] = [];
  const probe = async () => {
    bandwidth.push(await measureReadBandwidth({ ...defaultBandwidth, threads: options.threads }));
    progress(`read bandwidth ${(bandwidth[bandwidth.length - 1] / 1e9).toFixed(1)} GB/s`);
  };
  const run = await runBench(options, processEntry, progress, probe);
  const weights = {
    q8: weightBytes(await ensureTestModel(options.kind, 'q8'), 'q8'),
    q4: weightBytes(await ensureTestModel(options.kind, 'q4'), 'q4'),
  };
  const anchor = await runAnchor({ ...defaultAnchorOptions, rounds: options.rounds, threads: options.threads }, { processEntry, llamaChildEntry: join(__dirname, '..', 'anchor', 'llamaChild.js') }, progress);
  const extension = join(repoRoot(), 'dist', 'extension.js');
  if (!existsSync(extension)) throw new Error(`${extension} is missing: run "node esbuild.config.mjs --only=modelProcess,extension,tests" first.`);
  const activation = await measureActivation(repoRoot(), activationChildEntry(__dirname), 5, { 'inkling.model.id': await ensureTestModel('successor', 'q8') });
  progress(`activation ${activation.totalMs?.median.toFixed(0)} ms`);
  // The user's side of it: the typing trace's first keystrokes through CompletionService, Inkling against the naive path.
  const pause = await measurePauseP50VsNaive(processEntry, 160, progress);
  progress(`pause → ghost text p50: Inkling ${pause.inklingP50Ms === undefined ? 'none' : Math.round(pause.inklingP50Ms)} ms, naive ${pause.naiveP50Ms === undefined ? 'none' : Math.round(pause.naiveP50Ms)} ms`);
  const pauseRatio = pause.pauseP50VsNaive;
  const inputs = { run, anchor, bandwidth, weights, activation, pauseRatio };
  const figures = quickFigures(inputs);
  process.stdout.write([
    renderReport(run, command),
    '',
    renderAnchorReport(anchor, `${command} (anchor part)`),
    '',
    renderQuickSection(inputs, figures),
    '',
    quickLine(figures),
  ].join('\n') + '\n');
  return 0;
}

runMain(main);
