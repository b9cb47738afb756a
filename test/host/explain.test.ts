// "Inkling: Explain Selection" in a real extension host with the successor test model (greedy): the
// panel receives the model's markdown token by token, Stop ends a long generation, a second explain
// reuses the one panel, the language setting changes the prompt, and "Insert as comment" edits the file.
// Long generations use the random test model (its greedy answer is thousands of newlines).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { chatThroughTemplate } from '../../src/model/host/localChat';
import { SUCCESSOR_EXPLAIN_TEXT, SUCCESSOR_EXPLAIN_TOKENS } from '../../tools/makeModel/successorScript';
import { ensureTestModel } from '../../tools/makeModel/modelCache';
import type { LoadedModel } from '../../src/model/protocol';
import type { ExplainOutcome } from '../../src/explain/explainSession';
import type { FromExplainWebview, ToExplainWebview } from '../../src/provider/explain/panelMessages';
import type { GenerateRequest } from '../../src/model/protocol';
import type { InklingApi } from '../../src/provider/api';
import { EXPLANATION, EXPLANATION_AS_INDENTED_PYTHON_COMMENT, EXPLANATION_RENDERS } from './expectedText';
import { activateInkling, nextEvent, settingTarget, until } from './hostSupport';

const LONG_ANSWER_TOKENS = 2048;

const explainCommand = () => vscode.commands.executeCommand<ExplainOutcome | undefined>('inkling.explainSelection');
const ofType = <T extends ToExplainWebview['type']>(messages: ToExplainWebview[], type: T) =>
  messages.filter((m): m is Extract<ToExplainWebview, { type: T }> => m.type === type);

function explainTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('inkling.explain'));
}

describe('Explain Selection: in the extension host', function () {
  this.timeout(120_000);
  let api: InklingApi;
  let randomModel: string;
  let editor: vscode.TextEditor;
  const restore: Array<() => void> = [];

  async function setSetting(key: string, value: unknown, applied: (api: InklingApi) => boolean): Promise<void> {
    await vscode.workspace.getConfiguration('inkling').update(key, value, settingTarget(key));
    await until(() => applied(api), 10_000, `inkling.${key} = ${JSON.stringify(value)}`);
  }

  /** The random model with a long answer: generation lasts long enough to interrupt. */
  async function useLongAnswers(): Promise<void> {
    await setSetting('explain.maxNewTokens', LONG_ANSWER_TOKENS, (a) => a.settings().explain.sampling.maxNewTokens === LONG_ANSWER_TOKENS);
    await setSetting('explain.model', randomModel, (a) => a.settings().explain.model === randomModel);
  }

  /** Selects whole lines, 0-based and inclusive, ending at the last line's end (not the next line's start). */
  function selectLines(first: number, last: number): void {
    editor.selection = new vscode.Selection(first, 0, last, editor.document.lineAt(last).text.length);
  }

  /** Updates the panel shows from now on. */
  function watchPanel(): () => ToExplainWebview[] {
    const seen: ToExplainWebview[] = [];
    const subscription = api.panel.onDidUpdate((message) => seen.push(message));
    restore.push(() => subscription.dispose());
    return () => seen;
  }

  /** The tests play the webview's part. */
  function fromWebview(message: FromExplainWebview): void {
    api.panel.receive(message);
  }

  /** Every piece the controller hands to the panel, in order. */
  function recordPieces(): string[] {
    const pieces: string[] = [];
    const panel = api.panel;
    const append = panel.append;
    panel.append = (piece: string) => {
      pieces.push(piece);
      append.call(panel, piece);
    };
    restore.push(() => (panel.append = append));
    return pieces;
  }

  /** Every generate request the explain model receives: the prompt exactly as the engine gets it. */
  function recordRequests(): GenerateRequest[] {
    const requests: GenerateRequest[] = [];
    const models = api.models;
    const explainModel = models.explainModel;
    models.explainModel = async (): Promise<LoadedModel> => {
      const model = await explainModel.call(models);
      const generate: LoadedModel['generate'] = (request, handlers) => {
        requests.push(request);
        return model.generate(request, handlers);
      };
      const chatPrompt: LoadedModel['chatPrompt'] = (messages) => model.chatPrompt(messages);
      // The local path itself (template, then generate), with the generate above: every prompt is seen.
      return { info: model.info, countTokens: (text) => model.countTokens(text), chatPrompt, generate, generateChat: chatThroughTemplate({ chatPrompt, generate }) };
    };
    restore.push(() => (models.explainModel = explainModel));
    return requests;
  }

  before(async function () {
    this.timeout(240_000);
    api = await activateInkling();
    randomModel = await ensureTestModel('random', 'fp32');
    await setSetting('explain.temperature', 0, (a) => a.settings().explain.sampling.temperature === 0);
    await setSetting('explain.language', 'en', (a) => a.settings().explain.language === 'en');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the fixture workspace is not open');
    editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'quicksort.py'));
    assert.equal(editor.document.languageId, 'python');
  });

  beforeEach(async () => {
    editor = await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
  });

  afterEach(async () => {
    const ended = new Promise<unknown>((resolve) => {
      if (!api.explainer.running) resolve(undefined);
      else api.explainer.onDidFinish(resolve);
    });
    fromWebview({ type: 'stop' });
    await ended;
    while (restore.length > 0) restore.pop()?.();
    await setSetting('explain.model', undefined, (a) => a.settings().explain.model === '');
    await setSetting('explain.maxNewTokens', undefined, (a) => a.settings().explain.sampling.maxNewTokens !== LONG_ANSWER_TOKENS);
  });

  after(async () => {
    for (const key of ['explain.temperature', 'explain.language']) await vscode.workspace.getConfiguration('inkling').update(key, undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('streams the explanation token by token into the panel: start with the file and lines, renders, done', async () => {
    selectLines(0, 8);
    const pieces = recordPieces();
    const sent = watchPanel();
    const outcome = await explainCommand();

    assert.equal(outcome?.result.finishReason, 'eos');
    assert.equal(api.panel.text, EXPLANATION);
    // One piece per generated token, handed on as each arrived: streamed, not the finished text at once.
    assert.deepEqual(pieces, SUCCESSOR_EXPLAIN_TOKENS);
    const messages = sent();
    assert.deepEqual(messages.map((m) => m.type).filter((t) => t !== 'render'), ['start', 'done'], 'start first, done last');
    assert.equal(messages[0].type, 'start');
    assert.equal(messages[messages.length - 1].type, 'done');
    assert.deepEqual(ofType(messages, 'start')[0].header, { fileName: 'quicksort.py', startLine: 1, endLine: 9, languageId: 'python' });
    assert.equal(ofType(messages, 'done')[0].stats.generatedTokens, SUCCESSOR_EXPLAIN_TOKENS.length);
    // Each render shows the answer so far (a token-boundary prefix), never going backwards, ending complete.
    const shown = ofType(messages, 'render').map((m) => EXPLANATION_RENDERS.indexOf(m.html));
    assert.ok(shown.length >= 2, `the answer arrived in one render, not streamed: ${JSON.stringify(shown)}`);
    assert.equal(shown[0], 0, 'the first words are shown at once');
    assert.ok(shown.every((at, i) => at >= 0 && (i === 0 || at >= shown[i - 1])), `renders are not growing prefixes: ${JSON.stringify(shown)}`);
    assert.equal(shown[shown.length - 1], EXPLANATION_RENDERS.length - 1);
  });

  it('re-renders the panel while a long answer is still being generated', async () => {
    // The successor's six tokens arrive within a few ms, inside one 50 ms render interval, so its
    // answer shows in one render; a long answer shows that renders keep coming while it grows.
    await useLongAnswers();
    selectLines(0, 8);
    const sent = watchPanel();
    const run = explainCommand();
    const lengths: number[] = [];
    await until(() => {
      if (sent().length > 0) lengths.push(api.panel.text.length);
      return ofType(sent(), 'render').length >= 3;
    }, 30_000, 'three renders');
    const endedEarly = sent().some((m) => m.type === 'done' || m.type === 'stopped');
    fromWebview({ type: 'stop' });
    await run;
    assert.ok(!endedEarly, 'the answer ended before its third render');
    assert.ok(lengths.every((n, i) => i === 0 || n >= lengths[i - 1]), 'the panel text shrank while streaming');
    assert.ok(new Set(lengths.filter((n) => n > 0)).size >= 2, `the panel text did not grow between renders: ${lengths.join(',')}`);
  });

  it('Stop ends the generation at once: finishReason cancelled, fewer tokens, "stopped" posted', async () => {
    await useLongAnswers();
    selectLines(0, 8);
    const pieces = recordPieces();
    const sent = watchPanel();
    const run = explainCommand();
    await until(() => ofType(sent(), 'render').length > 0, 30_000, 'the first render');
    // Text, not pieces: a piece is one forward step, which carries several tokens when drafts were accepted.
    const seenAtStop = pieces.join('');
    const textAtStop = api.panel.text;
    const stoppedAt = Date.now();
    fromWebview({ type: 'stop' });
    const outcome = await run;
    const stopMs = Date.now() - stoppedAt;

    assert.equal(outcome?.result.finishReason, 'cancelled');
    assert.ok(outcome.result.generatedTokens < LONG_ANSWER_TOKENS, `${outcome.result.generatedTokens} tokens: the generation ran to its limit`);
    // The model process checks for a cancel before every step: past the tokens the panel had, only the
    // step in progress and tokens already in the pipe may come (measured: one).
    assert.ok(outcome.result.text.startsWith(seenAtStop), 'the answer does not continue what the panel had');
    const late = await (await api.models.explainModel()).countTokens(outcome.result.text.slice(seenAtStop.length));
    assert.ok(late >= 0 && late <= 16, `${late} tokens were generated after Stop`);
    assert.equal(api.panel.text, textAtStop, 'text reached the panel after Stop');
    assert.ok(stopMs < 2_000, `Stop took ${stopMs} ms`);
    const types = sent().map((m) => m.type);
    assert.equal(types[types.length - 1], 'stopped');
    assert.ok(!types.includes('done'));
  });

  it('a second explain reuses the one panel and cancels the first', async () => {
    await useLongAnswers();
    selectLines(0, 8);
    const sent = watchPanel();
    const first = explainCommand();
    await until(() => ofType(sent(), 'render').length > 0, 30_000, 'the first explanation to stream');
    selectLines(11, 12);
    const second = explainCommand();
    const firstOutcome = await first;
    assert.ok(firstOutcome === undefined || firstOutcome.result.finishReason === 'cancelled', `the first run ended with ${firstOutcome?.result.finishReason}`);
    await until(() => {
      const messages = sent();
      const second = ofType(messages, 'start')[1];
      return second !== undefined && messages.slice(messages.indexOf(second)).some((m) => m.type === 'render');
    }, 30_000, 'the second explanation to stream');
    fromWebview({ type: 'stop' });
    await second;

    assert.equal(explainTabs().length, 1, 'more than one explanation panel is open');
    const messages = sent();
    const starts = ofType(messages, 'start');
    assert.deepEqual(starts.map((m) => [m.header.startLine, m.header.endLine]), [[1, 9], [12, 13]]);
    // The panel belongs to the second run from its start on: the first never finishes into it.
    const afterSecond = messages.slice(messages.indexOf(starts[1]) + 1).map((m) => m.type);
    assert.deepEqual(afterSecond.filter((t) => t !== 'render'), ['stopped']);
    const beforeSecond = messages.slice(0, messages.indexOf(starts[1])).map((m) => m.type);
    assert.deepEqual(beforeSecond.filter((t) => t !== 'render'), ['start']);
  });

  it('inkling.explain.language zh-cn turns the prompt the engine gets into Chinese', async () => {
    selectLines(0, 8);
    const requests = recordRequests();
    await explainCommand();
    await setSetting('explain.language', 'zh-cn', (a) => a.settings().explain.language === 'zh-cn');
    try {
      await explainCommand();
    } finally {
      await setSetting('explain.language', 'en', (a) => a.settings().explain.language === 'en');
    }
    assert.equal(requests.length, 2);
    const [english, chinese] = requests.map((r) => r.prompt);
    assert.match(english, /<\|im_start\|>system\nYou are an expert programmer\..*Write your answer in English\.<\|im_end\|>/s);
    assert.match(english, /Explain this python code from `quicksort\.py`:/);
    assert.match(chinese, /<\|im_start\|>system\n你是一名资深程序员。请用简体中文/);
    assert.match(chinese, /请解释这段来自 `quicksort\.py` 的 python 代码：/);
    assert.doesNotMatch(chinese, /You are an expert programmer/);
    // Same code, same chat template; only the language of the instructions changed.
    for (const prompt of [english, chinese]) assert.ok(prompt.includes(editor.document.getText(editor.selection)) && prompt.endsWith('<|im_start|>assistant\n'));
  });

  it('"Insert as comment" puts the explanation above the selection as indented # comments', async () => {
    const document = editor.document;
    const original = document.getText();
    selectLines(2, 3);
    await explainCommand();
    assert.equal(api.panel.text, EXPLANATION);
    const changed = nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === document && e.contentChanges.length > 0, 10_000, 'a change of the document');
    try {
      fromWebview({ type: 'insertAsComment' });
      await changed;
    } finally {
      changed.dispose();
    }
    const lines = document.getText().split('\n');
    const inserted = lines.length - original.split('\n').length;
    try {
      const originalLines = original.split('\n');
      assert.deepEqual(lines, [...originalLines.slice(0, 2), ...EXPLANATION_AS_INDENTED_PYTHON_COMMENT, ...originalLines.slice(2)]);
      assert.equal(lines[2 + inserted], '    if len(items) <= 1:', 'the comment is not right above the selection');
    } finally {
      const edit = new vscode.WorkspaceEdit();
      edit.delete(document.uri, new vscode.Range(2, 0, 2 + inserted, 0));
      await vscode.workspace.applyEdit(edit);
      await document.save();
    }
    assert.equal(document.getText(), original);
  });

  it('with no selection, explains the enclosing function', async () => {
    editor.selection = new vscode.Selection(4, 8, 4, 8);
    const requests = recordRequests();
    const sent = watchPanel();
    const outcome = await explainCommand();
    assert.equal(outcome?.result.text, SUCCESSOR_EXPLAIN_TEXT);
    assert.deepEqual(ofType(sent(), 'start')[0].header, { fileName: 'quicksort.py', startLine: 1, endLine: 9, languageId: 'python' });
    const functionText = Array.from({ length: 9 }, (_, i) => editor.document.lineAt(i).text).join('\n');
    assert.ok(requests[0]?.prompt.includes(`\`\`\`python\n${functionText}\n\`\`\``), `the prompt does not hold the function:\n${requests[0]?.prompt}`);
    assert.ok(!requests[0].prompt.includes('__main__'));
  });

  it('a selection made with Shift+Down (ending at column 0 of the next line) names only the selected lines', async () => {
    editor.selection = new vscode.Selection(0, 0, 9, 0);
    const sent = watchPanel();
    await explainCommand();
    assert.deepEqual(ofType(sent(), 'start')[0].header.endLine, 9);
  });

  it('cuts a selection over inkling.explain.maxInputTokens and the panel says so', async () => {
    await setSetting('explain.maxInputTokens', 64, (a) => a.settings().explain.maxInputTokens === 64);
    try {
      selectLines(0, editor.document.lineCount - 1);
      const sent = watchPanel();
      const outcome = await explainCommand();
      assert.equal(outcome?.prompt.truncated, true);
      const notes = ofType(sent(), 'truncated').map((m) => m.note);
      assert.equal(notes.length, 1, 'the panel was not told the selection was cut');
      assert.equal(ofType(sent(), 'start').length, 1, 'the panel was reset instead of told');
      const [start] = ofType(sent(), 'start');
      const [cut] = ofType(sent(), 'truncated');
      const selected = start!.header.endLine - start!.header.startLine + 1;
      assert.ok(selected >= editor.document.lineCount - 1, `the header first names the whole selection (${selected} lines)`);
      assert.match(notes[0]!, new RegExp(`first ${outcome!.prompt.keptLines} of ${selected} lines`));
      assert.equal(cut!.header.endLine, outcome!.prompt.keptLines, 'then the header names the lines explained, as the note says');
    } finally {
      await setSetting('explain.maxInputTokens', undefined, (a) => a.settings().explain.maxInputTokens !== 64);
    }
  });

  it('shows a model that cannot load as an error in the panel, naming it, with no stack trace', async () => {
    const missing = `${randomModel}-does-not-exist`;
    await setSetting('explain.model', missing, (a) => a.settings().explain.model === missing);
    selectLines(0, 8);
    const sent = watchPanel();
    const outcome = await explainCommand();
    assert.equal(outcome, undefined);
    const errors = ofType(sent(), 'error');
    assert.equal(errors.length, 1);
    assert.ok(errors[0]!.message.includes(missing), errors[0]!.message);
    assert.doesNotMatch(errors[0]!.message, /\n\s+at /);
  });
});
