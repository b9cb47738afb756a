// Thin front door: build the services, register them, own their disposables.
import * as vscode from 'vscode';
import type { InklingApi } from './provider/api';
import { registerCommands } from './provider/commands';
import { Configuration } from './provider/configuration';
import { ModelService } from './provider/modelService';
import { StatusBar } from './provider/statusBar';

export function activate(context: vscode.ExtensionContext): InklingApi {
  const log = vscode.window.createOutputChannel('Inkling', { log: true });
  const config = new Configuration(log);
  const status = new StatusBar();
  const models = new ModelService(context, () => config.settings, log);
  context.subscriptions.push(log, config, status, models, models.onDidChange((e) => status.update(e)), ...registerCommands(log));

  const warmUp = () => {
    status.setCompletionsEnabled(config.settings.completion.enabled);
    // Load the completion model in the background so the first ghost text comes quickly.
    if (config.settings.completion.enabled) models.completionModel().catch(() => undefined);
  };
  context.subscriptions.push(config.onDidChange(warmUp));
  warmUp();

  return {
    settings: () => config.settings,
    onDidChangeSettings: (listener) => config.onDidChange(listener),
    status: () => status.current,
    models,
    completions: undefined as never,
  };
}

export function deactivate(): void {}
