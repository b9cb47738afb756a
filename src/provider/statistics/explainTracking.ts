// Records each explanation: the panel's updates say when it started and when its first words showed;
// the controller's end says how it ended and what the engine measured. A new explanation can start
// before the one it replaced has ended, so starts wait in order for their ends.
import type * as vscode from 'vscode';
import type { ExplainOutcome } from '../../explain/explainSession';
import type { ExplainOutcomeKind, ModelRef } from '../../statistics/statisticsEvents';
import type { StatisticsRecorder } from '../../statistics/statisticsRecorder';
import type { ToExplainWebview } from '../explain/panelMessages';

interface Run {
  at: number;
  languageId: string;
  firstTextAt: number | undefined;
  failed: boolean;
}

export interface ExplainSources {
  onDidUpdate: vscode.Event<ToExplainWebview>;
  onDidFinish: vscode.Event<ExplainOutcome | undefined>;
}

export class ExplainTracking implements vscode.Disposable {
  private readonly runs: Run[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    sources: ExplainSources,
    private readonly recorder: StatisticsRecorder,
    private readonly model: () => ModelRef | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.subscriptions = [sources.onDidUpdate((m) => this.updated(m)), sources.onDidFinish((o) => this.finished(o))];
  }

  private updated(message: ToExplainWebview): void {
    const newest = this.runs[this.runs.length - 1];
    if (message.type === 'start') this.runs.push({ at: this.now(), languageId: message.header.languageId, firstTextAt: undefined, failed: false });
    // The panel shows the newest explanation only.
    else if (message.type === 'render' && message.html && newest && newest.firstTextAt === undefined) newest.firstTextAt = this.now();
    else if (message.type === 'error' && newest) newest.failed = true;
  }

  private finished(outcome: ExplainOutcome | undefined): void {
    const run = this.runs.shift();
    const model = this.model();
    if (!run || !model) return;
    const result = outcome?.result;
    const kind: ExplainOutcomeKind = run.failed || result?.finishReason === 'error' || result?.finishReason === 'deadline' ? 'failed'
      : !result || result.finishReason === 'cancelled' ? 'stopped'
        : result.finishReason === 'length' ? 'length' : 'finished';
    this.recorder.record({
      kind: 'explain', at: run.at, languageId: run.languageId, ...model,
      timeToFirstTextMs: run.firstTextAt === undefined ? undefined : run.firstTextAt - run.at,
      timeToFirstTokenMs: result?.timeToFirstTokenMs, generationMs: result?.totalMs, decodedTokens: result?.generatedTokens ?? 0,
      outcome: kind,
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
