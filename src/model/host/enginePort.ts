// The one way the editor and the CLI run models. It assembles what both need: model processes shared
// per model (the pool), load options from the model settings (hub URL, cache folder, a device this
// platform offers) and the deadline every generation carries. Pipelines only see LoadedModel.
import { silentLogger, type Logger } from '../../base/logger';
import type { ModelSettings } from '../../settings/settings';
import type { ChatRequest, Device, GenerateResult, LoadedModel, LoadOptions } from '../protocol';
import { listCachedModels, removeCachedModel, type CachedModel } from '../cache/cachedModels';
import { devicesFor } from './devices';
import { EngineError } from './engineError';
import { EnginePool, type PooledEngine, type PoolEvent, type Role } from './enginePool';
import { ModelEngine } from './modelEngine';

export type { CachedModel };

// A generation slower than this is stuck, not slow (a 2-core laptop CPU decodes a 0.5B model at over
// 10 tokens/s): the engine then kills the model process and starts a fresh one for the next request.
const PROMPT_ALLOWANCE_MS = 30_000;
const SLOWEST_TOKEN_MS = 250;

export type EngineEvent =
  | PoolEvent
  /** A generation crashed the model process or overran its deadline; the next request restarts it. */
  | { type: 'problem'; error: EngineError }
  /** The chosen device is not offered on this platform: the CPU is used instead. */
  | { type: 'deviceFallback'; requested: Device; platform: string };

export interface EnginePortOptions {
  /** Path to dist/modelProcess.js. */
  processEntry: string;
  /** Where hub models are downloaded; the model process's default when absent. */
  cacheDir?: string;
  log?: Logger;
  onEvent?: (event: EngineEvent) => void;
  /** Tests pass fakes; the real engine forks the model process. */
  createEngine?: () => PooledEngine;
  /** The proxy for downloads (VS Code's http.proxy), read at each load; the environment's otherwise. */
  proxy?: () => string | undefined;
  platform?: { os: NodeJS.Platform; arch: string };
}

export class EnginePort {
  private readonly pool: EnginePool;
  private readonly emit: (event: EngineEvent) => void;
  private readonly platform: { os: NodeJS.Platform; arch: string };
  private readonly fallbackSaid = new Map<Role, Device>();

  constructor(private readonly options: EnginePortOptions) {
    const log = options.log ?? silentLogger;
    this.emit = options.onEvent ?? (() => undefined);
    this.platform = options.platform ?? { os: process.platform, arch: process.arch };
    const createEngine = options.createEngine ?? (() => new ModelEngine({ processEntry: options.processEntry, log }));
    this.pool = new EnginePool(createEngine, (event) => this.emit(event));
  }

  /** `model` (a repo id or folder) for a feature, loaded with `settings`; rejects with an EngineError a user can read. */
  async acquire(role: Role, model: string, settings: ModelSettings): Promise<LoadedModel> {
    const options = this.loadOptions(role, model, settings);
    return this.withDeadline(await this.pool.acquire(role, options));
  }

  /** The model serving a feature when it has loaded; undefined while it loads or after it failed. */
  ready(role: Role): LoadedModel | undefined {
    const model = this.pool.ready(role);
    return model && this.withDeadline(model);
  }

  /** Stops the download of `model` in progress; its load fails with the code 'cancelled'. */
  cancelDownload(model: string): void {
    this.pool.cancelLoading(model);
  }

  /** Hub models in the cache folder, largest first. */
  cachedModels(): Promise<CachedModel[]> {
    return this.options.cacheDir ? listCachedModels(this.options.cacheDir) : Promise.resolve([]);
  }

  /** Deletes a cached hub model; rejects when another process is downloading it. */
  async removeCachedModel(repo: string): Promise<void> {
    if (this.options.cacheDir) await removeCachedModel(this.options.cacheDir, repo);
  }

  infoFor(role: Role) {
    return this.pool.infoFor(role);
  }

  /** Frees the role's model process (when no other role shares it): another backend serves the role now. */
  release(role: Role): void {
    this.pool.leave(role);
  }

  dispose(): void {
    this.pool.dispose();
  }

  private loadOptions(role: Role, model: string, settings: ModelSettings): LoadOptions {
    const offered = devicesFor(this.platform.os, this.platform.arch);
    const device = offered.includes(settings.device) ? settings.device : 'cpu';
    if (device !== settings.device && this.fallbackSaid.get(role) !== settings.device) {
      this.emit({ type: 'deviceFallback', requested: settings.device, platform: `${this.platform.os}-${this.platform.arch}` });
    }
    this.fallbackSaid.set(role, settings.device);
    const { hubUrl } = settings;
    const proxy = this.options.proxy?.()?.trim();
    return {
      model,
      dtype: settings.dtype,
      device,
      threads: settings.threads,
      ...(this.options.cacheDir ? { cacheDir: this.options.cacheDir } : {}),
      // As typed: the model process checks it and names it in its message when it is unusable.
      ...(hubUrl ? { remoteHost: hubUrl } : {}),
      ...(proxy ? { proxy } : {}),
    };
  }

  /** Adds a deadline scaled to the token budget, and reports a crash or an overrun once as a problem. */
  private withDeadline(model: LoadedModel): LoadedModel {
    const deadline = <T extends ChatRequest>(request: T): T => ({ deadlineMs: PROMPT_ALLOWANCE_MS + request.sampling.maxNewTokens * SLOWEST_TOKEN_MS, ...request });
    const reported = async (work: Promise<GenerateResult>): Promise<GenerateResult> => {
      try {
        return await work;
      } catch (error) {
        if (error instanceof EngineError && (error.code === 'process-crashed' || error.code === 'deadline')) this.emit({ type: 'problem', error });
        throw error;
      }
    };
    return {
      info: model.info,
      countTokens: (text) => model.countTokens(text),
      chatPrompt: (messages, signal) => model.chatPrompt(messages, signal),
      generate: (request, handlers) => reported(model.generate(deadline(request), handlers)),
      generateChat: (messages, request, handlers) => reported(model.generateChat(messages, deadline(request), handlers)),
    };
  }
}
