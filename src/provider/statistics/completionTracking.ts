// Feeds the ghost-text tracker from VS Code: the requests and results of the inline provider, the
// documents' edits (how accept word / accept line and dismissals show), the active editor changing,
// and the command each shown item carries, which VS Code runs when it is accepted in full.
import * as vscode from 'vscode';
import { GhostTracker } from '../../statistics/ghostTracker';
import type { ModelRef } from '../../statistics/statisticsEvents';
import type { StatisticsRecorder } from '../../statistics/statisticsRecorder';
import type { CompletionObserver, ShownCompletion } from '../completion/inlineProvider';

export const ACCEPTED_COMMAND = 'inkling.statistics.completionAccepted';

/** An edit or cursor move older than this did not trigger the request (it came from elsewhere). */
const KEYSTROKE_WINDOW_MS = 5_000;

export class CompletionTracking implements CompletionObserver, vscode.Disposable {
  private readonly tracker: GhostTracker;
  /** The last edit or cursor move per document (epoch ms): the keystroke a request follows. */
  private readonly lastKeystroke = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly recorder: StatisticsRecorder,
    private readonly model: () => ModelRef | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.tracker = new GhostTracker((event) => this.recorder.record(event));
    this.subscriptions = [
      vscode.commands.registerCommand(ACCEPTED_COMMAND, (id: unknown) => {
        if (typeof id === 'number') this.tracker.accepted(id);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        const key = e.document.uri.toString();
        this.lastKeystroke.set(key, this.now());
        this.tracker.edited(key, e.contentChanges.map((c) => ({ offset: c.rangeOffset, removed: c.rangeLength, inserted: c.text })));
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.lastKeystroke.set(e.textEditor.document.uri.toString(), this.now())),
      vscode.window.onDidChangeActiveTextEditor(() => this.tracker.leave()),
      vscode.workspace.onDidCloseTextDocument((document) => this.lastKeystroke.delete(document.uri.toString())),
    ];
  }

  requested(document: vscode.TextDocument, position: vscode.Position): number {
    this.tracker.requested(document.uri.toString(), document.offsetAt(position));
    return this.now();
  }

  shown({ document, position, result, requestedAt, trigger }: ShownCompletion): vscode.Command | undefined {
    const model = this.model();
    if (!this.recorder.enabled || !model) return undefined;
    const key = document.uri.toString();
    const at = this.now();
    const keystroke = this.lastKeystroke.get(key);
    // Alt+\ is the keystroke itself; an automatic request follows the last edit or cursor move.
    const from = trigger === 'automatic' && keystroke !== undefined && keystroke <= requestedAt && requestedAt - keystroke < KEYSTROKE_WINDOW_MS ? keystroke : requestedAt;
    const { stats } = result;
    const id = this.tracker.shown({
      documentKey: key,
      offset: document.offsetAt(position),
      text: result.text,
      replaceLength: result.replaceLength,
      draft: {
        kind: 'completion', at, languageId: document.languageId, ...model,
        source: stats.source, trigger, multiline: stats.mode === 'multi',
        sinceKeystrokeMs: at - from, providerMs: at - requestedAt,
        timeToFirstTokenMs: stats.timeToFirstTokenMs, generationMs: stats.generationMs,
        promptTokens: stats.promptTokens, reusedPromptTokens: stats.reusedPromptTokens ?? 0,
        decodedTokens: stats.generatedTokens, shownTokens: stats.shownTokens,
      },
    });
    return { command: ACCEPTED_COMMAND, title: '', arguments: [id] };
  }

  dispose(): void {
    this.tracker.flush();
    for (const s of this.subscriptions) s.dispose();
  }
}
