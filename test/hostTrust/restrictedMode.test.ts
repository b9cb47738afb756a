// A cloned repository opened without trust (Restricted Mode), whose .vscode/settings.json names the
// attacker's model, hub, folder, device and threads: Inkling stays enabled, runs the user's own model
// and gives completions with it, and never contacts the attacker's hub.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT } from '../../tools/makeModel/successorScript';
import { activateInkling, triggerAndCommit, until } from '../host/hostSupport';
import type { InklingApi } from '../../src/provider/api';
import { hostileWorkspaceSettings } from './hostileSettings';

describe('Workspace trust: a hostile .vscode/settings.json in Restricted Mode', function () {
  this.timeout(120_000);
  let api: InklingApi;
  const userModel = process.env.INKLING_TEST_MODEL!;
  const hostileHub = process.env.INKLING_HOSTILE_HUB!;

  before(async () => {
    assert.ok(userModel && hostileHub, 'run through test/harness/runHostTests (INKLING_TEST_MODEL, INKLING_HOSTILE_HUB)');
    api = await activateInkling();
  });

  it('runs in an untrusted workspace whose settings name another model, hub, folder, device and threads', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const config = vscode.workspace.getConfiguration('inkling');
    for (const [key, value] of Object.entries(hostileWorkspaceSettings(hostileHub))) {
      assert.deepEqual(config.inspect(key.slice('inkling.'.length))?.workspaceValue ?? value, value, `${key} is not in the workspace settings`);
    }
  });

  it('ignores every one of them: the settings Inkling runs with are the user\'s', () => {
    const { model, explain } = api.settings();
    assert.deepEqual(model, { id: userModel, dtype: 'fp32', device: 'cpu', threads: 0, hubUrl: '' });
    assert.equal(explain.model, '');
  });

  it('gives completions from the user\'s model', async () => {
    await until(() => api.models.infoFor('completion')?.model === userModel, 60_000, 'the user\'s model did not load');
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, 'restricted.py');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SUCCESSOR_FIM_PREFIX));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const end = editor.document.positionAt(editor.document.getText().length);
    editor.selection = new vscode.Selection(end, end);
    assert.equal(await triggerAndCommit(api, editor), SUCCESSOR_FIM_TEXT);
  });

  it('never contacted the hub the workspace named', async () => {
    const asked = await (await fetch(`${hostileHub}__requests`)).json() as string[];
    assert.deepEqual(asked, []);
  });
});
