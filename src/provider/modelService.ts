// VS Code glue around the engine port: keeps hub models in the extension's storage, turns the
// port's events into VS Code events and the status of each feature's model, and says each load
// failure in words (once per episode; always in the log).
import * as vscode from 'vscode';
import type { Logger } from '../base/logger';
import { EngineError } from '../model/host/engineError';
import { EnginePort, type EngineEvent } from '../model/host/enginePort';
import type { PoolEvent, Role } from '../model/host/enginePool';
import { userMessageOf } from '../model/host/userMessage';
import type { LoadedModel, ModelInfo } from '../model/protocol';
import type { CachedModel } from '../model/host/enginePort';
import type { InklingSettings } from '../settings/settings';
import type { Notifications } from './notifications';

export class ModelService implements vscode.Disposable {
  private readonly port: EnginePort;
  private readonly events = new vscode.EventEmitter<PoolEvent>();
  private readonly problems = new vscode.EventEmitter<string>();
  readonly onDidChange = this.events.event;
  /** A generation that crashed or overran its deadline: the process restarts on the next request. */
  readonly onDidHitProblem = this.problems.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly getSettings: () => InklingSettings,
    private readonly log: Logger,
    private readonly notifications: Notifications,
  ) {
    this.port = new EnginePort({
      processEntry: context.asAbsolutePath('dist/modelProcess.js'),
      cacheDir: this.cacheDir,
      // VS Code's proxy, for downloads (the model process also honours HTTPS_PROXY when this is empty).
      proxy: () => vscode.workspace.getConfiguration('http').get<string>('proxy'),
      log,
      onEvent: (event) => this.onEngineEvent(event),
    });
  }

  /** The completion model, loaded. Rejects with a user-facing error when it cannot load. */
  completionModel(): Promise<LoadedModel> {
    const settings = this.getSettings();
    return this.port.acquire('completion', settings.model.id, settings.model);
  }

  explainModel(): Promise<LoadedModel> {
    const settings = this.getSettings();
    return this.port.acquire('explain', settings.explain.model || settings.model.id, settings.model);
  }

  /** The completion model if it has loaded: the typing path never waits for a load. */
  readyCompletionModel(): LoadedModel | undefined {
    return this.port.ready('completion');
  }

  infoFor(role: Role): ModelInfo | undefined {
    return this.port.infoFor(role);
  }

  /** Stops the download of `model` (the notification's Cancel): its partial files are removed. */
  cancelDownload(model: string): void {
    this.port.cancelDownload(model);
  }

  /** Hub models in the cache, with their size on disk. */
  cachedModels(): Promise<CachedModel[]> {
    return this.port.cachedModels();
  }

  removeCachedModel(repo: string): Promise<void> {
    return this.port.removeCachedModel(repo);
  }

  /** Where hub models are downloaded to: the extension's global storage, never node_modules. */
  get cacheDir(): string {
    return vscode.Uri.joinPath(this.context.globalStorageUri, 'models').fsPath;
  }

  private onEngineEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'problem':
        this.log.warn(event.error.detail ? `${event.error.message}\n${event.error.detail}` : event.error.message);
        this.problems.fire(event.error.message);
        return;
      case 'deviceFallback':
        this.notifications.showOnce('warning', vscode.l10n.t('Inkling: inkling.model.device is {0}, which onnxruntime does not offer on {1}; using cpu.', event.requested, event.platform), { group: 'settings' });
        return;
      case 'loading':
        if (!event.progress) this.log.info(`Loading ${event.model} for ${event.role}…`);
        break;
      case 'ready':
        this.log.info(`${event.info.model} (${event.info.dtype}, ${event.info.device}) ready for ${event.role} in ${event.info.loadMs} ms`);
        break;
      case 'failed':
        this.reportFailure(event.model, event.error);
        break;
    }
    this.events.fire(event);
  }

  private reportFailure(model: string, error: unknown): void {
    const { message, detail } = userMessageOf(error, model);
    // The user cancelled: nothing to tell them that they do not know.
    if (error instanceof EngineError && error.code === 'cancelled') {
      this.log.info(message);
      return;
    }
    if (error instanceof EngineError && error.code === 'storage') {
      const clear = { title: vscode.l10n.t('Clear Model Cache'), run: () => void vscode.commands.executeCommand('inkling.clearModelCache') };
      this.notifications.showOnce('error', message, { group: 'model', detail, buttons: [clear] });
      return;
    }
    // A model that cannot be found or fetched is best fixed by picking another one (a local folder).
    const canPick = error instanceof EngineError && (error.code === 'hub-unreachable' || error.code === 'model-not-found');
    const showLog = { title: vscode.l10n.t('Show Log'), run: () => void vscode.commands.executeCommand('inkling.showLog') };
    const fix = canPick
      ? { title: vscode.l10n.t('Select Model…'), run: () => void vscode.commands.executeCommand('inkling.selectModel') }
      : { title: vscode.l10n.t('Open Settings'), run: () => void vscode.commands.executeCommand('workbench.action.openSettings', 'inkling.model') };
    this.notifications.showOnce('error', message, { group: 'model', detail, buttons: [fix, showLog] });
  }

  dispose(): void {
    this.port.dispose();
    this.events.dispose();
    this.problems.dispose();
  }
}
