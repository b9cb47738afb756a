// `npm run test:mutation`: plants each listed bug in a temporary copy of the repository, runs the unit
// layer there, and prints the score and every survivor. The real working tree is only read.
//   node out/tools/mutation.js [--only id,prefix…] [--jobs N] [--list]
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyMutant, listProblems } from './applyMutant';
import { MUTANTS, type Mutant } from './mutants';
import { killGroup, runUnitLayer, running, titlesPattern, type UnitOutcome, type UnitRunOptions } from './runInCopy';
import { copyWorkingTree, workingTreeFiles } from './workspaceCopy';

interface Options { only: string[]; jobs: number; list: boolean }

function parseArgs(argv: string[]): Options {
  const options: Options = { only: [], jobs: 2, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') options.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg === '--jobs') options.jobs = Math.max(1, Math.min(4, Number(argv[++i]) || 1));
    else if (arg === '--list') options.list = true;
    else throw new Error(`unknown argument ${arg}: use --only id,prefix…, --jobs N or --list`);
  }
  return options;
}

const copies = new Set<string>();

/** Ctrl+C: end the test processes and remove the copies, so nothing is left behind. */
function cleanUpOnSignal(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      for (const pid of running) killGroup(pid);
      for (const copy of copies) rmSync(copy, { recursive: true, force: true });
      console.log(`\nmutation: stopped by ${signal}; temporary copies removed`);
      process.exit(130);
    });
  }
}

/** A fresh copy of the snapshot with `mutant` applied, its unit layer run, the copy removed. */
async function runMutant(snapshot: string, files: string[], mutant: Mutant, options: Omit<UnitRunOptions, 'mutatedFile'>): Promise<UnitOutcome> {
  const copy = copyWorkingTree(snapshot, files);
  copies.add(copy);
  try {
    const path = join(copy, mutant.file);
    const applied = applyMutant(readFileSync(path, 'utf8'), mutant);
    if (!applied.ok) return { kind: 'broken', why: applied.why, seconds: 0 };
    writeFileSync(path, applied.text);
    return await runUnitLayer(copy, { ...options, mutatedFile: mutant.file });
  } finally {
    rmSync(copy, { recursive: true, force: true });
    copies.delete(copy);
  }
}

function describe(outcome: UnitOutcome): string {
  switch (outcome.kind) {
    case 'failed': return `by "${outcome.by}"`;
    case 'timedOut': return 'the unit layer timed out';
    case 'passed': return `all ${outcome.tests} tests passed`;
    case 'broken': return outcome.why.split('\n')[0] ?? '';
  }
}

function label(outcome: UnitOutcome): string {
  return (outcome.kind === 'passed' ? 'SURVIVED' : outcome.kind === 'broken' ? 'BROKEN' : 'killed').padEnd(8);
}

/**
 * A kill counts only if its test passes without the mutant: the tests that killed mutants run once
 * more on the snapshot's own build, and a mutant killed by one that fails there too (a timing test
 * on a busy machine) is run again without it. Returns those tests.
 */
async function recheckKills(snapshot: string, files: string[], outcomes: Map<Mutant, UnitOutcome>, timeoutMs: number): Promise<string[]> {
  const killers = [...new Set([...outcomes.values()].flatMap((o) => (o.kind === 'failed' && !o.by.startsWith('the test process') ? [o.by] : [])))];
  if (killers.length === 0) return [];
  const check = await runUnitLayer(snapshot, { timeoutMs, build: false, bail: false, grep: titlesPattern(killers) });
  const flaky = check.failures.filter((title) => killers.includes(title));
  if (flaky.length === 0) return [];
  const without = titlesPattern(flaky);
  for (const [mutant, outcome] of outcomes) {
    if (outcome.kind !== 'failed' || !flaky.includes(outcome.by)) continue;
    const again = await runMutant(snapshot, files, mutant, { timeoutMs, grep: without, invert: true });
    outcomes.set(mutant, again);
    console.log(`  ${label(again)} ${mutant.id} (${again.seconds} s) ${describe(again)}, re-run without a test that also fails unmutated`);
  }
  return flaky;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: __dirname, encoding: 'utf8' }).trim();
  const problems = listProblems(MUTANTS);
  if (problems.length > 0) throw new Error(`the mutant list is wrong: ${problems.join('; ')}`);
  const chosen = options.only.length ? MUTANTS.filter((m) => options.only.some((o) => m.id === o || m.id.startsWith(o))) : [...MUTANTS];
  if (options.list) {
    for (const m of MUTANTS) console.log(`${m.id.padEnd(40)} ${m.file}: ${m.bug}`);
    return;
  }
  if (chosen.length === 0) throw new Error(`no mutant matches ${options.only.join(', ')}`);

  // Stale mutants are found before anything runs: the list is fixed, not the tests.
  const stale = chosen.flatMap((m) => {
    const applied = applyMutant(readFileSync(join(repo, m.file), 'utf8'), m);
    return applied.ok ? [] : [`${m.id}: ${applied.why}`];
  });
  if (stale.length > 0) {
    console.log(`mutation: ${stale.length} stale mutant(s) in tools/mutation/mutants.ts:\n${stale.map((s) => `  ${s}`).join('\n')}`);
    process.exit(1);
  }

  cleanUpOnSignal();
  // One snapshot first: edits made in the working tree while this runs do not reach later mutants.
  const files = workingTreeFiles(repo);
  const snapshot = copyWorkingTree(repo, files);
  copies.add(snapshot);
  try {
    await runAll(snapshot, files, chosen, options.jobs);
  } finally {
    rmSync(snapshot, { recursive: true, force: true });
    copies.delete(snapshot);
  }
}

async function runAll(snapshot: string, files: string[], chosen: Mutant[], jobs: number): Promise<void> {
  console.log(`mutation: ${chosen.length} mutant(s), ${jobs} at a time, each in a temporary copy of the working tree`);
  // The baseline runs in the snapshot itself, whose build later re-checks the tests that killed mutants.
  const baseline = await runUnitLayer(snapshot, { timeoutMs: 15 * 60_000 });
  if (baseline.kind !== 'passed') {
    console.log(`mutation: the unit layer does not pass without a mutant (${describe(baseline)}); fix that first`);
    process.exitCode = 1;
    return;
  }
  console.log(`baseline: ${baseline.tests} unit tests pass in ${baseline.seconds} s`);
  // A bug may make a test hang: past this, the run counts as caught (it would fail CI by timing out).
  const timeoutMs = Math.max(120_000, baseline.seconds * 3_000);

  const outcomes = new Map<Mutant, UnitOutcome>();
  const queue = [...chosen];
  const worker = async (): Promise<void> => {
    for (let mutant = queue.shift(); mutant; mutant = queue.shift()) {
      const outcome = await runMutant(snapshot, files, mutant, { timeoutMs });
      outcomes.set(mutant, outcome);
      console.log(`  ${label(outcome)} ${mutant.id} (${outcome.seconds} s) ${describe(outcome)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, chosen.length) }, worker));
  const flaky = await recheckKills(snapshot, files, outcomes, timeoutMs);

  const survivors = chosen.filter((m) => outcomes.get(m)?.kind === 'passed');
  const broken = chosen.filter((m) => outcomes.get(m)?.kind === 'broken');
  const scored = chosen.length - broken.length;
  const killed = scored - survivors.length;
  console.log(`\nscore: ${killed} of ${scored} mutants killed (${scored ? Math.floor((killed / scored) * 100) : 0}%)`);
  for (const m of survivors) {
    console.log(`\nSURVIVOR ${m.id} — ${m.file}\n  bug: ${m.bug}`);
    for (const line of m.from.split('\n')) console.log(`  - ${line.trim()}`);
    for (const line of m.to.split('\n').filter(Boolean)) console.log(`  + ${line.trim()}`);
  }
  for (const m of broken) console.log(`\nBROKEN ${m.id}: ${(outcomes.get(m) as { why: string }).why}`);
  if (flaky.length > 0) console.log(`\nThese tests failed without any mutant (timing under load?); their kills were re-run without them:\n${flaky.map((t) => `  ${t}`).join('\n')}`);
  process.exitCode = survivors.length > 0 || broken.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(`mutation: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
