// The mutation check's own logic: a mutant applies only where its text is unambiguous, the list has no
// repeats, every listed mutant still applies to today's code, and the mutated module's tests run first.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyMutant, listProblems, orderTestFiles, specPattern } from '../../../tools/mutation/applyMutant';
import { MUTANTS, type Mutant } from '../../../tools/mutation/mutants';
import { titlesPattern } from '../../../tools/mutation/runInCopy';
import { repoRoot } from '../../../tools/repoRoot';

const mutant = (from: string, to: string, id = 'm'): Mutant => ({ id, file: 'f.ts', from, to, bug: 'b' });

describe('mutation check', () => {
  it('replaces the one occurrence of a mutant\'s text', () => {
    assert.deepEqual(applyMutant('a < b;\nc();\n', mutant('a < b', 'a <= b')), { ok: true, text: 'a <= b;\nc();\n' });
  });

  it('refuses text that is missing, repeated or left unchanged, saying why', () => {
    assert.deepEqual(applyMutant('x', mutant('y', 'z')), { ok: false, why: 'its text is no longer in f.ts' });
    assert.deepEqual(applyMutant('a; a;', mutant('a;', 'b;')), { ok: false, why: 'its text occurs more than once in f.ts' });
    assert.deepEqual(applyMutant('a;', mutant('a;', 'a;')), { ok: false, why: 'it changes nothing' });
  });

  it('finds duplicate ids and repeated bugs in a list', () => {
    assert.deepEqual(listProblems([mutant('a', 'b', 'x'), mutant('a', 'b', 'y'), mutant('c', 'd', 'x')]), ['y repeats another mutant', 'duplicate id x']);
  });

  it('lists at least 20 mutants, each of which applies to the code as it is', () => {
    assert.ok(MUTANTS.length >= 20, `${MUTANTS.length} mutants`);
    assert.deepEqual(listProblems(MUTANTS), []);
    const stale = MUTANTS.filter((m) => !applyMutant(readFileSync(join(repoRoot(), m.file), 'utf8'), m).ok).map((m) => m.id);
    assert.deepEqual(stale, [], 'stale mutants: update tools/mutation/mutants.ts');
  });

  it('runs the mutated module\'s own tests first, then those that import it', () => {
    const files = ['out/test/unit/a/alpha.test.js', 'out/test/unit/model/rules.test.js', 'out/test/unit/model/kvCache.test.js', 'out/test/unit/model/kvCacheReuse.test.js'];
    const sources: Record<string, string> = { 'out/test/unit/model/rules.test.js': "import { KvCache } from '../../../src/model/process/kvCache';" };
    assert.deepEqual(orderTestFiles(files, 'src/model/process/kvCache.ts', (file) => sources[file] ?? ''), [
      'out/test/unit/model/kvCache.test.js',
      'out/test/unit/model/rules.test.js',
      'out/test/unit/a/alpha.test.js',
      'out/test/unit/model/kvCacheReuse.test.js',
    ]);
  });

  it('finds the unit layer\'s files as .mocharc.json\'s globs name them', () => {
    const unit = specPattern('out/test/unit/**/*.test.js');
    const tools = specPattern('out/tools/**/test/**/*.test.js');
    assert.ok(unit.test('out/test/unit/a.test.js') && unit.test('out/test/unit/model/b.test.js'));
    assert.ok(!unit.test('out/test/unit/model/fixture.js') && !unit.test('out/test/host/c.test.js'));
    assert.ok(tools.test('out/tools/bench/test/d.test.js') && tools.test('out/tools/makeModel/test/x/e.test.js'));
    assert.ok(!tools.test('out/tools/bench/d.test.js') && !tools.test('out/tools/mutation.js'));
  });

  it('re-checks a kill by the exact full title of its test, special characters and all', () => {
    const pattern = titlesPattern(['settings reads inkling.completion.temperature = 1e9 (clamped)', 'a [b] c?']);
    assert.ok(pattern.test('settings reads inkling.completion.temperature = 1e9 (clamped)'));
    assert.ok(pattern.test('a [b] c?'));
    assert.ok(!pattern.test('a [b] c? and more') && !pattern.test('settings reads inkling.completion.temperature = 1e9'));
  });
});
