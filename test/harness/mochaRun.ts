// Runs mocha programmatically and counts what happened, so every layer (unit, extension host, UI)
// ends in the same summary file that scripts/test-all.sh adds up. Loaded inside the extension host
// too: nothing here may import playwright or VS Code.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Mocha from 'mocha';

export interface TestFailure {
  title: string;
  error: string;
}

export interface TestSummary {
  passed: number;
  failed: number;
  failures: TestFailure[];
}

export interface MochaRunOptions {
  timeout?: number;
  /** Only tests whose full title matches (INKLING_TEST_GREP by default). */
  grep?: string;
  color?: boolean;
}

/** Every `*.test.js` under `dir`, sorted so runs are repeatable. */
export function findTestFiles(dir: string): string[] {
  let found: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of names.sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found = found.concat(findTestFiles(full));
    else if (name.endsWith('.test.js')) found.push(full);
  }
  return found;
}

export function runMocha(files: string[], options: MochaRunOptions = {}): Promise<TestSummary> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: options.timeout ?? 60_000, color: options.color ?? true });
  const grep = options.grep ?? process.env.INKLING_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of files) mocha.addFile(file);

  const summary: TestSummary = { passed: 0, failed: 0, failures: [] };
  return new Promise((resolve) => {
    try {
      const { EVENT_TEST_PASS, EVENT_TEST_FAIL } = Mocha.Runner.constants;
      const runner = mocha.run(() => resolve(summary));
      runner.on(EVENT_TEST_PASS, () => {
        summary.passed++;
      });
      // Failing hooks arrive here too, so a broken before() is never silently zero tests.
      runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable, error: unknown) => {
        summary.failed++;
        summary.failures.push({ title: test.fullTitle(), error: describeError(error) });
      });
    } catch (error) {
      // A test file that throws while loading fails the layer instead of crashing the runner.
      resolve(failure('loading test files', error));
    }
  });
}

/** Adds up several runs, e.g. a layer's tests plus "the extension host never exited". */
export function combine(...summaries: TestSummary[]): TestSummary {
  return summaries.reduce(
    (all, s) => ({ passed: all.passed + s.passed, failed: all.failed + s.failed, failures: [...all.failures, ...s.failures] }),
    { passed: 0, failed: 0, failures: [] },
  );
}

export function failure(title: string, error: unknown): TestSummary {
  return { passed: 0, failed: 1, failures: [{ title, error: describeError(error) }] };
}

export function writeSummary(path: string, summary: TestSummary): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(summary, null, 2) + '\n');
}

/** A runner's last words: the summary file, each failure, one count line, and the exit status. */
export function finishRun(path: string, summary: TestSummary, label: string): never {
  writeSummary(path, summary);
  for (const f of summary.failures) console.log(`  ✗ ${f.title}\n${f.error.replace(/^/gm, '      ')}`);
  console.log(`${label}: ${summary.passed} passed, ${summary.failed} failed`);
  process.exit(summary.failed > 0 ? 1 : 0);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
