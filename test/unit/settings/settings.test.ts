import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completionEnabledFor } from '../../../src/completion/languageSwitch';
import { normalizeSetting, readSettings } from '../../../src/settings/settings';
import { SETTINGS, type SettingKey } from '../../../src/settings/settingsTable';
import { repoRoot } from '../../../tools/repoRoot';
import { englishDescriptions, manifestProperties, settingsTableMarkdown } from '../../../tools/settingsFiles';

const readJson = (file: string) => JSON.parse(readFileSync(join(repoRoot(), file), 'utf8')) as Record<string, unknown>;

describe('settings', () => {
  describe('the files made from the settings table (npm run generate:settings rewrites them)', () => {
    it('package.json declares exactly the table\'s settings, with their types, ranges, defaults and scopes', () => {
      const manifest = readJson('package.json') as { contributes: { configuration: { properties: unknown } } };
      assert.deepEqual(manifest.contributes.configuration.properties, manifestProperties());
    });

    it('package.nls.json holds the table\'s English description of every setting and enum value', () => {
      const nls = readJson('package.nls.json');
      const configStrings = Object.fromEntries(Object.entries(nls).filter(([key]) => key.startsWith('config.') && key !== 'config.title'));
      assert.deepEqual(configStrings, englishDescriptions());
    });

    it('package.nls.zh-cn.json translates every one of them', () => {
      const zh = readJson('package.nls.zh-cn.json');
      const missing = Object.keys(englishDescriptions()).filter((key) => typeof zh[key] !== 'string' || zh[key] === '');
      assert.deepEqual(missing, []);
    });

    it('the README documents every setting as the table says', () => {
      const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
      assert.ok(readme.includes(settingsTableMarkdown()), 'README.md\'s settings table is stale: run npm run generate:settings');
      for (const key of Object.keys(SETTINGS)) assert.ok(readme.includes(`\`inkling.${key}\``), `README lacks inkling.${key}`);
    });
  });

  describe('reading', () => {
    it('gives the defaults when nothing is set, with no problems', () => {
      const { settings, problems } = readSettings(() => undefined);
      assert.deepEqual(problems, []);
      assert.equal(settings.completion.sampling.temperature, SETTINGS['completion.temperature'].default);
      assert.equal(settings.explain.sampling.temperature, 0.7);
      assert.equal(settings.model.id, SETTINGS['model.id'].default);
    });

    const bad: [SettingKey, unknown, unknown, RegExp][] = [
      ['completion.temperature', Number.NaN, SETTINGS['completion.temperature'].default, /inkling\.completion\.temperature.*NaN/],
      ['completion.temperature', -1, 0, /inkling\.completion\.temperature.*between 0 and 2.*using 0/],
      ['completion.temperature', 1e9, 2, /using 2/],
      ['completion.temperature', 'hot', SETTINGS['completion.temperature'].default, /must be a number/],
      ['completion.maxNewTokens', 1e12, 4096, /inkling\.completion\.maxNewTokens/],
      ['completion.maxNewTokens', 12.6, 13, /whole number/],
      ['completion.topK', -5, 0, /topK/],
      ['completion.topP', 0, 0.01, /topP/],
      ['completion.debounceMs', Number.POSITIVE_INFINITY, 5000, /debounceMs/],
      ['explain.repetitionPenalty', 0.2, 1, /repetitionPenalty/],
      ['model.dtype', 'int3', 'q8', /one of fp32, fp16, q8, q4/],
      ['completion.enabled', 'yes', true, /true or false/],
      ['model.id', 42, SETTINGS['model.id'].default, /must be text/],
      ['completion.multiline', null, 'auto', /inkling\.completion\.multiline is null; using the default "auto"/],
      ['completion.topP', null, SETTINGS['completion.topP'].default, /inkling\.completion\.topP is null/],
    ];
    for (const [key, raw, expected, message] of bad) {
      it(`inkling.${key} = ${String(raw)} becomes ${String(expected)} with a message naming it`, () => {
        const { value, problem } = normalizeSetting(key, raw);
        assert.deepEqual(value, expected);
        assert.match(problem ?? '', message);
      });
    }

    it('keeps a setting\'s last valid value when it turns bad, and says which value it uses', () => {
      const first = readSettings((k) => (k === 'model.dtype' ? 'fp32' : undefined));
      assert.equal(first.settings.model.dtype, 'fp32');
      const second = readSettings((k) => (k === 'model.dtype' ? 'q3' : k === 'completion.topP' ? null : undefined), first.lastValid);
      assert.equal(second.settings.model.dtype, 'fp32', 'not the default q8');
      assert.deepEqual(second.problems.map((p) => p.message), [
        'Setting inkling.model.dtype must be one of fp32, fp16, q8, q4 (got "q3"); using its last valid value "fp32".',
        'Setting inkling.completion.topP is null; using its last valid value 0.95.',
      ]);
      assert.equal(second.lastValid['model.dtype'], 'fp32', 'a bad value never becomes the last valid one');
    });

    it('accepts numbers written as text', () => {
      assert.deepEqual(normalizeSetting('completion.temperature', '0.5'), { value: 0.5 });
    });

    it('keeps the valid entries of the per-language switch and names the bad ones', () => {
      const { value, problem } = normalizeSetting('completion.languages', { python: false, go: 'no' });
      assert.deepEqual(value, { python: false });
      assert.match(problem!, /ignoring go/);
    });

    it('collects one problem per bad setting and still returns complete settings', () => {
      const raw: Partial<Record<SettingKey, unknown>> = { 'completion.temperature': Number.NaN, 'explain.topK': -1 };
      const { settings, problems } = readSettings((k) => raw[k]);
      assert.equal(problems.length, 2);
      assert.equal(settings.explain.sampling.topK, 0);
    });

    it('turns completions off per language, plaintext and markdown off by default', () => {
      const { settings } = readSettings(() => undefined);
      assert.equal(completionEnabledFor(settings.completion, 'python'), true);
      assert.equal(completionEnabledFor(settings.completion, 'markdown'), false);
      assert.equal(completionEnabledFor(settings.completion, 'plaintext'), false);
      assert.equal(completionEnabledFor({ ...settings.completion, enabled: false }, 'python'), false);
    });
  });
});
