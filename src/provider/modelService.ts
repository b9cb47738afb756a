// VS Code glue around the engine pool: turns settings into load options, keeps the models in the
// extension's storage, reports loading progress and shows each load failure once, in words.
import * as vscode from 'vscode';
import { EnginePool, type LoadedModel, type PoolEvent, type Role } from '../common/enginePool';
import type { InklingSettings } from '../common/settings';
import { EngineError } from '../model/engineError';
import { ModelEngine } from '../model/modelEngine';
import { devicesFor } from '../model/devices';
import type { Device, LoadOptions, ModelInfo } from '../model/protocol';
import { userMessageOf } from '../common/userMessage';

// A generation slower than this is stuck, not slow (a 2-core laptop CPU decodes a 0.5B model at over
// 10 tokens/s): the engine then kills the model process and starts a fresh one for the next request.
const PROMPT_ALLOWANCE_MS = 30_000;
const SLOWEST_TOKEN_MS = 250;


export class ModelService implements vscode.Disposable {
  private readonly pool: EnginePool;
  private readonly events = new vscode.EventEmitter<PoolEvent>();
  private readonly shownFailures = new Set<string>();
  private readonly problems = new vscode.EventEmitter<string>();
  readonly onDidChange = this.events.event;
  /** A generation that crashed or overran its deadline: the process restarts on the next request. */
  readonly onDidHitProblem = this.problems.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly getSettings: () => InklingSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const processEntry = context.asAbsolutePath('dist/modelProcess.js');
    this.pool = new EnginePool(
      () => new ModelEngine({ processEntry, log: (level, message) => this.logLine(level, message) }),
      (event) => this.onPoolEvent(event),
    );
  }

  /** The completion model, loaded. Rejects with a user-facing error when it cannot load. */
  async completionModel(): Promise<LoadedModel> {
    return this.guarded(await this.pool.acquire('completion', this.loadOptions(this.getSettings().model.id)));
  }

  async explainModel(): Promise<LoadedModel> {
    const settings = this.getSettings();
    return this.guarded(await this.pool.acquire('explain', this.loadOptions(settings.explain.model || settings.model.id)));
  }

  /** Adds a deadline scaled to the token budget, and reports a crash once in the log and status bar. */
  private guarded(model: LoadedModel): LoadedModel {
    return {
      ...model,
      generate: async (request, handlers) => {
        try {
          return await model.generate({ deadlineMs: PROMPT_ALLOWANCE_MS + request.sampling.maxNewTokens * SLOWEST_TOKEN_MS, ...request }, handlers);
        } catch (error) {
          if (error instanceof EngineError && (error.code === 'process-crashed' || error.code === 'deadline')) {
            this.log.warn(error.detail ? `${error.message}\n${error.detail}` : error.message);
            this.problems.fire(error.message);
          }
          throw error;
        }
      },
    };
  }

  infoFor(role: Role): ModelInfo | undefined {
    return this.pool.infoFor(role);
  }

  /** Where hub models are downloaded to: the extension's global storage, never node_modules. */
  get cacheDir(): string {
    return vscode.Uri.joinPath(this.context.globalStorageUri, 'models').fsPath;
  }

  private loadOptions(model: string): LoadOptions {
    const { dtype, threads, hubUrl } = this.getSettings().model;
    const device = this.usableDevice(this.getSettings().model.device);
    return {
      model,
      dtype,
      device,
      threads,
      cacheDir: this.cacheDir,
      ...(hubUrl ? { remoteHost: hubUrl.endsWith('/') ? hubUrl : `${hubUrl}/` } : {}),
    };
  }

  /** The chosen device if onnxruntime offers it here, else the CPU (said once). */
  private usableDevice(device: Device): Device {
    const offered = devicesFor(process.platform, process.arch);
    if (offered.includes(device)) return device;
    const message = vscode.l10n.t('Inkling: inkling.model.device is {0}, which onnxruntime does not offer on {1}-{2}; using cpu.', device, process.platform, process.arch);
    if (!this.shownFailures.has(message)) {
      this.shownFailures.add(message);
      this.log.warn(message);
      void vscode.window.showWarningMessage(message);
    }
    return 'cpu';
  }

  private onPoolEvent(event: PoolEvent): void {
    if (event.type === 'loading' && !event.progress) this.log.info(`Loading ${event.model} for ${event.role}…`);
    if (event.type === 'ready') this.log.info(`${event.info.model} (${event.info.dtype}, ${event.info.device}) ready for ${event.role} in ${event.info.loadMs} ms`);
    if (event.type === 'failed') this.reportFailure(event.model, event.error);
    this.events.fire(event);
  }

  private reportFailure(model: string, error: unknown): void {
    const { message, detail } = userMessageOf(error, model);
    this.log.error(detail ? `${message}\n${detail}` : message);
    if (this.shownFailures.has(message)) return;
    this.shownFailures.add(message);
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showErrorMessage(message, openSettings, showLog).then((choice) => {
      if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'inkling.model');
      if (choice === showLog) this.log.show(true);
    });
  }

  private logLine(level: 'info' | 'warn' | 'error' | 'debug', message: string): void {
    this.log[level](message);
  }

  dispose(): void {
    this.pool.dispose();
    this.events.dispose();
    this.problems.dispose();
  }
}
