// The server backend: one ServerModel per feature (completions, explanations) for the settings in
// force, ready at once (a server needs no loading), and a check of /v1/models in the background so a
// server that is down or refuses the key is said in the status bar before the first keystroke.
import { silentLogger, type Logger } from '../../base/logger';
import type { ModelInfo } from '../protocol';
import type { ServerSettings } from '../../settings/settings';
import { ServerClient } from './serverClient';
import { ServerError } from './serverErrors';
import { describeServedModel } from './servedModel';
import { ServerModel } from './serverModel';

export type ServerRole = 'completion' | 'explain';

export type ServerEvent =
  /** The model for a role is set up, or the server answers again after a problem. */
  | { type: 'ready'; role: ServerRole; info: ModelInfo }
  | { type: 'busy'; generating: number }
  /** What went wrong, in words; requests go on (backing off) and recover by themselves. */
  | { type: 'problem'; role: ServerRole; error: ServerError };

export interface ServerBackendOptions {
  /** e.g. "Inkling/0.1.0 (VS Code extension)". */
  userAgent: string;
  apiKey: () => string | undefined | Promise<string | undefined>;
  onEvent?: (event: ServerEvent) => void;
  log?: Logger;
  fetch?: typeof fetch;
  answerTimeoutMs?: number;
  idleTimeoutMs?: number;
}

interface Entry { key: string; model: ServerModel; check: AbortController }

export class ServerBackend {
  private readonly entries = new Map<ServerRole, Entry>();
  private readonly log: Logger;
  private readonly emit: (event: ServerEvent) => void;
  private generating = 0;

  constructor(private readonly options: ServerBackendOptions) {
    this.log = options.log ?? silentLogger;
    this.emit = options.onEvent ?? (() => undefined);
  }

  /** The served model for a role; rejects with a ServerError naming the setting when one is unusable. */
  async acquire(role: ServerRole, settings: ServerSettings): Promise<ServerModel> {
    const key = JSON.stringify([settings.url, settings.model, settings.promptTemplate]);
    const existing = this.entries.get(role);
    if (existing?.key === key) return existing.model;
    this.release(role);
    try {
      return this.start(role, key, settings);
    } catch (error) {
      if (error instanceof ServerError) this.emit({ type: 'problem', role, error });
      throw error;
    }
  }

  private start(role: ServerRole, key: string, settings: ServerSettings): ServerModel {
    if (!settings.model) {
      throw new ServerError('settings', 'inkling.backend is "server", but inkling.server.model is empty. Set it to the model name the server lists at /v1/models.');
    }
    const client = new ServerClient({
      url: settings.url,
      model: settings.model,
      userAgent: this.options.userAgent,
      apiKey: this.options.apiKey,
      answerTimeoutMs: this.options.answerTimeoutMs ?? 20_000,
      idleTimeoutMs: this.options.idleTimeoutMs ?? 30_000,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    const served = describeServedModel(settings.model, settings.promptTemplate, new URL(client.root).host);
    if (role === 'completion') {
      this.log.info(`Server backend: ${settings.model} at ${client.root}, ${served.family ? `${served.family} fill-in-the-middle format` : 'fill-in-the-middle format unknown (left to right)'}`);
    }
    const model: ServerModel = new ServerModel({
      client,
      name: settings.model,
      info: served.info,
      quiet: role === 'completion',
      hooks: {
        onBusy: (delta) => this.emit({ type: 'busy', generating: (this.generating += delta) }),
        onProblem: (error, repeated) => {
          const said = error.detail ? `${error.message}\n${error.detail}` : error.message;
          if (repeated) return this.log.debug(said);
          this.log.warn(said);
          this.emit({ type: 'problem', role, error });
        },
        onRecovered: () => {
          this.log.info(`${model.info.model} answers again`);
          this.emit({ type: 'ready', role, info: model.info });
        },
      },
    });
    const entry: Entry = { key, model, check: new AbortController() };
    this.entries.set(role, entry);
    this.emit({ type: 'ready', role, info: model.info });
    void this.check(role, entry, client, settings.model);
    return model;
  }

  ready(role: ServerRole): ServerModel | undefined {
    return this.entries.get(role)?.model;
  }

  infoFor(role: ServerRole): ModelInfo | undefined {
    return this.entries.get(role)?.model.info;
  }

  /** After the API key changed: every model may try again at once. */
  resetBackoff(): void {
    for (const { model } of this.entries.values()) model.resetBackoff();
  }

  release(role: ServerRole): void {
    const entry = this.entries.get(role);
    if (!entry) return;
    entry.check.abort();
    entry.model.dispose();
    this.entries.delete(role);
  }

  dispose(): void {
    for (const role of [...this.entries.keys()]) this.release(role);
  }

  /** Reachability and the key, early; a model missing from the list is only logged (llama.cpp answers to any name). */
  private async check(role: ServerRole, entry: Entry, client: ServerClient, name: string): Promise<void> {
    try {
      const names = await client.models(entry.check.signal);
      this.log.info(`${client.root}/v1/models lists ${names.length ? names.join(', ') : 'no models'}`);
      if (names.length > 0 && !names.includes(name)) this.log.warn(`${client.root} does not list "${name}" at /v1/models; requests may fail with 404 (the llama.cpp server answers to any name).`);
    } catch (error) {
      if (!(error instanceof ServerError) || this.entries.get(role) !== entry) return;
      // An engine without /v1/models may still answer completions: only the requests themselves can tell.
      if (error.problem === 'endpoint-not-found') return this.log.info(`${client.root} has no /v1/models; the first request will tell whether it answers.`);
      entry.model.reportProblem(error);
    }
  }
}
