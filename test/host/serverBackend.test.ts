// The server backend in a real extension host: a stand-in server on 127.0.0.1 answers as vLLM does,
// its text coming from Inkling's own engine with the successor model. Ghost text and explanations
// arrive through it; a slow server's first lines show while it writes on and grow into the whole body;
// fast typing leaves at most one request open; a server killed mid-answer shows
// in the status and is used again once it is back; a workspace cannot point Inkling at a server.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ModelEngine } from '../../src/model/host/modelEngine';
import { InlineProvider } from '../../src/provider/completion/inlineProvider';
import { Configuration } from '../../src/provider/configuration';
import { Notifications } from '../../src/provider/notifications';
import type { InklingApi } from '../../src/provider/api';
import type { PreviewPlace } from '../../src/completion/completionService';
import { SUCCESSOR_EXPLAIN_TEXT, SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT, SUCCESSOR_FIM_TOKENS } from '../../tools/makeModel/successorScript';
import { engineSource } from '../support/engineSource';
import { startStandIn, type StandIn } from '../support/inferenceServer';
import { repoRoot } from '../../tools/repoRoot';
import { acceptWhenShown, activateInkling, nextEvent, openPythonFile, sleep, until } from './hostSupport';

const { Invoke, Automatic } = vscode.InlineCompletionTriggerKind;
const SERVED_NAME = 'Qwen/Qwen2.5-Coder-0.5B-Instruct';

describe('Server backend: in the extension host', function () {
  this.timeout(120_000);
  let api: InklingApi;
  let engine: ModelEngine;
  let server: StandIn;
  let provider: InlineProvider;
  let configuration: Configuration;
  let log: vscode.LogOutputChannel;
  const problems: string[] = [];
  const user = (key: string, value: unknown) => vscode.workspace.getConfiguration('inkling').update(key, value, vscode.ConfigurationTarget.Global);
  const completionRequests = (s: StandIn = server) => s.requests.filter((r) => r.path === '/v1/completions');

  const openPython = (text: string) => openPythonFile('served', text);

  /** Inkling's provider as VS Code calls it, on the extension's own completion service. */
  async function provide(editor: vscode.TextEditor, triggerKind = Invoke, token = new vscode.CancellationTokenSource().token): Promise<string | undefined> {
    const items = await provider.provideInlineCompletionItems(editor.document, editor.selection.active, { triggerKind, selectedCompletionInfo: undefined }, token);
    const insert = items?.[0]?.insertText;
    return typeof insert === 'string' ? insert : undefined;
  }

  /** VS Code's own inline-suggest path: trigger, accept; returns what it inserted at the cursor. */
  async function triggerAndCommit(editor: vscode.TextEditor, timeoutMs = 30_000): Promise<string> {
    const document = editor.document;
    const before = document.getText();
    const offset = document.offsetAt(editor.selection.active);
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      api.completions.clearCache();
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await sleep(400);
      await until(() => api.completions.counters.inFlight === 0, 20_000, 'the request did not end');
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      const after = document.getText();
      if (after !== before) return after.slice(offset, after.length - (before.length - offset));
      await sleep(300);
    }
    return assert.fail(`no ghost text to accept within ${timeoutMs} ms`);
  }

  async function typeKeys(text: string, each: () => void): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    const document = vscode.window.activeTextEditor?.document;
    for (const ch of text) {
      const version = document?.version;
      await vscode.commands.executeCommand('type', { text: ch });
      if (document) await until(() => document.version !== version, 5_000, `typing ${JSON.stringify(ch)} reached no editor`);
      each();
    }
  }

  before(async function () {
    this.timeout(240_000);
    api = await activateInkling();
    const model = process.env.INKLING_TEST_MODEL;
    assert.ok(model, 'INKLING_TEST_MODEL is not set');
    engine = new ModelEngine({ processEntry: join(repoRoot(), 'dist', 'modelProcess.js') });
    await engine.load({ model, dtype: 'fp32', device: 'cpu', threads: 1, localOnly: true });
    server = await startStandIn({ dialect: 'vllm', models: [SERVED_NAME], apiKey: 'team-key', source: engineSource(engine) });
    await vscode.workspace.getConfiguration('inkling').update('completion.temperature', 0, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('inkling').update('explain.temperature', 0, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('inkling').update('explain.language', 'en', vscode.ConfigurationTarget.Workspace);
    // Other suites' files may still be open: their snippets must not steer the model's continuation here.
    await vscode.workspace.getConfiguration('inkling').update('completion.useOpenEditors', false, vscode.ConfigurationTarget.Workspace);
    api.models.onDidHitProblem((message) => problems.push(message));
    // The key goes where a user puts it: through the command's (password) input box into SecretStorage.
    const window = vscode.window as { showInputBox: typeof vscode.window.showInputBox };
    const showInputBox = window.showInputBox;
    let asked: vscode.InputBoxOptions | undefined;
    window.showInputBox = async (options) => {
      asked = options;
      return 'team-key';
    };
    try {
      await Promise.race([vscode.commands.executeCommand('inkling.setServerApiKey'), sleep(10_000).then(() => assert.fail('Set Server API Key did not finish'))]);
    } finally {
      window.showInputBox = showInputBox;
    }
    assert.equal(asked?.password, true, 'the key was typed into a visible input box');
    await user('server.url', server.url);
    await user('server.model', SERVED_NAME);
    await user('backend', 'server');
    await until(() => api.settings().backend === 'server' && api.models.infoFor('completion')?.device === 'server', 15_000, 'the server backend was not chosen');
    log = vscode.window.createOutputChannel('Inkling server tests', { log: true });
    configuration = new Configuration(new Notifications(log));
    provider = new InlineProvider(api.completions, configuration);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  after(async () => {
    for (const key of ['backend', 'server.url', 'server.model']) await user(key, undefined);
    for (const key of ['completion.temperature', 'explain.temperature', 'explain.language', 'completion.debounceMs', 'completion.useOpenEditors']) {
      await vscode.workspace.getConfiguration('inkling').update(key, undefined, vscode.ConfigurationTarget.Workspace);
    }
    configuration?.dispose();
    log?.dispose();
    await server?.close();
    engine?.dispose();
  });

  it('ghost text arrives through the server: the model\'s quicksort body, with the key and the status naming the server', async () => {
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    assert.equal(await triggerAndCommit(editor), SUCCESSOR_FIM_TEXT);
    assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT);
    const sent = completionRequests().at(-1);
    assert.ok(sent, 'no request reached the server');
    assert.match(String(sent.body?.prompt), /^<\|fim_prefix\|>.*<\|fim_suffix\|>.*<\|fim_middle\|>$/s);
    assert.equal(sent.headers.authorization, 'Bearer team-key');
    assert.match(String(sent.headers['user-agent']), /^Inkling\/\d+\.\d+\.\d+ \(VS Code /);
    assert.equal(api.models.infoFor('completion')?.model, `${SERVED_NAME} at ${new URL(server.url).host}`);
    await until(() => api.status() === 'ready', 10_000, 'the status is not ready');
  });

  it('a slow server: its first lines show while it writes on, Tab takes them, and each next line follows until the whole body is in', async () => {
    server.setPieceDelay(150);
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    api.completions.clearCache();
    const whole = SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT;
    try {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      const first = (await acceptWhenShown(editor, 15_000)).slice(SUCCESSOR_FIM_PREFIX.length);
      assert.equal(server.open, 1, 'the server had finished: the test saw no preview');
      assert.ok(first.length > 0 && SUCCESSOR_FIM_TEXT.startsWith(first) && SUCCESSOR_FIM_TEXT[first.length] === '\n', `not the first complete lines: ${JSON.stringify(first)}`);
      const taken = [first];
      for (let i = 0; i < SUCCESSOR_FIM_TOKENS.length && editor.document.getText() !== whole; i++) {
        const before = editor.document.getText();
        const after = await acceptWhenShown(editor, 15_000);
        taken.push(after.slice(before.length));
      }
      assert.equal(editor.document.getText(), whole, `taken in pieces: ${JSON.stringify(taken)}`);
      assert.ok(taken.length >= 2, 'the whole body came at once');
    } finally {
      server.setPieceDelay(0);
    }
  });

  for (const asked of ['typing', 'Alt+\\'] as const) {
    it(`a slow server: the preview grows into the whole body with no keystroke once the server is done (asked by ${asked})`, async () => {
      server.setPieceDelay(150);
      // Typing: the file lacks the prefix's last character, which the test types.
      const editor = await openPython(asked === 'typing' ? SUCCESSOR_FIM_PREFIX.slice(0, -1) : SUCCESSOR_FIM_PREFIX);
      api.completions.clearCache();
      const answered = () => api.completions.counters.cacheHits + api.completions.counters.typedAheadHits;
      let before = 0;
      // Counted when the whole body is cached: the editor's next ask (previewFollowUp) comes after.
      const grown = nextEvent<PreviewPlace>((listener) => api.completions.onDidCompletePreview(listener), () => {
        before = answered();
        return true;
      }, 20_000, 'no previewed completion was completed');
      try {
        if (asked === 'typing') {
          await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
          await vscode.commands.executeCommand('type', { text: SUCCESSOR_FIM_PREFIX.slice(-1) });
        } else {
          await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        }
        const place = await grown;
        assert.equal(place.trigger, asked === 'typing' ? 'automatic' : 'explicit');
        await until(() => server.open === 0, 10_000, 'the server did not finish');
        // The editor asks again (previewFollowUp) and gets the whole body from the cache; then it shows it.
        await until(() => answered() > before, 10_000, 'the editor did not ask again for the whole body');
        await sleep(150);
        await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
        assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT, 'Tab took the preview, not the whole body');
      } finally {
        grown.dispose();
        server.setPieceDelay(0);
      }
    });
  }

  it('Explain Selection streams the model\'s explanation from /v1/chat/completions into the panel', async () => {
    const editor = await openPython(`${SUCCESSOR_FIM_PREFIX}${SUCCESSOR_FIM_TEXT}\n`);
    editor.selection = new vscode.Selection(0, 0, 6, editor.document.lineAt(6).text.length);
    const chats = () => server.requests.filter((r) => r.path === '/v1/chat/completions').length;
    const before = chats();
    const outcome = await vscode.commands.executeCommand<{ result: { text: string } } | undefined>('inkling.explainSelection');
    assert.equal(outcome?.result.text, SUCCESSOR_EXPLAIN_TEXT);
    assert.equal(api.panel.text, SUCCESSOR_EXPLAIN_TEXT);
    assert.equal(chats(), before + 1);
    const messages = server.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.body?.messages as Array<{ role: string; content: string }>;
    assert.equal(messages[0]?.role, 'system');
    assert.ok(messages[1]?.content.includes('def quicksort(arr):'));
  });

  it('30 rapid keystrokes leave at most one request open at the server, and everything typed in the file', async () => {
    await vscode.workspace.getConfiguration('inkling').update('completion.debounceMs', 0, vscode.ConfigurationTarget.Workspace);
    await until(() => api.settings().completion.debounceMs === 0, 10_000, 'debounce 0');
    server.setPieceDelay(60);
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    const sentBefore = completionRequests().length;
    const openSeen: number[] = [];
    const sampler = setInterval(() => openSeen.push(server.open), 2);
    const keys = 'total = count + offset * scale';
    assert.equal(keys.length, 30);
    let previous: vscode.CancellationTokenSource | undefined;
    const answers: Array<Promise<string | undefined>> = [];
    try {
      await typeKeys(keys, () => {
        openSeen.push(server.open);
        previous?.cancel();
        previous = new vscode.CancellationTokenSource();
        answers.push(provide(editor, Automatic, previous.token));
      });
      await Promise.all(answers);
      assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX + keys);
      await until(() => server.open === 0 && api.completions.counters.inFlight === 0, 20_000, 'requests left open after typing');
    } finally {
      clearInterval(sampler);
      server.setPieceDelay(0);
      await vscode.workspace.getConfiguration('inkling').update('completion.debounceMs', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const sent = completionRequests().length - sentBefore;
    console.log(`    30 keystrokes: ${sent} requests reached the server, at most ${Math.max(...openSeen)} open at once`);
    assert.ok(sent > 1, 'typing sent at most one request: the test proved nothing');
    assert.ok(Math.max(...openSeen) <= 1, `${Math.max(...openSeen)} requests were open at once`);
  });

  it('a server killed mid-answer: the status says so in words, nothing typed is lost, and ghost text returns with the server', async () => {
    server.setPieceDelay(300);
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    const seen = problems.length;
    api.completions.clearCache();
    const answer = provide(editor);
    await until(() => server.open === 1, 10_000, 'the request never reached the server');
    await sleep(400);
    await server.kill();
    assert.equal(await answer, undefined);
    await until(() => api.status() === 'error', 10_000, 'the status does not show the problem');
    const said = problems.slice(seen);
    assert.ok(said.length >= 1 && said.length <= 2, `status messages: ${JSON.stringify(said)}`);
    assert.match(said[0]!, new RegExp(`^The inference server at ${server.url.replace(/\./g, '\\.')} closed the connection mid-answer\\.$|^Cannot reach the inference server at ${server.url.replace(/\./g, '\\.')} \\(connection refused\\)`));
    // Typing on while it is down: no pop-up, no error, the text is the user's.
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('type', { text: 'x' });
    assert.equal(editor.document.getText(), `${SUCCESSOR_FIM_PREFIX}x`);
    server.setPieceDelay(0);
    await server.revive();
    const revived = server.requests.length;
    // The user edits on, then stops: that keystroke's request waits out the back-off (1 s, 2 s … after
    // each failure) and then asks, so the ghost text comes with no further keystroke; Tab takes it.
    await vscode.commands.executeCommand('deleteLeft');
    assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX);
    const shown = await acceptWhenShown(editor, 15_000);
    if (shown !== SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT) {
      console.log(`    after revival: ${JSON.stringify(server.requests.slice(revived).map((r) => r.path))}; stand-in errors: ${server.errors.join('\n')}; problems: ${JSON.stringify(problems.slice(seen))}; counters ${JSON.stringify(api.completions.counters)}`);
    }
    assert.equal(shown, SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT, 'no ghost text came after the server was back');
    assert.equal(server.requests.slice(revived).filter((r) => r.path === '/v1/completions').length, 1, 'the back-off let more than one request through');
    await until(() => api.status() === 'ready', 10_000, 'the status did not recover');
  });

  it('a workspace\'s own inkling.backend and inkling.server.url are ignored: code never goes to its server', async () => {
    const evil = await startStandIn({ dialect: 'vllm', models: [SERVED_NAME], source: engineSource(engine) });
    const settingsFile = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.vscode', 'settings.json');
    const original = readFileSync(settingsFile, 'utf8');
    try {
      const hostile = { ...JSON.parse(original) as Record<string, unknown>, 'inkling.backend': 'server', 'inkling.server.url': evil.url, 'inkling.server.model': SERVED_NAME };
      const changed = new Promise<void>((resolve) => {
        const subscription = vscode.workspace.onDidChangeConfiguration(() => {
          subscription.dispose();
          resolve();
        });
      });
      writeFileSync(settingsFile, JSON.stringify(hostile, null, 2));
      await Promise.race([changed, sleep(5_000)]);
      await sleep(500);
      const inspected = vscode.workspace.getConfiguration('inkling').inspect<string>('server.url');
      assert.equal(vscode.workspace.getConfiguration('inkling').get('server.url'), server.url);
      assert.equal(inspected?.workspaceValue, undefined, 'VS Code applied the workspace\'s server URL');
      assert.equal(api.settings().server.url, server.url);
      const editor = await openPython(SUCCESSOR_FIM_PREFIX);
      api.completions.clearCache();
      assert.equal(await provide(editor), SUCCESSOR_FIM_TEXT);
      // With the user's backend local, the workspace's "server" is ignored just the same.
      await user('backend', undefined);
      await until(() => api.settings().backend === 'local', 10_000, 'the user\'s backend did not apply');
      assert.equal(vscode.workspace.getConfiguration('inkling').get('backend'), 'local');
      api.completions.clearCache();
      await api.models.completionModel();
      assert.notEqual(api.models.infoFor('completion')?.device, 'server');
      assert.equal(evil.requests.length, 0, `the workspace's server got ${evil.requests.length} requests`);
    } finally {
      writeFileSync(settingsFile, original);
      await user('backend', 'server');
      await evil.close();
    }
  });
});
