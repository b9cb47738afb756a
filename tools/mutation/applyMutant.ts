// Puts one mutant's bug into a file's text: pure, so a stale mutant is caught before anything runs.
import type { Mutant } from './mutants';

export type Applied = { ok: true; text: string } | { ok: false; why: string };

export function applyMutant(text: string, mutant: Pick<Mutant, 'from' | 'to' | 'file'>): Applied {
  const at = text.indexOf(mutant.from);
  if (mutant.from === '' || at < 0) return { ok: false, why: `its text is no longer in ${mutant.file}` };
  if (text.indexOf(mutant.from, at + 1) >= 0) return { ok: false, why: `its text occurs more than once in ${mutant.file}` };
  const mutated = text.slice(0, at) + mutant.to + text.slice(at + mutant.from.length);
  return mutated === text ? { ok: false, why: 'it changes nothing' } : { ok: true, text: mutated };
}

/** Problems with the list itself: duplicate ids, or two mutants that are one and the same bug. */
export function listProblems(mutants: readonly Mutant[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const bugs = new Set<string>();
  for (const m of mutants) {
    if (ids.has(m.id)) problems.push(`duplicate id ${m.id}`);
    ids.add(m.id);
    const key = JSON.stringify([m.file, m.from, m.to]);
    if (bugs.has(key)) problems.push(`${m.id} repeats another mutant`);
    bugs.add(key);
  }
  return problems;
}

/**
 * Unit test files, those of the mutated module first (named after it, then importing it), so a caught
 * bug is caught within seconds, before slower or timing-sensitive tests elsewhere get to run.
 * `sourceOf` gives a test file's TypeScript source ('' when unknown).
 */
export function orderTestFiles(files: readonly string[], mutatedFile: string, sourceOf: (file: string) => string = () => ''): string[] {
  const base = (mutatedFile.split('/').pop() ?? '').replace(/\.ts$/, '');
  const imports = new RegExp(`/${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`);
  const rank = (file: string): number => {
    const name = (file.split('/').pop() ?? '').replace(/\.test\.js$/, '');
    if (name === base) return 0;
    if (imports.test(sourceOf(file))) return 1;
    return 2;
  };
  return [...files].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A glob of .mocharc.json's kind (`**` and `*` only) as a regular expression over '/'-separated paths. */
export function specPattern(glob: string): RegExp {
  const parts = glob.split('/').map((part) => (part === '**' ? '**' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')));
  let source = '';
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    if (part === '**') source += last ? '.*' : '(?:[^/]+/)*';
    else source += last ? part : `${part}/`;
  }
  return new RegExp(`^${source}$`);
}
