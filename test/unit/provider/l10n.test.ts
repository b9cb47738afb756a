import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../tools/repoRoot';

const read = (file: string) => JSON.parse(readFileSync(join(repoRoot(), file), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();

describe('localization (en, zh-cn)', () => {
  it('translates every runtime string into Chinese, keeping its placeholders', () => {
    const en = read('l10n/bundle.l10n.json');
    const zh = read('l10n/bundle.l10n.zh-cn.json');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    for (const [key, value] of Object.entries(zh)) {
      assert.notEqual(value, key, `untranslated: ${key}`);
      assert.equal(placeholders(value), placeholders(key), `placeholders differ: ${key}`);
    }
  });

  it('has every vscode.l10n.t string of the source in the bundle', () => {
    const en = read('l10n/bundle.l10n.json');
    const sources = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
      const full = join(dir, n);
      return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
    });
    for (const file of sources(join(repoRoot(), 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/l10n\.t\('((?:[^'\\]|\\.)*)'/g)) {
        assert.ok(m[1]!.replace(/\\'/g, "'") in en, `${file}: "${m[1]}" is missing from l10n/bundle.l10n.json (run npx @vscode/l10n-dev export --outDir ./l10n ./src)`);
      }
    }
  });

  it('translates every manifest string', () => {
    const en = read('package.nls.json');
    const zh = read('package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    const manifest = readFileSync(join(repoRoot(), 'package.json'), 'utf8');
    for (const key of manifest.match(/%[\w.]+%/g) ?? []) assert.ok(key.slice(1, -1) in en, `package.nls.json lacks ${key}`);
  });
});
