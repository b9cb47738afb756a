// The test-model cache is keyed by the maker's sources: any change to them gives a new folder.
import { strict as assert } from 'node:assert';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureTestModel, makerSourceDir, makerSourceHash, testModelDir, testModelKey } from '../modelCache';

describe('test-model cache key', () => {
  let copy: string;
  before(() => {
    copy = mkdtempSync(join(tmpdir(), 'inkling-maker-sources-'));
    cpSync(makerSourceDir(), copy, { recursive: true });
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  it('hashes the sources by content, wherever they are', () => {
    assert.match(makerSourceHash(), /^[0-9a-f]{64}$/);
    assert.equal(makerSourceHash(copy), makerSourceHash());
  });

  it('changes when a source file changes, or one is added; not for the README', () => {
    const before = makerSourceHash(copy);
    writeFileSync(join(copy, 'README.md'), 'edited\n');
    assert.equal(makerSourceHash(copy), before, 'documentation does not change the models');
    appendFileSync(join(copy, 'quantize.ts'), '\n// a one-line change\n');
    const edited = makerSourceHash(copy);
    assert.notEqual(edited, before);
    assert.notEqual(testModelKey('successor', 'q8', {}, edited), testModelKey('successor', 'q8', {}, before));
    writeFileSync(join(copy, 'extra.ts'), 'export const x = 1;\n');
    assert.notEqual(makerSourceHash(copy), edited);
  });

  it('tells kinds, dtypes and options apart, and names the folder after them', () => {
    const hash = makerSourceHash();
    const keys = [
      testModelKey('successor', 'fp32', {}, hash), testModelKey('successor', 'q8', {}, hash), testModelKey('random', 'fp32', {}, hash),
      testModelKey('random', 'fp32', { seed: 7 }, hash), testModelKey('random', 'fp32', { externalData: true }, hash),
    ];
    assert.equal(new Set(keys).size, keys.length);
    assert.match(keys[0], /^successor-fp32-[0-9a-f]{16}$/);
    assert.match(keys[3], /^random-fp32-seed7-[0-9a-f]{16}$/);
    assert.match(keys[4], /^random-fp32-external-[0-9a-f]{16}$/);
    assert.equal(testModelKey('successor', 'fp32', {}, hash), keys[0], 'stable');
    assert.ok(testModelDir('successor', 'fp32').endsWith(keys[0]));
  });

  it('a build sweeps folders the current sources would not make, and nothing else', async () => {
    const dir = testModelDir('random', 'fp32', { seed: 7 });
    const cache = dirname(dir);
    const stale = ['random-fp32-seed7-0123456789abcdef', 'successor-q8-0123456789abcdef', 'bench-scripted-fp32-0123456789abcdef', 'random-q4-1']
      .map((name) => join(cache, name));
    const kept = [join(cache, 'random-fp32-seed7-0123456789abcdef.tmp-1-2'), testModelDir('random', 'fp32', { seed: 8 }), join(cache, 'notes')];
    rmSync(dir, { recursive: true, force: true });
    for (const d of [...stale, ...kept]) mkdirSync(d, { recursive: true });
    try {
      assert.equal(await ensureTestModel('random', 'fp32', { seed: 7 }), dir);
      assert.ok(existsSync(join(dir, 'onnx', 'model.onnx')));
      for (const d of stale) assert.ok(!existsSync(d), `${d} is gone`);
      for (const d of kept) assert.ok(existsSync(d), `${d} stays`);
    } finally {
      for (const d of [dir, ...stale, ...kept]) rmSync(d, { recursive: true, force: true });
    }
  });
});
