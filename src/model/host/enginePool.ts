// Which model process serves which feature. Completions and explanations share one process when
// they use the same model (no reload when switching between them); a different explain model gets
// its own process, started only when first used. Changing a model's settings replaces its process.
import type { ChatMessage, GenerateHandlers, GenerateRequest, GenerateResult, LoadedModel, LoadOptions, LoadProgress, ModelInfo } from '../protocol';
import { chatThroughTemplate } from './localChat';
import type { ModelEngine } from './modelEngine';

export type Role = 'completion' | 'explain';

/** The part of ModelEngine the pool uses (tests pass a fake). */
export type PooledEngine = Pick<ModelEngine, 'load' | 'generate' | 'countTokens' | 'chatPrompt' | 'dispose'> & Partial<Pick<ModelEngine, 'cancelLoad'>>;

export type PoolEvent =
  | { type: 'loading'; role: Role; model: string; progress?: LoadProgress }
  | { type: 'ready'; role: Role; info: ModelInfo }
  | { type: 'failed'; role: Role; model: string; error: unknown }
  | { type: 'busy'; generating: number };

interface Entry {
  key: string;
  model: string;
  engine: PooledEngine;
  loaded: Promise<ModelInfo>;
  info?: ModelInfo;
  roles: Set<Role>;
  /** Roles told this entry is ready. */
  announced: Set<Role>;
}

export class EnginePool {
  private readonly entries = new Map<string, Entry>();
  private readonly byRole = new Map<Role, Entry>();
  private generating = 0;

  constructor(private readonly createEngine: () => PooledEngine, private readonly emit: (event: PoolEvent) => void) {}

  /**
   * The model for a role, loading (or reloading after a settings change) as needed. Each event says
   * something new: 'loading' when a role starts waiting on a load, 'ready' once per role and load,
   * 'failed' once per failed load (for every role it served), however many requests wait on it.
   */
  async acquire(role: Role, options: LoadOptions): Promise<LoadedModel> {
    const key = JSON.stringify([options.model, options.dtype, options.device, options.threads ?? 0, options.remoteHost ?? '', options.cacheDir ?? '']);
    let entry = this.entries.get(key);
    const previous = this.byRole.get(role);
    if (previous && previous !== entry) this.release(role, previous);
    if (!entry) entry = this.start(key, options);
    const joining = !entry.roles.has(role);
    entry.roles.add(role);
    this.byRole.set(role, entry);
    if (joining && !entry.info) this.emit({ type: 'loading', role, model: options.model });
    try {
      entry.info = await entry.loaded;
    } catch (error) {
      // A failed load is forgotten so the next request (after the user fixes the setting) retries.
      if (this.entries.get(key) === entry) {
        const roles = [...entry.roles];
        this.drop(entry);
        for (const served of roles) this.emit({ type: 'failed', role: served, model: options.model, error });
      }
      throw error;
    }
    if (!entry.announced.has(role)) {
      entry.announced.add(role);
      this.emit({ type: 'ready', role, info: entry.info });
    }
    return this.view(entry, entry.info);
  }

  /** The model serving a role, if it has loaded (no waiting, no loading). */
  ready(role: Role): LoadedModel | undefined {
    const entry = this.byRole.get(role);
    return entry?.info ? this.view(entry, entry.info) : undefined;
  }

  /** The info of the model currently serving a role, if it has loaded. */
  infoFor(role: Role): ModelInfo | undefined {
    return this.byRole.get(role)?.info;
  }

  /** The role no longer uses a model here; its process ends when no other role shares it. */
  leave(role: Role): void {
    const entry = this.byRole.get(role);
    if (entry) this.release(role, entry);
  }

  /** Stops every load of `model` still in progress (the user cancelled its download). */
  cancelLoading(model: string): void {
    for (const entry of this.entries.values()) if (!entry.info && entry.model === model) entry.engine.cancelLoad?.();
  }

  dispose(): void {
    for (const entry of this.entries.values()) entry.engine.dispose();
    this.entries.clear();
    this.byRole.clear();
  }

  private start(key: string, options: LoadOptions): Entry {
    const engine = this.createEngine();
    const roles = new Set<Role>();
    const loaded = engine.load(options, (progress) => {
      for (const role of roles) this.emit({ type: 'loading', role, model: options.model, progress });
    });
    loaded.catch(() => undefined);
    const entry: Entry = { key, model: options.model, engine, roles, loaded, announced: new Set() };
    this.entries.set(key, entry);
    return entry;
  }

  private release(role: Role, entry: Entry): void {
    entry.roles.delete(role);
    entry.announced.delete(role);
    this.byRole.delete(role);
    if (entry.roles.size === 0) this.drop(entry);
  }

  private drop(entry: Entry): void {
    this.entries.delete(entry.key);
    for (const role of entry.roles) if (this.byRole.get(role) === entry) this.byRole.delete(role);
    entry.engine.dispose();
  }

  private view(entry: Entry, info: ModelInfo): LoadedModel {
    const chatPrompt = (messages: ChatMessage[], signal?: AbortSignal) => entry.engine.chatPrompt(messages, signal);
    // Background work (a prompt computed ahead) is nothing the user waits for: the status bar stays ready.
    const generate = (request: GenerateRequest, handlers?: GenerateHandlers): Promise<GenerateResult> =>
      request.background ? entry.engine.generate(request, handlers) : this.track(entry.engine.generate(request, handlers));
    return { info, countTokens: (text) => entry.engine.countTokens(text), chatPrompt, generate, generateChat: chatThroughTemplate({ chatPrompt, generate }) };
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.emit({ type: 'busy', generating: ++this.generating });
    try {
      return await work;
    } finally {
      this.emit({ type: 'busy', generating: --this.generating });
    }
  }
}
