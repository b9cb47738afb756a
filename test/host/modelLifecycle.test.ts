// The model's life inside a real extension host: a hub model downloads into the extension's global
// storage (from a local stand-in for the hub), and a model process killed mid-generation costs one
// clear message, never the extension host; the next request works.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExplainOutcome } from '../../src/explain/explainSession';
import type { ToExplainWebview } from '../../src/provider/explain/panelMessages';
import type { InklingApi } from '../../src/provider/api';
import { SUCCESSOR_EXPLAIN_TEXT } from '../../tools/makeModel/successorScript';
import { startHub, type HubServer } from '../support/hubServer';
import { ensureTestModel } from '../../tools/makeModel/modelCache';
import { activateInkling, settingTarget, until } from './hostSupport';

const explainCommand = () => vscode.commands.executeCommand<ExplainOutcome | undefined>('inkling.explainSelection');

/** The extension host's own children that run Inkling's model process. */
function modelProcesses(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('modelProcess.js');
    } catch {
      return false;
    }
  });
}

describe('Model lifecycle in the extension host', function () {
  this.timeout(180_000);
  let api: InklingApi;
  let editor: vscode.TextEditor;
  const config = () => vscode.workspace.getConfiguration('inkling');

  async function set(key: string, value: unknown): Promise<void> {
    await config().update(key, value, settingTarget(key));
  }

  before(async () => {
    api = await activateInkling();
    await set('explain.temperature', 0);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'quicksort.py'));
    editor.selection = new vscode.Selection(0, 0, 8, editor.document.lineAt(8).text.length);
  });

  after(async () => {
    for (const key of ['explain.temperature', 'explain.model', 'explain.maxNewTokens', 'model.hubUrl', 'model.device']) await set(key, undefined);
  });

  it('downloads a hub model into the extension\'s global storage, not node_modules, and explains with it', async () => {
    let hub: HubServer | undefined;
    try {
      hub = await startHub({ 'inkling-test/successor': await ensureTestModel('successor', 'fp32') });
      await set('model.hubUrl', hub.url);
      await set('explain.model', 'inkling-test/successor');
      await until(() => api.settings().explain.model === 'inkling-test/successor', 10_000, 'explain.model');
      const outcome = await explainCommand();
      assert.equal(outcome?.result.text, SUCCESSOR_EXPLAIN_TEXT);
      assert.ok(hub.requests.some((r) => r.endsWith('/onnx/model.onnx')), `the hub was not asked for the weights: ${hub.requests.join(', ')}`);
      const downloaded = join(api.models.cacheDir, 'inkling-test', 'successor');
      assert.ok(existsSync(join(downloaded, 'onnx', 'model.onnx')), `nothing was downloaded to ${downloaded}`);
      assert.ok(!api.models.cacheDir.includes('node_modules'));
    } finally {
      await set('explain.model', undefined);
      await set('model.hubUrl', undefined);
      await hub?.close();
    }
  });

  it('survives its model process being killed mid-generation: one clear message, and the next request works', async () => {
    // The random model's greedy answer is long, so the kill lands mid-generation.
    const shown: ToExplainWebview[] = [];
    const watching = api.panel.onDidUpdate((message) => shown.push(message));
    let victims: number[] = [];
    try {
      await set('explain.model', await ensureTestModel('random', 'fp32'));
      await set('explain.maxNewTokens', 2048);
      await until(() => api.settings().explain.sampling.maxNewTokens === 2048, 10_000, 'maxNewTokens');
      const run = explainCommand();
      await until(() => shown.some((m) => m.type === 'render'), 30_000, 'the answer to start');
      victims = modelProcesses();
      assert.ok(victims.length > 0, 'no model process found under the extension host');
      for (const pid of victims) process.kill(pid, 'SIGKILL');
      assert.equal(await run, undefined);
      const errors = shown.filter((m): m is Extract<ToExplainWebview, { type: 'error' }> => m.type === 'error');
      assert.equal(errors.length, 1);
      assert.match(errors[0]!.message, /model process stopped unexpectedly; it will restart/);
      assert.doesNotMatch(errors[0]!.message, /\n\s+at /);
      assert.equal(api.status(), 'error');
    } finally {
      watching.dispose();
      await set('explain.model', undefined);
      await set('explain.maxNewTokens', undefined);
    }
    await until(() => api.settings().explain.model === '', 10_000, 'explain.model reset');
    const next = await explainCommand();
    assert.equal(next?.result.text, SUCCESSOR_EXPLAIN_TEXT);
    assert.ok(modelProcesses().every((pid) => !victims.includes(pid)), 'a killed process is still listed');
  });

  // The warning itself is a toast, which this layer's smoke-test driver hides: test/ui/deviceFallback.test.ts sees it.
  it('falls back to the CPU when the chosen device does not exist on this platform', async () => {
    await set('model.device', 'dml');
    try {
      await until(() => api.settings().model.device === 'dml', 10_000, 'model.device');
      const model = await api.models.completionModel();
      assert.equal(model.info.device, 'cpu');
    } finally {
      await set('model.device', undefined);
    }
  });
});
