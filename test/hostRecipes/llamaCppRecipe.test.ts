// The README's llama.cpp server recipe, run for real: llama.cpp's own llama-server, started with the
// README's command (the model file, host and port changed), serves the successor model as a GGUF;
// Inkling gets the README's three settings and key the way a user gives them. The text that comes
// back is known exactly, so this checks the whole way through the real engine: the raw FIM prompt on
// /v1/completions, its streaming, the key, llama-server's own 401, and its going away and coming back.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { InklingApi } from '../../src/provider/api';
import { SUCCESSOR_EXPLAIN_TEXT, SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT } from '../../tools/makeModel/successorScript';
import type { RecipeRun } from '../support/readmeRecipes';
import { acceptWhenShown, activateInkling, openPythonFile, sleep, triggerAndCommit, until } from '../host/hostSupport';

function recipeRun(): RecipeRun {
  const text = process.env.INKLING_RECIPE;
  assert.ok(text, 'INKLING_RECIPE is not set: run this suite with npm run test:recipes');
  return JSON.parse(text) as RecipeRun;
}

describe('README recipe, llama.cpp server: llama-server started as the README says, Inkling set up as it says', function () {
  this.timeout(120_000);
  const run = recipeRun();
  const url = run.settings['inkling.server.url']!;
  const model = run.settings['inkling.server.model']!;
  let api: InklingApi;
  let server: ChildProcess | undefined;
  let serverOutput = '';
  const problems: string[] = [];
  const user = (key: string, value: unknown) => vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);

  /** Starts llama-server with the recipe's command and waits for /health to say it is loaded. */
  async function startServer(): Promise<void> {
    const [binary, ...args] = run.command;
    serverOutput = '';
    const child = spawn(binary!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
    server = child;
    const end = Date.now() + 60_000;
    while (Date.now() < end) {
      if (child.exitCode !== null) assert.fail(`llama-server exited with ${child.exitCode}:\n${serverOutput.slice(-2000)}`);
      const health = await fetch(`${url}/health`).then((r) => r.status, () => 0);
      if (health === 200) return;
      await sleep(200);
    }
    assert.fail(`llama-server did not become healthy within 60 s:\n${serverOutput.slice(-2000)}`);
  }

  async function stopServer(): Promise<void> {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  const openPython = (text: string) => openPythonFile('recipe', text);

  /** The key goes where a user puts it: through the command's input box into SecretStorage. */
  async function setKeyByCommand(key: string): Promise<void> {
    const window = vscode.window as { showInputBox: typeof vscode.window.showInputBox };
    const showInputBox = window.showInputBox;
    window.showInputBox = async () => key;
    try {
      await Promise.race([vscode.commands.executeCommand('inkling.setServerApiKey'), sleep(10_000).then(() => assert.fail('Set Server API Key did not finish'))]);
    } finally {
      window.showInputBox = showInputBox;
    }
  }

  before(async function () {
    this.timeout(240_000);
    api = await activateInkling();
    api.models.onDidHitProblem((message) => problems.push(message));
    await startServer();
    for (const key of ['completion.temperature', 'explain.temperature']) await vscode.workspace.getConfiguration('inkling').update(key, 0, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('inkling').update('explain.language', 'en', vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('inkling').update('completion.useOpenEditors', false, vscode.ConfigurationTarget.Workspace);
    // The README's three settings; the backend last, as one edit of settings.json would apply them together.
    const settings = Object.entries(run.settings).sort(([a], [b]) => Number(a === 'inkling.backend') - Number(b === 'inkling.backend'));
    for (const [key, value] of settings) await user(key, value);
    await until(() => api.settings().backend === 'server' && api.settings().server.url === url, 15_000, 'the README\'s settings did not apply');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  after(async () => {
    for (const key of Object.keys(run.settings)) await user(key, undefined);
    await stopServer();
  });

  it('before the key is set, llama-server\'s own 401 shows in the status in words that name the key command, and nothing typed is lost', async () => {
    assert.ok(run.apiKey, 'the recipe sets no key');
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    const refused = `The inference server at ${new URL(url).origin} refused the API key (401). Set the key with "Inkling: Set Server API Key".`;
    // Inkling asks the server for its models as soon as the settings name it: the 401 may come from there first.
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await until(() => problems.includes(refused), 20_000, `no 401 was reported without the key (problems: ${JSON.stringify(problems)})`);
    await until(() => api.status() === 'error', 10_000, 'the status does not show the problem');
    assert.deepEqual([...new Set(problems)], [refused], 'other problems were reported');
    assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX);
  });

  it('with the README\'s key: the ghost text is the model\'s quicksort body, written by llama-server, and the status names it', async () => {
    await setKeyByCommand(run.apiKey!);
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    assert.equal(await triggerAndCommit(api, editor), SUCCESSOR_FIM_TEXT);
    assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT);
    assert.equal(api.models.infoFor('completion')?.model, `${model} at ${new URL(url).host}`);
    await until(() => api.status() === 'ready', 10_000, 'the status is not ready');
    // The recipe's command makes the server list the name its settings give Inkling.
    const listed = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${run.apiKey!}` } }).then((r) => r.json()) as { data?: Array<{ id?: string }> };
    assert.ok(listed.data?.some((m) => m.id === model), `/v1/models lists ${JSON.stringify(listed.data?.map((m) => m.id))}, not ${model}`);
  });

  it('Explain Selection streams the model\'s explanation from llama-server into the panel', async () => {
    const editor = await openPython(`${SUCCESSOR_FIM_PREFIX}${SUCCESSOR_FIM_TEXT}\n`);
    editor.selection = new vscode.Selection(0, 0, 6, editor.document.lineAt(6).text.length);
    const outcome = await vscode.commands.executeCommand<{ result: { text: string } } | undefined>('inkling.explainSelection');
    assert.equal(outcome?.result.text, SUCCESSOR_EXPLAIN_TEXT);
    assert.equal(api.panel.text, SUCCESSOR_EXPLAIN_TEXT);
  });

  it('llama-server killed: the status says it cannot reach it, typing goes on, and ghost text returns once it is started again', async () => {
    await stopServer();
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    const seen = problems.length;
    api.completions.clearCache();
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await until(() => problems.length > seen, 20_000, 'no problem was reported with the server gone');
    assert.equal(problems[seen], `Cannot reach the inference server at ${new URL(url).origin} (connection refused). Completions resume by themselves once it answers.`);
    await until(() => api.status() === 'error', 10_000, 'the status does not show the problem');
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('type', { text: 'x' });
    assert.equal(editor.document.getText(), `${SUCCESSOR_FIM_PREFIX}x`);
    await startServer();
    // The user edits on, then stops: that keystroke's request waits out the back-off (1 s, 2 s … after
    // each failure) and then asks, so the ghost text comes with no further keystroke; Tab takes it.
    await vscode.commands.executeCommand('deleteLeft');
    assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX);
    assert.equal(await acceptWhenShown(editor, 15_000), SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT, 'no ghost text came after the server was back');
    await until(() => api.status() === 'ready', 10_000, 'the status did not recover');
  });
});
