// Completions come back by themselves (issue 9): a model folder that appears after a failed load is
// picked up without a reload, a bad setting keeps the last good value, "ready" is said once per load,
// and "Select Model…" saves the pick where the value in effect comes from.
import * as assert from 'node:assert/strict';
import { cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT } from '../../tools/makeModel/successorScript';
import { saveModelChoice } from '../../src/provider/commands';
import { InlineProvider } from '../../src/provider/completion/inlineProvider';
import { Configuration } from '../../src/provider/configuration';
import { Notifications } from '../../src/provider/notifications';
import type { InklingApi } from '../../src/provider/api';
import type { ModelEvent } from '../../src/provider/modelService';
import { closedPort, startHub, type HubServer } from '../support/hubServer';
import { activateInkling, until } from './hostSupport';

describe('Completions that come back by themselves', function () {
  this.timeout(120_000);
  const fixtureModel = process.env.INKLING_TEST_MODEL!;
  let api: InklingApi;
  let log: vscode.LogOutputChannel;
  let provider: InlineProvider;
  let configuration: Configuration;
  let editor: vscode.TextEditor;
  const inkling = () => vscode.workspace.getConfiguration('inkling');

  async function setWorkspace(key: string, value: unknown, applied: (api: InklingApi) => boolean): Promise<void> {
    await inkling().update(key, value, vscode.ConfigurationTarget.Workspace);
    await until(() => applied(api), 10_000, `inkling.${key} applied`);
  }

  /** Asks Inkling's provider for ghost text at the end of the open Python file, as VS Code would. */
  async function ghostText(): Promise<string | undefined> {
    const source = new vscode.CancellationTokenSource();
    try {
      const items = await provider.provideInlineCompletionItems(editor.document, editor.selection.active, { triggerKind: vscode.InlineCompletionTriggerKind.Invoke, selectedCompletionInfo: undefined }, source.token);
      const insert = items?.[0]?.insertText;
      return typeof insert === 'string' ? insert : undefined;
    } finally {
      source.dispose();
    }
  }

  before(async () => {
    api = await activateInkling();
    await setWorkspace('completion.temperature', 0, (a) => a.settings().completion.sampling.temperature === 0);
    log = vscode.window.createOutputChannel('Inkling recovery tests', { log: true });
    configuration = new Configuration(new Notifications(log));
    provider = new InlineProvider(api.completions, configuration);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, 'recovery.py');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SUCCESSOR_FIM_PREFIX));
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const end = editor.document.positionAt(editor.document.getText().length);
    editor.selection = new vscode.Selection(end, end);
  });

  afterEach(() => api.completions.clearCache());

  after(async () => {
    try {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await inkling().update('completion.temperature', undefined, vscode.ConfigurationTarget.Workspace);
      // Back to the fixture workspace's own values (fp32: its model has no q8 weights) for the suites after this one.
      await inkling().update('model.dtype', 'fp32', vscode.ConfigurationTarget.Workspace);
      await inkling().update('model.id', fixtureModel, vscode.ConfigurationTarget.Workspace);
      configuration?.dispose();
      log?.dispose();
    }
  });

  it('a model folder that appears after a failed load gives ghost text, with no reload and no settings change', async () => {
    const late = join(tmpdir(), `inkling-late-model-${process.pid}-${Date.now()}`);
    try {
      await setWorkspace('model.id', late, (a) => a.settings().model.id === late);
      await until(() => api.status() === 'error', 30_000, 'the missing folder failed to load');
      assert.equal(await ghostText(), undefined, 'no model, no ghost text');
      cpSync(fixtureModel, late, { recursive: true });
      const started = Date.now();
      let text: string | undefined;
      await until(() => api.status() === 'ready', 20_000, 'the copied model was not picked up');
      for (const end = Date.now() + 10_000; text === undefined && Date.now() < end;) text = await ghostText();
      assert.equal(text, SUCCESSOR_FIM_TEXT);
      console.log(`      ghost text ${Date.now() - started} ms after the model was copied in`);
    } finally {
      await setWorkspace('model.id', fixtureModel, (a) => a.settings().model.id === fixtureModel);
      rmSync(late, { recursive: true, force: true });
    }
  });

  it('a hub that was down when the model was needed is tried again after the back-off, once a request comes', async () => {
    const port = await closedPort();
    const repo = 'inkling-test/comes-back';
    let hub: HubServer | undefined;
    try {
      await setWorkspace('model.hubUrl', `http://127.0.0.1:${port}/`, (a) => a.settings().model.hubUrl.includes(String(port)));
      await setWorkspace('model.id', repo, (a) => a.settings().model.id === repo);
      await until(() => api.status() === 'error', 30_000, 'the unreachable hub failed the load');
      hub = await startHub({ [repo]: fixtureModel }, { port });
      // Nothing retries by itself while nobody asks; a request after the back-off (2 s) does.
      let text: string | undefined;
      for (const end = Date.now() + 30_000; text === undefined && Date.now() < end;) {
        text = await ghostText();
        if (text === undefined) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.equal(text, SUCCESSOR_FIM_TEXT);
      assert.ok(hub.requests.some((r) => r.endsWith('/config.json')), hub.requests.join(', '));
    } finally {
      await inkling().update('model.hubUrl', undefined, vscode.ConfigurationTarget.Workspace);
      await setWorkspace('model.id', fixtureModel, (a) => a.settings().model.id === fixtureModel);
      await until(() => api.status() === 'ready', 30_000, 'the fixture model back');
      await hub?.close();
    }
  });

  it('an invalid inkling.model.dtype keeps the last valid value, and completions keep working', async () => {
    assert.equal(api.settings().model.dtype, 'fp32', 'the fixture workspace sets fp32');
    await until(() => api.status() === 'ready', 30_000, 'the fixture model ready');
    const loads: ModelEvent[] = [];
    const subscription = api.models.onDidChange((event) => {
      if (event.type === 'loading' || event.type === 'failed') loads.push(event);
    });
    try {
      await inkling().update('model.dtype', 'q3', vscode.ConfigurationTarget.Workspace);
      await until(() => inkling().get('model.dtype') === 'q3', 10_000, 'the bad value was written');
      assert.equal(api.settings().model.dtype, 'fp32', 'not the default q8, which this fp32-only model does not have');
      assert.equal(await ghostText(), SUCCESSOR_FIM_TEXT);
      assert.deepEqual(loads, [], 'the model was neither reloaded nor failed');
    } finally {
      subscription.dispose();
      await setWorkspace('model.dtype', 'fp32', (a) => a.settings().model.dtype === 'fp32');
    }
  });

  it('says "ready" once per load, not once per completion request', async () => {
    await api.models.completionModel();
    const ready: ModelEvent[] = [];
    const subscription = api.models.onDidChange((event) => {
      if (event.type === 'ready') ready.push(event);
    });
    try {
      for (let i = 0; i < 5; i++) {
        api.completions.clearCache();
        assert.equal(await ghostText(), SUCCESSOR_FIM_TEXT);
      }
      assert.deepEqual(ready, []);
    } finally {
      subscription.dispose();
    }
  });

  it('"Select Model…" saves the pick in the workspace when a workspace value is in effect, and says so', async () => {
    assert.notEqual(inkling().inspect('model.id')?.workspaceValue, undefined, 'the fixture workspace sets inkling.model.id');
    const other = join(tmpdir(), 'inkling-picked-model');
    try {
      const message = await saveModelChoice(other);
      assert.equal(inkling().inspect('model.id')?.workspaceValue, other);
      assert.equal(inkling().get('model.id'), other, 'the pick is the value in effect');
      assert.equal(inkling().inspect('model.id')?.globalValue, undefined, 'the user settings were left alone');
      assert.equal(message, `Inkling now uses ${other} (saved in this workspace's settings, which override your user settings).`);
    } finally {
      await setWorkspace('model.id', fixtureModel, (a) => a.settings().model.id === fixtureModel);
      await until(() => api.status() === 'ready', 30_000, 'the fixture model back');
    }
  });
});
