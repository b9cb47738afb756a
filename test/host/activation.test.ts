// In a real extension host (code-server or desktop VS Code) with the fixture workspace open:
// Inkling activates, registers its commands, reads workspace settings, applies a settings change
// without a reload, and loads the successor test model until the status says ready.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InklingApi, InklingState } from '../../src/provider/api';
import type { InklingSettings } from '../../src/settings/settings';
import { activateInkling, INKLING_ID, nextEvent } from './hostSupport';

const commands = ['inkling.explainSelection', 'inkling.toggleCompletions', 'inkling.selectModel', 'inkling.retryModel', 'inkling.showLog', 'inkling.showStatusMenu'];

/** Resolves when `check` passes, polling; fails with the last value seen. */
async function eventually<T>(read: () => T, check: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let value = read();
  while (!check(value)) {
    if (Date.now() > end) assert.fail(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = read();
  }
  return value;
}

describe('Inkling in the extension host', () => {
  const fixtureModel = process.env.INKLING_TEST_MODEL;
  let api: InklingApi;

  before(async () => {
    assert.ok(fixtureModel, 'INKLING_TEST_MODEL is not set: run through test/harness/runHostTests or test/electron/runElectron');
    api = await activateInkling();
  });

  it('activates and hands its test API to callers', () => {
    assert.equal(vscode.extensions.getExtension(INKLING_ID)?.isActive, true);
    assert.equal(typeof api.settings, 'function');
    assert.equal(typeof api.status, 'function');
  });

  it('registers every command it contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(commands.filter((c) => !registered.has(c)), []);
  });

  it("reads the user's inkling.model.id", () => {
    assert.equal(vscode.workspace.getConfiguration('inkling').get('model.id'), fixtureModel);
    assert.equal(api.settings().model.id, fixtureModel);
  });

  it('applies a changed completion temperature without a reload', async () => {
    const config = vscode.workspace.getConfiguration('inkling');
    const before = api.settings().completion.sampling.temperature;
    const wanted = before === 0.55 ? 0.65 : 0.55;
    const changed = nextEvent<InklingSettings>((listener) => api.onDidChangeSettings(listener), () => true, 10_000, 'onDidChangeSettings');
    try {
      await config.update('completion.temperature', wanted, vscode.ConfigurationTarget.Workspace);
      const seen = await changed;
      assert.equal(seen.completion.sampling.temperature, wanted);
      assert.equal(api.settings().completion.sampling.temperature, wanted);
    } finally {
      changed.dispose();
      await config.update('completion.temperature', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await eventually(() => api.settings().completion.sampling.temperature, (t) => t === before, 10_000, 'temperature after reset');
  });

  it('loads the successor model: the status reaches ready', async function () {
    this.timeout(180_000);
    await eventually<InklingState>(() => api.status(), (s) => s === 'ready' || s === 'error', 150_000, 'status');
    assert.equal(api.status(), 'ready', 'the model failed to load: see the Inkling log in .test-artifacts/host/server-logs/');
    assert.equal(api.models.infoFor('completion')?.model, fixtureModel);
  });
});
