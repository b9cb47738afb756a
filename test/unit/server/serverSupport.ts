// Shared set-up for the server backend's unit tests: a stand-in server with scripted text, and a
// ServerModel (through the ServerBackend, as the editor builds it) pointed at it.
import { ServerBackend, type ServerEvent } from '../../../src/model/server/serverBackend';
import type { ServerModel } from '../../../src/model/server/serverModel';
import type { PromptTemplateSetting } from '../../../src/settings/settings';
import { startStandIn, type StandIn, type StandInOptions, type TextSource } from '../../support/inferenceServer';

/** Text in these pieces, whatever the prompt; it also records prompts and conversations. */
export function scripted(pieces: readonly string[]): TextSource & { prompts: string[] } {
  const prompts: string[] = [];
  async function* give(signal: AbortSignal) {
    for (const piece of pieces) {
      if (signal.aborted) return;
      yield piece;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return {
    prompts,
    complete: (prompt, _body, signal) => {
      prompts.push(prompt);
      return give(signal);
    },
    chat: (messages, _body, signal) => {
      prompts.push(messages.map((m) => `${m.role}: ${m.content}`).join('\n'));
      return give(signal);
    },
  };
}

export interface Served {
  server: StandIn;
  backend: ServerBackend;
  model: ServerModel;
  events: ServerEvent[];
  close(): Promise<void>;
}

export interface ServedOptions extends Partial<StandInOptions> {
  name?: string;
  promptTemplate?: PromptTemplateSetting;
  role?: 'completion' | 'explain';
  apiKey?: string;
  /** The key Inkling sends (defaults to the server's). */
  clientKey?: string;
  url?: string;
  idleTimeoutMs?: number;
  answerTimeoutMs?: number;
  fetch?: typeof fetch;
}

export async function served(options: ServedOptions = {}): Promise<Served> {
  const name = options.name ?? 'qwen2.5-coder-1.5b';
  const server = await startStandIn({ source: scripted(['x']), models: [name], ...options });
  const events: ServerEvent[] = [];
  const backend = new ServerBackend({
    userAgent: 'Inkling/test',
    apiKey: () => options.clientKey ?? options.apiKey,
    onEvent: (event) => events.push(event),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(options.answerTimeoutMs ? { answerTimeoutMs: options.answerTimeoutMs } : {}),
  });
  const model = await backend.acquire(options.role ?? 'completion', { url: options.url ?? server.url, model: name, promptTemplate: options.promptTemplate ?? 'auto' });
  // The background /v1/models check has answered (or failed) before the test starts.
  await until(() => server.requests.some((r) => r.path === '/v1/models') || options.url !== undefined, 5_000);
  await new Promise((resolve) => setTimeout(resolve, 20));
  return { server, backend, model, events, close: async () => { backend.dispose(); await server.close(); } };
}

export async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const greedy = { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 32 };
