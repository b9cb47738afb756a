// Thin front door: build the services, register them, own their disposables.
import * as vscode from 'vscode';
import { CompletionService } from './completion/completionService';
import type { InklingApi } from './provider/api';
import { registerCommands } from './provider/commands';
import { warnIfCannotInfill } from './provider/completion/infillCheck';
import { InlineProvider } from './provider/completion/inlineProvider';
import { followPreviews } from './provider/completion/previewFollowUp';
import { Configuration } from './provider/configuration';
import { ExplainController } from './provider/explain/explainCommand';
import { ExplainPanel } from './provider/explain/explainPanel';
import { registerModelCommands } from './provider/modelCommands';
import { ModelService } from './provider/modelService';
import { Notifications } from './provider/notifications';
import { StatisticsService } from './provider/statistics/statisticsService';
import { DownloadProgress } from './provider/status/downloadProgress';
import { StatusBar } from './provider/status/statusBar';

export function activate(context: vscode.ExtensionContext): InklingApi {
  const log = vscode.window.createOutputChannel('Inkling', { log: true });
  const notifications = new Notifications(log);
  const config = new Configuration(notifications);
  const status = new StatusBar();
  const models = new ModelService(context, () => config.settings, log, notifications);
  const completions = new CompletionService({ model: () => models.readyCompletionModel(), log });
  const downloads = new DownloadProgress((model) => models.cancelDownload(model));
  const panel = new ExplainPanel(context.extensionUri);
  const explainer = new ExplainController(panel, models, config, log);
  const statistics = new StatisticsService({ context, log, config, models, status, explanations: { onDidUpdate: panel.onDidUpdate, onDidFinish: explainer.onDidFinish } });
  context.subscriptions.push(
    log, config, status, models, downloads, panel, explainer, statistics, { dispose: () => completions.dispose() },
    models.onDidChange((e) => {
      status.update(e);
      downloads.update(e);
      if (e.type === 'ready' && e.role === 'completion') warnIfCannotInfill(e.info, config.settings.completion.promptTemplate, notifications);
    }),
    models.onDidHitProblem((message) => status.showProblem(message)),
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, new InlineProvider(completions, config, statistics.completions)),
    followPreviews(completions),
    ...registerCommands({ log, models, status }),
    ...registerModelCommands(models),
  );

  const applySettings = () => {
    status.setCompletionsEnabled(config.settings.completion.enabled);
    // Load the completion model in the background so the first ghost text comes quickly.
    if (config.settings.completion.enabled) models.completionModel().catch(() => undefined);
  };
  context.subscriptions.push(config.onDidChange(({ changed }) => {
    models.settingsChanged(changed);
    applySettings();
    const info = models.infoFor('completion');
    if (info && changed.has('completion.promptTemplate')) warnIfCannotInfill(info, config.settings.completion.promptTemplate, notifications);
  }));
  applySettings();

  return {
    settings: () => config.settings,
    onDidChangeSettings: (listener) => config.onDidChange(({ settings }) => listener(settings)),
    status: () => status.current,
    models,
    completions,
    explainer,
    panel,
    statistics,
  };
}

export function deactivate(): void {}
