// VS Code glue around the model backends (the engine port, or an inference server): keeps hub models
// in the extension's storage, turns their events into VS Code events and the status of each
// feature's model, and says each load failure in words (once per episode; always in the log). A
// completion model that failed to load comes back by itself: the next request after a growing
// back-off tries again, at once when its local folder appears or changes, when a setting changes,
// another feature loads it, or on Retry.
import * as vscode from 'vscode';
import type { Logger } from '../base/logger';
import { EngineError } from '../model/host/engineError';
import { EnginePort, type CachedModel, type EngineEvent } from '../model/host/enginePort';
import type { PoolEvent, Role } from '../model/host/enginePool';
import { watchFolder, type FolderWatch } from '../model/host/folderWatch';
import { ModelBackends } from '../model/host/modelBackends';
import { RetrySchedule } from '../model/host/retrySchedule';
import { userMessageOf } from '../model/host/userMessage';
import { resolveModelSource } from '../model/modelSource';
import type { LoadedModel, ModelInfo } from '../model/protocol';
import { ServerBackend, type ServerEvent } from '../model/server/serverBackend';
import type { InklingSettings } from '../settings/settings';
import type { SettingKey } from '../settings/settingsTable';
import type { Notifications } from './notifications';
import { ServerKey } from './serverKey';

/** What the status bar and the download notification follow. */
export type ModelEvent =
  | PoolEvent
  /** The completion model failed to load; the next request from `at` (epoch ms) tries again. */
  | { type: 'retryScheduled'; role: 'completion'; at: number };

const MODEL_KEYS: ReadonlySet<SettingKey> = new Set(['model.id', 'model.dtype', 'model.device', 'model.threads', 'model.hubUrl', 'explain.model', 'backend']);

export class ModelService implements vscode.Disposable {
  private readonly port: EnginePort;
  private readonly backends: ModelBackends;
  private readonly server: ServerBackend;
  private readonly serverKey: ServerKey;
  private readonly retry = new RetrySchedule();
  /** The completion model's load in flight, if any. */
  private loading: Promise<LoadedModel> | undefined;
  private watched: { folder: string; watch: FolderWatch } | undefined;
  private readonly events = new vscode.EventEmitter<ModelEvent>();
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
    this.serverKey = new ServerKey(context.secrets);
    this.server = new ServerBackend({
      userAgent: `Inkling/${String(context.extension.packageJSON.version)} (VS Code ${vscode.version})`,
      apiKey: () => this.serverKey.current(),
      log,
      onEvent: (event) => this.onServerEvent(event),
    });
    this.serverKey.onDidChange(() => this.server.resetBackoff());
    this.backends = new ModelBackends(this.port, this.server);
  }

  /** The completion model, loaded (or, with the server backend, set up). Rejects with a user-facing error when it cannot be. */
  completionModel(): Promise<LoadedModel> {
    const settings = this.getSettings();
    this.watchLocalFolder(settings.backend === 'local' ? settings.model.id : undefined);
    const load = this.backends.acquire('completion', settings);
    this.loading = load;
    load.then(
      () => this.retry.reset(),
      () => {
        if (this.loading === load) this.events.fire({ type: 'retryScheduled', role: 'completion', at: this.retry.failed() });
      },
    ).finally(() => {
      if (this.loading === load) this.loading = undefined;
    });
    return load;
  }

  explainModel(): Promise<LoadedModel> {
    return this.backends.acquire('explain', this.getSettings());
  }

  /**
   * The completion model if it has loaded: the typing path never waits for a load. When it has not
   * (it failed), the request starts a new try once the back-off allows, in the background.
   */
  readyCompletionModel(): LoadedModel | undefined {
    const model = this.backends.ready('completion');
    if (!model && !this.loading && this.retry.due) this.completionModel().catch(() => undefined);
    return model;
  }

  /** Tries the completion model again now (the Retry button). */
  retryNow(): Promise<LoadedModel> {
    this.retry.reset();
    return this.completionModel();
  }

  /** A changed model setting starts a new episode: its failures may be shown again, and tried at once. */
  settingsChanged(changed: ReadonlySet<SettingKey>): void {
    if (![...changed].some((key) => MODEL_KEYS.has(key))) return;
    this.retry.reset();
    this.notifications.forget('model');
  }

  infoFor(role: Role): ModelInfo | undefined {
    return this.backends.infoFor(role);
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
        if (event.info.device !== 'server') this.log.info(`${event.info.model} (${event.info.dtype}, ${event.info.device}) ready for ${event.role} in ${event.info.loadMs} ms${event.info.weightsFile ? ` (${event.info.weightsFile})` : ''}`);
        // Recovered: a later failure is news again, and the model may now be a join away for the other feature.
        this.notifications.forget('model');
        this.retry.reset();
        break;
      case 'failed':
        this.reportFailure(event.model, event.error);
        break;
    }
    this.events.fire(event);
  }

  /** Server problems go to the status bar only (typing never pops anything up), except unusable settings. */
  private onServerEvent(event: ServerEvent): void {
    if (event.type !== 'problem') return this.onEngineEvent(event);
    this.problems.fire(event.error.message);
    if (event.error.problem === 'settings') {
      const open = { title: vscode.l10n.t('Open Settings'), run: () => void vscode.commands.executeCommand('workbench.action.openSettings', 'inkling.server') };
      this.notifications.showOnce('error', `Inkling: ${event.error.message}`, { group: 'settings', buttons: [open] });
    }
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
    const retry = { title: vscode.l10n.t('Retry'), run: () => void vscode.commands.executeCommand('inkling.retryModel') };
    const showLog = { title: vscode.l10n.t('Show Log'), run: () => void vscode.commands.executeCommand('inkling.showLog') };
    const fix = canPick
      ? { title: vscode.l10n.t('Select Model…'), run: () => void vscode.commands.executeCommand('inkling.selectModel') }
      : { title: vscode.l10n.t('Open Settings'), run: () => void vscode.commands.executeCommand('workbench.action.openSettings', 'inkling.model') };
    this.notifications.showOnce('error', message, { group: 'model', detail, buttons: [retry, fix, showLog] });
  }

  /** Watches the completion model's folder when it is one, so a model copied in is tried at once. */
  private watchLocalFolder(model: string | undefined): void {
    const source = model === undefined ? undefined : resolveModelSource(model);
    const folder = source?.kind === 'local' ? source.folder : undefined;
    if (this.watched?.folder === folder) return;
    this.watched?.watch.dispose();
    this.watched = folder === undefined ? undefined : {
      folder,
      watch: watchFolder(folder, () => {
        if (this.backends.ready('completion') || this.loading) return;
        this.log.info(`${folder} changed: loading the completion model again`);
        this.retryNow().catch(() => undefined);
      }),
    };
  }

  dispose(): void {
    this.watched?.watch.dispose();
    this.backends.dispose();
    this.serverKey.dispose();
    this.events.dispose();
    this.problems.dispose();
  }
}
