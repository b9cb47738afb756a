// The statistics in a real extension host with the successor test model: ghost text accepted with
// VS Code's own commands (trigger, then commit, accept word) or dismissed (hide, then typing on)
// becomes the event a user would expect; an explanation is recorded with its timings; turning
// inkling.statistics.enabled off records nothing; the panel is sent these numbers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT } from '../../tools/makeModel/successorScript';
import type { InklingApi } from '../../src/provider/api';
import type { ToStatisticsWebview } from '../../src/provider/statistics/statisticsMessages';
import type { CompletionEvent, ExplainEvent } from '../../src/statistics/statisticsEvents';
import { activateInkling, answered, openPythonFile, sleep, until } from './hostSupport';

describe('Statistics in the extension host', function () {
  this.timeout(120_000);
  let api: InklingApi;
  const completionEvents = () => api.statistics.recorder.events.filter((e): e is CompletionEvent => e.kind === 'completion');

  /** A Python file holding the successor's FIM prefix, open and focused, the cursor at its end. */
  async function openPython(): Promise<vscode.TextEditor> {
    const editor = await openPythonFile('stats', SUCCESSOR_FIM_PREFIX);
    // Ghost text left showing in the editor before ends now; its event lands after a short grace.
    await sleep(700);
    return editor;
  }

  /** Asks VS Code for ghost text at the cursor (Alt+\) and waits until Inkling has answered and its answer is showing. */
  async function showGhostText(): Promise<void> {
    const seen = answered(api.completions.counters);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await until(() => answered(api.completions.counters) > seen, 10_000, 'the provider was not asked');
    await until(() => api.completions.counters.inFlight === 0, 20_000, 'the generation did not end');
    await sleep(300);
  }

  /** The next completion event recorded after `count` events. */
  async function nextCompletionEvent(count: number): Promise<CompletionEvent> {
    await until(() => completionEvents().length > count, 10_000, 'no completion event was recorded');
    return completionEvents()[count]!;
  }

  async function typeKey(ch: string): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('type', { text: ch });
  }

  before(async function () {
    this.timeout(240_000);
    api = await activateInkling();
    await vscode.workspace.getConfiguration('inkling').update('completion.temperature', 0, vscode.ConfigurationTarget.Workspace);
    await until(() => api.settings().completion.sampling.temperature === 0, 10_000, 'temperature 0');
    await api.models.completionModel();
    await api.statistics.recorder.reset();
  });

  beforeEach(() => api.completions.clearCache());

  afterEach(async () => {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('inkling').update('completion.temperature', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('inkling').update('statistics.enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Tab on the ghost text (trigger, then commit) records one accepted completion with the model\'s numbers', async () => {
    const editor = await openPython();
    const count = completionEvents().length;
    await showGhostText();
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT, 'the ghost text was not accepted');
    const event = await nextCompletionEvent(count);
    const info = api.models.infoFor('completion');
    console.log(`    recorded: ${JSON.stringify(event)}`);
    assert.equal(event.outcome, 'accepted');
    assert.equal(event.acceptedShare, 1);
    assert.deepEqual([event.languageId, event.model, event.dtype, event.backend], ['python', info?.model, info?.dtype, 'local']);
    assert.deepEqual([event.source, event.trigger, event.multiline], ['generated', 'explicit', true]);
    assert.equal(event.decodedTokens, 6, 'the successor model decodes the six pieces of its quicksort body');
    assert.ok(event.shownTokens > 0 && event.promptTokens > 0, JSON.stringify(event));
    assert.ok(event.timeToFirstTokenMs !== undefined && event.generationMs !== undefined && event.generationMs >= event.timeToFirstTokenMs);
    assert.ok(event.providerMs >= 0 && event.sinceKeystrokeMs >= event.providerMs, 'explicit: counted from the request');
    await sleep(800);
    assert.equal(completionEvents().length, count + 1, 'one ghost text, one event');
  });

  it('hiding the ghost text and typing on records it as dismissed', async () => {
    const editor = await openPython();
    const count = completionEvents().length;
    await showGhostText();
    await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
    await typeKey('#');
    assert.equal(editor.document.getText(), `${SUCCESSOR_FIM_PREFIX}#`);
    const event = await nextCompletionEvent(count);
    assert.deepEqual([event.outcome, event.acceptedShare, event.partialBy], ['dismissed', 0, undefined]);
    assert.equal(event.source, 'generated');
  });

  it('accepting the next word, then moving on, records a partial acceptance by word', async () => {
    const editor = await openPython();
    const count = completionEvents().length;
    await showGhostText();
    await vscode.commands.executeCommand('editor.action.inlineSuggest.acceptNextWord');
    const taken = editor.document.getText().slice(SUCCESSOR_FIM_PREFIX.length);
    assert.ok(taken.length > 1 && SUCCESSOR_FIM_TEXT.startsWith(taken) && taken !== SUCCESSOR_FIM_TEXT, `accept word inserted ${JSON.stringify(taken)}`);
    await sleep(1_000);
    assert.equal(completionEvents().length, count, 'the rest of the ghost text is still showing');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
    await typeKey('#');
    const event = await nextCompletionEvent(count);
    assert.deepEqual([event.outcome, event.partialBy], ['partial', 'word']);
    assert.ok(Math.abs(event.acceptedShare - taken.length / SUCCESSOR_FIM_TEXT.length) < 0.002, `share ${event.acceptedShare} for ${JSON.stringify(taken)}`);
  });

  it('explaining a selection records the explanation: finished, time to the first words, tokens decoded', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    await vscode.workspace.getConfiguration('inkling').update('explain.temperature', 0, vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'quicksort.py'));
      editor.selection = new vscode.Selection(0, 0, 8, editor.document.lineAt(8).text.length);
      const before = api.statistics.recorder.events.length;
      const outcome = await api.explainer.explainActiveSelection();
      assert.ok(outcome);
      const event = api.statistics.recorder.events.slice(before).find((e): e is ExplainEvent => e.kind === 'explain');
      assert.ok(event, 'no explanation was recorded');
      assert.deepEqual([event.outcome, event.languageId, event.decodedTokens, event.model], ['finished', 'python', outcome.result.generatedTokens, api.models.infoFor('explain')?.model]);
      assert.ok(event.timeToFirstTextMs !== undefined && event.timeToFirstTextMs >= 0, JSON.stringify(event));
    } finally {
      await vscode.workspace.getConfiguration('inkling').update('explain.temperature', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('records nothing while inkling.statistics.enabled is false', async () => {
    await vscode.workspace.getConfiguration('inkling').update('statistics.enabled', false, vscode.ConfigurationTarget.Global);
    await until(() => !api.statistics.recorder.enabled, 10_000, 'recording off');
    const editor = await openPython();
    const count = api.statistics.recorder.events.length;
    await showGhostText();
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    assert.equal(editor.document.getText(), SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT);
    await sleep(1_000);
    assert.equal(api.statistics.recorder.events.length, count);
    await vscode.workspace.getConfiguration('inkling').update('statistics.enabled', undefined, vscode.ConfigurationTarget.Global);
    await until(() => api.statistics.recorder.enabled, 10_000, 'recording on again');
  });

  it('the statistics view is sent the numbers recorded: accepted, partly accepted and dismissed', async () => {
    const sent: ToStatisticsWebview[] = [];
    const subscription = api.statistics.panel.onDidUpdate((message) => sent.push(message));
    try {
      await vscode.commands.executeCommand('inkling.showStatistics');
      await until(() => sent.length > 0, 30_000, 'the statistics page did not ask for the numbers');
      const { summary, recording } = sent[sent.length - 1]!;
      assert.equal(recording, true);
      assert.deepEqual(
        [summary.completions.shown, summary.completions.accepted, summary.completions.partial, summary.completions.dismissed],
        [completionEvents().length, ...(['accepted', 'partial', 'dismissed'] as const).map((o) => completionEvents().filter((e) => e.outcome === o).length)],
      );
      assert.ok(summary.completions.accepted >= 1 && summary.completions.partial >= 1 && summary.completions.dismissed >= 1, JSON.stringify(summary.completions));
      assert.equal(summary.byLanguage.find((r) => r.key === 'python')?.shown, completionEvents().filter((e) => e.languageId === 'python').length);
      assert.equal(summary.explanations.count, 1);
      assert.ok(summary.latency.p50 !== undefined && summary.latency.p95 !== undefined && summary.latency.p95 >= summary.latency.p50);
    } finally {
      subscription.dispose();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});
