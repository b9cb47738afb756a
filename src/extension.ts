// Thin front door: build the services, register them, own their disposables.
import * as vscode from 'vscode';
import { CompletionService } from './completion/completionService';
import type { InklingApi } from './provider/api';
import { registerCommands } from './provider/commands';
import { Configuration } from './provider/configuration';
import { DownloadProgress } from './provider/downloadProgress';
import { ExplainController } from './provider/explainCommand';
import { ExplainPanel } from './provider/explainPanel';
import { InlineProvider } from './provider/inlineProvider';
import { ModelService } from './provider/modelService';
import { StatusBar } from './provider/statusBar';

export function activate(context: vscode.ExtensionContext): InklingApi {
  const log = vscode.window.createOutputChannel('Inkling', { log: true });
  const config = new Configuration(log);
  const status = new StatusBar();
  const models = new ModelService(context, () => config.settings, log);
  const completions = new CompletionService({
    generator: { generate: async (request, handlers) => (await models.completionModel()).generate(request, handlers) },
    getModelInfo: () => models.infoFor('completion'),
    log: (message) => log.debug(message),
    onCannotInfill: (model, reason) => void vscode.window.showWarningMessage(vscode.l10n.t('Inkling: {0} cannot fill in the middle ({1}), so completions only see the code before the cursor. A base code model such as Qwen2.5-Coder completes better.', model, reason)),
  });
  const downloads = new DownloadProgress();
  const panel = new ExplainPanel(context.extensionUri);
  const explainer = new ExplainController(panel, models, config, log);
  context.subscriptions.push(
    log, config, status, models, downloads, panel, explainer, { dispose: () => completions.dispose() },
    models.onDidChange((e) => {
      status.update(e);
      downloads.update(e);
    }),
    models.onDidHitProblem((message) => status.showProblem(message)),
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, new InlineProvider(completions, config)),
    ...registerCommands(log),
  );

  const applySettings = () => {
    status.setCompletionsEnabled(config.settings.completion.enabled);
    // Load the completion model in the background so the first ghost text comes quickly.
    if (config.settings.completion.enabled) models.completionModel().catch(() => undefined);
  };
  context.subscriptions.push(config.onDidChange(applySettings));
  applySettings();

  return {
    settings: () => config.settings,
    onDidChangeSettings: (listener) => config.onDidChange(listener),
    status: () => status.current,
    models,
    completions,
    explainer,
    panel,
  };
}

export function deactivate(): void {}
