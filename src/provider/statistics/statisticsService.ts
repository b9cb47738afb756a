// The statistics, wired into VS Code: the recorder and its file in the extension's global storage,
// inkling.statistics.enabled, what feeds it (completions, explanations), the panel and what its
// buttons do (reset, export as CSV), and today's line in the status bar's tooltip.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { Logger } from '../../base/logger';
import { messageOf } from '../../base/logger';
import type { Role } from '../../model/host/enginePool';
import { statisticsCsv } from '../../statistics/statisticsCsv';
import { dtypeLabel, type CompletionEvent, type ModelRef } from '../../statistics/statisticsEvents';
import { STATISTICS_FILE, StatisticsFile } from '../../statistics/statisticsFile';
import { StatisticsRecorder } from '../../statistics/statisticsRecorder';
import { summarize, todayOf, type StatisticsSummary } from '../../statistics/statisticsSummary';
import type { Configuration } from '../configuration';
import type { ModelService } from '../modelService';
import type { StatusBar } from '../status/statusBar';
import { CompletionTracking } from './completionTracking';
import { ExplainTracking, type ExplainSources } from './explainTracking';
import { StatisticsPanel } from './statisticsPanel';
import { todayLine } from './todayLine';

const STATUS_REFRESH_MS = 1_000;

export interface StatisticsDependencies {
  context: vscode.ExtensionContext;
  log: Logger;
  config: Configuration;
  models: Pick<ModelService, 'infoFor'>;
  status: Pick<StatusBar, 'setStatisticsLine'>;
  explanations: ExplainSources;
}

export class StatisticsService implements vscode.Disposable {
  readonly recorder: StatisticsRecorder;
  /** The inline provider's observer. */
  readonly completions: CompletionTracking;
  readonly panel: StatisticsPanel;
  private readonly subscriptions: vscode.Disposable[];
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly hourly: NodeJS.Timeout;

  constructor(private readonly deps: StatisticsDependencies) {
    const { context, log, config } = deps;
    const path = vscode.Uri.joinPath(context.globalStorageUri, STATISTICS_FILE).fsPath;
    this.recorder = new StatisticsRecorder({ store: new StatisticsFile(path, log), log, enabled: config.settings.statistics.enabled });
    this.completions = new CompletionTracking(this.recorder, () => this.modelRef('completion'));
    this.panel = new StatisticsPanel(context.extensionUri, { summary: () => this.summary(), recording: () => this.recorder.enabled });
    const changes = this.recorder.onDidChange(() => {
      this.panel.refresh();
      this.scheduleStatusLine();
    });
    this.subscriptions = [
      this.completions,
      new ExplainTracking(deps.explanations, this.recorder, () => this.modelRef('explain')),
      this.panel,
      { dispose: () => changes.dispose() },
      config.onDidChange(({ settings, changed }) => {
        if (changed.has('statistics.enabled')) this.recorder.setEnabled(settings.statistics.enabled);
      }),
      this.panel.onMessage((message) => {
        if (message.type === 'reset') void this.confirmReset();
        if (message.type === 'exportCsv') void this.exportCsv();
        if (message.type === 'openSettings') void vscode.commands.executeCommand('workbench.action.openSettings', 'inkling.statistics.enabled');
      }),
      vscode.commands.registerCommand('inkling.showStatistics', () => this.panel.show()),
    ];
    // "Today" moves on at midnight even when nothing is recorded.
    this.hourly = setInterval(() => this.scheduleStatusLine(), 3_600_000);
    this.hourly.unref?.();
    this.scheduleStatusLine();
  }

  summary(): StatisticsSummary {
    return summarize(this.recorder.events, startOfToday());
  }

  /** Asks first (a modal dialog), then deletes every recorded event. */
  async confirmReset(): Promise<boolean> {
    const count = this.recorder.events.length;
    const reset = vscode.l10n.t('Reset');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete all {0} recorded Inkling statistics events? This cannot be undone.', count), { modal: true }, reset);
    if (answer !== reset) return false;
    await this.recorder.reset();
    return true;
  }

  /** Asks where, writes the events as CSV there, and offers to open it. */
  async exportCsv(): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Inkling statistics as CSV'),
      defaultUri: vscode.Uri.joinPath(folder, `inkling-statistics-${new Date().toISOString().slice(0, 10)}.csv`),
      filters: { CSV: ['csv'] },
    });
    if (!uri) return undefined;
    const events = this.recorder.events;
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(statisticsCsv(events)));
    } catch (error) {
      this.deps.log.warn(`statistics: could not export to ${uri.toString()}: ${messageOf(error)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Inkling could not write {0}: {1}', uri.fsPath, messageOf(error)));
      return undefined;
    }
    const open = vscode.l10n.t('Open');
    void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} statistics events to {1}.', events.length, uri.fsPath), open).then((picked) => {
      if (picked === open) void vscode.window.showTextDocument(uri);
    });
    return uri;
  }

  /** The model doing a feature's work: the loaded one, else the one configured for it. */
  private modelRef(role: Role): ModelRef | undefined {
    const info = this.deps.models.infoFor(role);
    const settings = this.deps.config.settings;
    if (settings.backend === 'server') return { model: info?.model ?? settings.server.model, dtype: 'other', backend: 'server' };
    const model = info?.model ?? (role === 'explain' && settings.explain.model ? settings.explain.model : settings.model.id);
    return { model, dtype: dtypeLabel(info?.dtype ?? settings.model.dtype), backend: 'local' };
  }

  private scheduleStatusLine(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      const completions = this.recorder.events.filter((e): e is CompletionEvent => e.kind === 'completion');
      this.deps.status.setStatisticsLine(todayLine(todayOf(completions, startOfToday())));
    }, STATUS_REFRESH_MS);
    this.statusTimer.unref?.();
  }

  dispose(): void {
    if (this.statusTimer) clearTimeout(this.statusTimer);
    clearInterval(this.hourly);
    for (const s of this.subscriptions) s.dispose();
    void this.recorder.dispose();
  }
}

function startOfToday(): number {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today.getTime();
}
