// Builds a copy of the repository with esbuild and runs its unit layer with mocha, stopping at the
// first failure: what one mutant (or the baseline, with none) does to the tests.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { orderTestFiles, specPattern } from './applyMutant';

export type UnitOutcome =
  | { kind: 'passed'; tests: number; seconds: number }
  | { kind: 'failed'; by: string; message: string; seconds: number }
  | { kind: 'timedOut'; seconds: number }
  /** The copy did not build or mocha did not report: the mutant list needs fixing, not the tests. */
  | { kind: 'broken'; why: string; seconds: number };

interface MochaJson {
  stats?: { passes: number; failures: number };
  failures?: Array<{ fullTitle: string; err?: { message?: string } }>;
}

/** Children still running, so an interrupted run can end them all. */
export const running = new Set<number>();

function exec(command: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    // Its own process group: a timeout ends the model processes the tests forked too.
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    if (child.pid) running.add(child.pid);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (child.pid) running.delete(child.pid);
      // mocha --exit leaves nothing behind; a crashed run might.
      killGroup(child.pid);
      resolve({ code, output, timedOut });
    });
  });
}

export function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The unit layer's test files, as .mocharc.json's spec names them, relative to `copy`. */
function unitTests(copy: string): string[] {
  const config = JSON.parse(readFileSync(join(copy, '.mocharc.json'), 'utf8')) as { spec: string | string[] };
  const patterns = (Array.isArray(config.spec) ? config.spec : [config.spec]).map(specPattern);
  return filesUnder(join(copy, 'out')).map((f) => relative(copy, f).split(sep).join('/')).filter((f) => patterns.some((p) => p.test(f)));
}

export interface UnitRunOptions {
  /** The file the mutant changed: its tests run first. */
  mutatedFile?: string;
  timeoutMs: number;
  /** False to reuse the copy's last build. */
  build?: boolean;
  /** Only the tests whose full title matches (`invert`: all but those). */
  grep?: RegExp;
  invert?: boolean;
  /** True (the default) stops at the first failure; false collects them all in `failures`. */
  bail?: boolean;
}

/** Every failing test of a run without --bail, by full title. */
export type FullRun = UnitOutcome & { failures: string[] };

export async function runUnitLayer(copy: string, options: UnitRunOptions): Promise<FullRun> {
  const { mutatedFile, timeoutMs, build = true, grep, invert = false, bail = true } = options;
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  const built = build ? await exec(process.execPath, ['esbuild.config.mjs'], copy, 120_000) : { code: 0, output: '' };
  if (built.code !== 0) return { kind: 'broken', why: `the build failed:\n${built.output}`, seconds: seconds(), failures: [] };
  // The mutation check's own tests read the (mutated) sources to find stale mutants: they would
  // "kill" every mutant, so they stay out of these runs.
  const files = unitTests(copy).filter((f) => !f.startsWith('out/test/unit/mutation/') && !f.startsWith('out/tools/mutation/'));
  // out/test/unit/a/b.test.js was bundled from test/unit/a/b.test.ts.
  const sourceOf = (file: string): string => {
    try {
      return readFileSync(join(copy, file.replace(/^out[\\/]/, '').replace(/\.js$/, '.ts')), 'utf8');
    } catch {
      return '';
    }
  };
  const ordered = mutatedFile ? orderTestFiles(files, mutatedFile, sourceOf) : files.sort();
  const report = join(copy, '.mutation-result.json');
  const mocha = join(copy, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const filters = grep ? ['--grep', grep.source, ...(invert ? ['--invert'] : [])] : [];
  const args = [mocha, '--no-config', ...(bail ? ['--bail'] : []), ...filters, '--exit', '--timeout', '60000', '--reporter', 'json', '--reporter-option', `output=${report}`, ...ordered];
  const run = await exec(process.execPath, args, copy, timeoutMs);
  if (run.timedOut) return { kind: 'timedOut', seconds: seconds(), failures: [] };
  let result: MochaJson | undefined;
  try {
    result = JSON.parse(readFileSync(report, 'utf8')) as MochaJson;
  } catch {
    // A crash before mocha's end: the process's exit says what happened.
  }
  const failures = (result?.failures ?? []).map((f) => f.fullTitle);
  const failure = result?.failures?.[0];
  if (failure) return { kind: 'failed', by: failure.fullTitle, message: (failure.err?.message ?? '').split('\n')[0] ?? '', seconds: seconds(), failures };
  if (run.code === 0 && result?.stats && result.stats.passes > 0) return { kind: 'passed', tests: result.stats.passes, seconds: seconds(), failures };
  // A bug that crashes the test process (or hangs a handle mocha cannot end) is still a caught bug.
  if (run.code !== 0) return { kind: 'failed', by: `the test process exited with ${run.code}`, message: run.output.trim().split('\n').pop() ?? '', seconds: seconds(), failures };
  return { kind: 'broken', why: `mocha reported nothing:\n${run.output}`, seconds: seconds(), failures };
}

/** Matches exactly these full test titles. */
export function titlesPattern(titles: readonly string[]): RegExp {
  return new RegExp(`^(?:${titles.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
}
