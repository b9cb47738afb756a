import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeSetting, readSettings, completionEnabledFor } from '../../../src/common/settings';
import { SETTINGS, type SettingKey, type SettingSpec } from '../../../src/common/settingsTable';
import { repoRoot } from '../../support/repoRoot';
import { settingsTableMarkdown } from '../../../tools/settingsDoc';

const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown; minimum?: number; maximum?: number; enum?: string[]; enumDescriptions?: string[]; markdownDescription?: string; scope?: string }> } };
};
const nls = JSON.parse(readFileSync(join(repoRoot(), 'package.nls.json'), 'utf8')) as Record<string, string>;
/** The manifest's text after VS Code replaces %key% with package.nls.json's English. */
const localized = (text: string | undefined) => text?.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? `<missing ${key}>`);

describe('settings', () => {
  describe('the table and package.json agree', () => {
    const properties = manifest.contributes.configuration.properties;
    it('declares exactly the settings of the table', () => {
      assert.deepEqual(Object.keys(properties).sort(), Object.keys(SETTINGS).map((k) => `inkling.${k}`).sort());
    });
    for (const [key, spec] of Object.entries(SETTINGS) as [string, SettingSpec][]) {
      it(`inkling.${key} has the same default, range and a markdownDescription`, () => {
        const p = properties[`inkling.${key}`]!;
        assert.deepEqual(p.default, spec.default);
        assert.equal(localized(p.markdownDescription), spec.markdownDescription);
        if (spec.type === 'enum' && spec.enumDescriptions) assert.deepEqual(p.enumDescriptions?.map(localized), [...spec.enumDescriptions]);
        if (spec.type === 'number' || spec.type === 'integer') assert.deepEqual([p.minimum, p.maximum], [spec.minimum, spec.maximum]);
        if (spec.type === 'enum') assert.deepEqual(p.enum, [...spec.values]);
        if ('languageOverridable' in spec && spec.languageOverridable) assert.equal(p.scope, 'language-overridable');
      });
    }
  });

  it('README documents every setting as the table says (npm run docs:settings rewrites it)', () => {
    const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
    assert.ok(readme.includes(settingsTableMarkdown()), 'README.md\'s settings table is stale: run npm run docs:settings');
    for (const key of Object.keys(SETTINGS)) assert.ok(readme.includes(`\`inkling.${key}\``), `README lacks inkling.${key}`);
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
      ['completion.multiline', null, 'auto', /^$/],
    ];
    for (const [key, raw, expected, message] of bad) {
      it(`inkling.${key} = ${String(raw)} becomes ${String(expected)} with a message naming it`, () => {
        const { value, problem } = normalizeSetting(key, raw);
        assert.deepEqual(value, expected);
        assert.match(problem ?? '', message);
      });
    }

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
