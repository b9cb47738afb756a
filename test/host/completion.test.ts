// Inline completions in a real extension host with the successor test model: VS Code's own
// inline-suggest path (trigger, commit) inserts exactly the model's quicksort body, typing into the
// suggestion reuses it, fast typing never piles up generations, and settings apply without a reload.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT, SUCCESSOR_FIM_TOKENS } from '../../tools/makeModel/successorScript';
import { Configuration } from '../../src/provider/configuration';
import { Notifications } from '../../src/provider/notifications';
import { InlineProvider } from '../../src/provider/completion/inlineProvider';
import type { GenerateRequest } from '../../src/model/protocol';
import type { InklingApi } from '../../src/provider/api';
import { activateInkling, openPythonFile, triggerAndCommit, until } from './hostSupport';

const { Invoke, Automatic } = vscode.InlineCompletionTriggerKind;

describe('Inline completions in the extension host', function () {
  this.timeout(120_000);
  let api: InklingApi;
  let log: vscode.LogOutputChannel;
  let provider: InlineProvider;
  let configuration: Configuration;
  const inkling = () => vscode.workspace.getConfiguration('inkling');
  const counters = () => api.completions.counters;

  async function setSetting(key: string, value: unknown, languageId?: string): Promise<void> {
    const config = languageId ? vscode.workspace.getConfiguration('inkling', { languageId }) : inkling();
    await config.update(key, value, vscode.ConfigurationTarget.Workspace, languageId ? true : undefined);
  }

  const openPython = (text: string) => openPythonFile('ghost', text);

  /** Calls Inkling's provider as VS Code does, through the extension's own CompletionService. */
  async function provide(editor: vscode.TextEditor, triggerKind = Invoke): Promise<string | undefined> {
    const source = new vscode.CancellationTokenSource();
    const items = await provider.provideInlineCompletionItems(editor.document, editor.selection.active, { triggerKind, selectedCompletionInfo: undefined }, source.token);
    source.dispose();
    const insert = items?.[0]?.insertText;
    return typeof insert === 'string' ? insert : undefined;
  }


  /** Accepts the suggestion at the cursor through VS Code's own path; nothing outside the cursor may change. */
  async function acceptAt(editor: vscode.TextEditor): Promise<string> {
    const before = editor.document.getText();
    const offset = editor.document.offsetAt(editor.selection.active);
    const inserted = await triggerAndCommit(api, editor);
    assert.equal(editor.document.getText(), before.slice(0, offset) + inserted + before.slice(offset), 'accepting changed text outside the cursor');
    return inserted;
  }

  /** Types into the active editor as a user would; `type` goes to whatever has focus, so focus it first. */
  async function typeKeys(text: string, each?: () => void): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    const document = vscode.window.activeTextEditor?.document;
    for (const ch of text) {
      const version = document?.version;
      await vscode.commands.executeCommand('type', { text: ch });
      if (document) await until(() => document.version !== version, 5_000, `typing ${JSON.stringify(ch)} reached no editor`);
      each?.();
    }
  }

  before(async function () {
    this.timeout(240_000);
    api = await activateInkling();
    await setSetting('completion.temperature', 0);
    await until(() => api.settings().completion.sampling.temperature === 0, 10_000, 'temperature 0');
    await api.models.completionModel();
    log = vscode.window.createOutputChannel('Inkling completion tests', { log: true });
    configuration = new Configuration(new Notifications(log));
    provider = new InlineProvider(api.completions, configuration);
  });

  beforeEach(() => api.completions.clearCache());

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  after(async () => {
    for (const key of ['completion.temperature', 'completion.languages', 'completion.debounceMs']) await setSetting(key, undefined);
    await setSetting('completion.maxNewTokens', undefined, 'python');
    configuration?.dispose();
    log?.dispose();
  });

  it('accepting the ghost text after "def quicksort(arr):" inserts exactly the model\'s body', async () => {
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    const started = counters().generationsStarted;
    assert.equal(await acceptAt(editor), SUCCESSOR_FIM_TEXT);
    assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT);
    assert.equal(counters().generationsStarted, started + 1);
  });

  it('gives the body in the document\'s CRLF line ends', async () => {
    const editor = await openPython(SUCCESSOR_FIM_PREFIX.replace(/\n/g, '\r\n'));
    assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
    assert.equal(await provide(editor), SUCCESSOR_FIM_TEXT.replace(/\n/g, '\r\n'));
    assert.equal(await acceptAt(editor), SUCCESSOR_FIM_TEXT.replace(/\n/g, '\r\n'));
  });

  it('typing the start of the suggestion shows the rest without a new generation', async () => {
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    assert.equal(await provide(editor), SUCCESSOR_FIM_TEXT);
    const started = counters().generationsStarted;
    // Stops before "(": auto-closing would add a ")" the suggestion does not have.
    const typed = 'if len';
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await typeKeys(typed);
    assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX + typed);
    assert.equal(await provide(editor, Automatic), SUCCESSOR_FIM_TEXT.slice(typed.length));
    assert.equal(await acceptAt(editor), SUCCESSOR_FIM_TEXT.slice(typed.length));
    assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT);
    assert.equal(counters().generationsStarted, started, `counters: ${JSON.stringify(counters())}`);
  });

  it('50 rapid keystrokes keep at most one uncancelled generation at the engine and leave none behind', async () => {
    // No debounce, and a provider call per keystroke that cancels the one before (VS Code itself
    // coalesces some): every keystroke may start a generation, the worst case for piling up.
    await setSetting('completion.debounceMs', 0);
    await until(() => api.settings().completion.debounceMs === 0, 10_000, 'debounce 0');
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    await until(() => counters().inFlight === 0, 30_000, 'quiet before typing');
    const engine = watchCompletionGenerations(api);
    // The pool reports every change of the count it hands the engine (cancelled ones included, until
    // their step in progress ends): the last one must be zero.
    const outstanding: number[] = [];
    const busy = api.models.onDidChange((e) => {
      if (e.type === 'busy') outstanding.push(e.generating);
    });
    const start = counters();
    const keys = 'values = sorted numbers plus other values and more';
    assert.equal(keys.length, 50);
    const answers: Array<Promise<string | undefined>> = [];
    let previous: vscode.CancellationTokenSource | undefined;
    try {
      await typeKeys(keys, () => {
        previous?.cancel();
        const source = new vscode.CancellationTokenSource();
        previous = source;
        answers.push(provider.provideInlineCompletionItems(editor.document, editor.selection.active, { triggerKind: Automatic, selectedCompletionInfo: undefined }, source.token)
          .then((items) => (typeof items?.[0]?.insertText === 'string' ? items[0].insertText : undefined)));
      });
      assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX + keys);
      const results = await Promise.all(answers);
      assert.ok(results.at(-1), 'the newest request got no completion');
      await until(() => counters().inFlight === 0 && api.status() !== 'generating', 30_000, 'settling after typing');
    } finally {
      engine.stop();
      busy.dispose();
      await setSetting('completion.debounceMs', undefined);
    }
    const end = counters();
    const started = end.generationsStarted - start.generationsStarted;
    console.log(`    50 keystrokes: ${started} generations, ${end.superseded - start.superseded} superseded; at the engine at most ${engine.most()} uncancelled, ${Math.max(0, ...outstanding)} outstanding`);
    assert.ok(started > 1, 'typing started at most one generation: the test proved nothing');
    assert.equal(engine.generations.length, started, 'every generation the service started reached the engine');
    assert.ok(engine.most() <= 1, `${engine.most()} uncancelled generations were at the engine at once`);
    assert.deepEqual(engine.generations.filter((g) => !g.ended), [], 'a generation never ended at the engine');
    assert.equal(outstanding.at(-1), 0, 'the pool still counts a generation in flight');
    assert.equal(end.inFlight, 0);
  });

  it('a changed completion temperature reaches the next generation without a reload', async () => {
    const requests: GenerateRequest[] = [];
    const stopSpying = spyOnGenerate(api, requests);
    try {
      const editor = await openPython(SUCCESSOR_FIM_PREFIX);
      for (const temperature of [0.7, 0]) {
        await setSetting('completion.temperature', temperature);
        await until(() => api.settings().completion.sampling.temperature === temperature, 10_000, `temperature ${temperature}`);
        const seen = requests.length;
        assert.equal(await provide(editor), SUCCESSOR_FIM_TEXT);
        assert.equal(requests.length, seen + 1, 'a new temperature must not be served from the cache');
        assert.equal(requests[seen]?.sampling.temperature, temperature);
      }
    } finally {
      stopSpying();
    }
  });

  it('inkling.completion.languages {"python": false} turns ghost text off in Python', async () => {
    const editor = await openPython(SUCCESSOR_FIM_PREFIX);
    assert.equal(await provide(editor, Automatic), SUCCESSOR_FIM_TEXT, 'on by default');
    api.completions.clearCache();
    await setSetting('completion.languages', { python: false });
    await until(() => api.settings().completion.languages.python === false, 10_000, 'python off');
    try {
      const before = counters();
      assert.equal(await provide(editor, Automatic), undefined);
      // Typing asks VS Code's real path for ghost text: wait until Inkling has answered it, by skipping.
      await typeKeys('x');
      await until(() => counters().skipped >= before.skipped + 2, 10_000, `VS Code's request after typing was not skipped (counters ${JSON.stringify(counters())})`);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      assert.equal(editor.document.getText(), `${SUCCESSOR_FIM_PREFIX}x`);
      assert.equal(counters().generationsStarted, before.generationsStarted);
    } finally {
      await setSetting('completion.languages', undefined);
    }
  });

  it('honours a "[python]" override of inkling.completion.maxNewTokens', async () => {
    await setSetting('completion.maxNewTokens', 2, 'python');
    try {
      await until(() => configuration.forLanguage('python').completion.sampling.maxNewTokens === 2, 10_000, 'python override');
      assert.notEqual(api.settings().completion.sampling.maxNewTokens, 2, 'the override must not leak to other languages');
      const editor = await openPython(SUCCESSOR_FIM_PREFIX);
      assert.equal(await acceptAt(editor), SUCCESSOR_FIM_TOKENS.slice(0, 2).join(''));
    } finally {
      await setSetting('completion.maxNewTokens', undefined, 'python');
    }
  });
});

interface WatchedGeneration { cancelled: boolean; ended: boolean }

/**
 * Every generation the completion service hands the engine, as events: started, cancelled (its signal
 * aborted), ended (the engine answered). Counts at each start how many are neither cancelled nor ended.
 */
function watchCompletionGenerations(api: InklingApi): { generations: WatchedGeneration[]; most(): number; stop(): void } {
  const generations: WatchedGeneration[] = [];
  let most = 0;
  const models = api.models;
  const ready = models.readyCompletionModel;
  models.readyCompletionModel = () => {
    const model = ready.call(models);
    if (!model) return model;
    return {
      ...model,
      generate: (request, handlers = {}) => {
        const watched: WatchedGeneration = { cancelled: Boolean(handlers.signal?.aborted), ended: false };
        handlers.signal?.addEventListener('abort', () => (watched.cancelled = true), { once: true });
        generations.push(watched);
        most = Math.max(most, generations.filter((g) => !g.cancelled && !g.ended).length);
        const answer = model.generate(request, handlers);
        answer.then(() => (watched.ended = true), () => (watched.ended = true));
        return answer;
      },
    };
  };
  return { generations, most: () => most, stop: () => (models.readyCompletionModel = ready) };
}

/** Records every GenerateRequest the CompletionService hands its engine. */
function spyOnGenerate(api: InklingApi, requests: GenerateRequest[]): () => void {
  const subscription = api.completions.onDidStartGeneration((request) => requests.push(request));
  return () => subscription.dispose();
}
