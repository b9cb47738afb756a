// inkling.backend picks who serves each feature; switching to the server ends the local model
// process (no model idling beside the server), and switching back loads the local model again.
import * as assert from 'node:assert/strict';
import { EnginePort } from '../../../src/model/host/enginePort';
import type { PooledEngine } from '../../../src/model/host/enginePool';
import { ModelBackends } from '../../../src/model/host/modelBackends';
import type { GenerateResult, LoadOptions, ModelInfo } from '../../../src/model/protocol';
import { ServerBackend } from '../../../src/model/server/serverBackend';
import { readSettings, type InklingSettings } from '../../../src/settings/settings';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS, type SettingKey } from '../../../src/settings/settingsTable';
import { repoRoot } from '../../../tools/repoRoot';
import { closedPort } from '../../support/hubServer';

class LocalEngine implements PooledEngine {
  disposed = false;
  async load(options: LoadOptions): Promise<ModelInfo> {
    return { model: options.model, dtype: options.dtype, device: options.device, specialTokens: [], modelType: 'qwen2', eosTokens: [], loadMs: 1 };
  }
  async generate(): Promise<GenerateResult> {
    return { text: 'local', finishReason: 'eos', promptTokens: 1, generatedTokens: 1, timeToFirstTokenMs: 0, totalMs: 0, reusedPromptTokens: 0 };
  }
  async countTokens(): Promise<number> { return 1; }
  async chatPrompt(): Promise<string> { return ''; }
  dispose(): void { this.disposed = true; }
}

function settings(values: Partial<Record<SettingKey, unknown>>): InklingSettings {
  return readSettings((key) => values[key]).settings;
}

describe('choosing the backend', () => {
  it('serves a feature locally or from the server as inkling.backend says, freeing the local process on the switch', async () => {
    const engines: LocalEngine[] = [];
    const local = new EnginePort({ processEntry: 'unused', createEngine: () => engines[engines.push(new LocalEngine()) - 1]!, platform: { os: 'linux', arch: 'x64' } });
    const server = new ServerBackend({ userAgent: 'Inkling/test', apiKey: () => undefined });
    const backends = new ModelBackends(local, server);
    const url = `http://127.0.0.1:${await closedPort()}`;
    try {
      const first = await backends.acquire('completion', settings({ 'model.id': '/models/tiny' }));
      assert.equal(first.info.model, '/models/tiny');
      assert.equal(backends.ready('completion')?.info.model, '/models/tiny');

      const served = await backends.acquire('completion', settings({ backend: 'server', 'server.url': url, 'server.model': 'qwen2.5-coder:1.5b' }));
      assert.equal(served.info.device, 'server');
      assert.equal(served.info.model, `qwen2.5-coder:1.5b at ${new URL(url).host}`);
      assert.equal(backends.ready('completion'), served);
      assert.equal(engines[0]!.disposed, true, 'the local model process still runs beside the server');

      const again = await backends.acquire('completion', settings({ 'model.id': '/models/tiny' }));
      assert.equal(again.info.device, 'cpu');
      assert.equal(engines.length, 2);
      assert.equal(server.ready('completion'), undefined);
    } finally {
      backends.dispose();
    }
  });

  it('with the server backend the completion format comes from the served model, not inkling.completion.promptTemplate', () => {
    assert.equal(settings({ backend: 'server', 'completion.promptTemplate': 'starcoder' }).completion.promptTemplate, 'auto');
    assert.equal(settings({ 'completion.promptTemplate': 'starcoder' }).completion.promptTemplate, 'starcoder');
  });

  it('the settings that decide where code goes are machine-scoped, so no workspace can set them', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } };
    for (const key of ['backend', 'server.url', 'server.model', 'server.promptTemplate'] as const) {
      assert.equal(SETTINGS[key].scope, 'machine', key);
      assert.equal(manifest.contributes.configuration.properties[`inkling.${key}`]?.scope, 'machine', key);
    }
  });
});
