// No repository chooses what Inkling runs: every setting that names a model, a folder, a URL or a
// provider is a machine setting (never read from a workspace), listed as restricted for Restricted
// Mode, where Inkling declares limited support so completions keep working from the user's settings.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS, type SettingKey } from '../../../src/settings/settingsTable';
import { restrictedSettings } from '../../../tools/settingsFiles';
import { repoRoot } from '../../../tools/repoRoot';

/** What runs, from where and on what. */
/** What runs, from where, on what — and where the code is sent (the server backend). */
const CHOOSES_WHAT_RUNS: SettingKey[] = [
  'model.id', 'model.dtype', 'model.device', 'model.threads', 'model.hubUrl', 'explain.model',
  'backend', 'server.url', 'server.model', 'server.promptTemplate',
];

describe('workspace trust in the manifest', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
    capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[]; description?: string } };
    contributes: { configuration: { properties: Record<string, { scope?: string }> } };
  };

  it('gives every setting that chooses the model, its folder, the hub or the provider machine scope', () => {
    for (const key of CHOOSES_WHAT_RUNS) {
      assert.equal((SETTINGS[key] as { scope?: string }).scope, 'machine', `inkling.${key}`);
      assert.equal(manifest.contributes.configuration.properties[`inkling.${key}`]?.scope, 'machine', `package.json: inkling.${key}`);
    }
  });

  it('leaves every other setting to the workspace, where per-project tuning belongs', () => {
    const others = (Object.keys(SETTINGS) as SettingKey[]).filter((key) => !CHOOSES_WHAT_RUNS.includes(key));
    for (const key of others) assert.notEqual((SETTINGS[key] as { scope?: string }).scope, 'machine', `inkling.${key}`);
  });

  it('supports untrusted workspaces in a limited way, restricting exactly those settings', () => {
    const trust = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(trust?.supported, 'limited');
    assert.deepEqual(trust?.restrictedConfigurations, CHOOSES_WHAT_RUNS.map((key) => `inkling.${key}`));
    assert.deepEqual(restrictedSettings(), trust?.restrictedConfigurations);
    assert.equal(trust?.description, '%capabilities.untrustedWorkspaces%');
    for (const nls of ['package.nls.json', 'package.nls.zh-cn.json']) {
      assert.ok((JSON.parse(readFileSync(join(repoRoot(), nls), 'utf8')) as Record<string, string>)['capabilities.untrustedWorkspaces'], nls);
    }
  });
});
