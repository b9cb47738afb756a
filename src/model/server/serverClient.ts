// HTTP to one inference server: POSTs a body to an OpenAI-compatible endpoint and yields the streamed
// JSON chunks. Every request carries the API key (when set), a User-Agent naming Inkling, a limit on
// the wait for the answer to start and one on silence mid-stream. Failures become ServerErrors; the
// caller's own abort stays an AbortError.
import { isAbort } from './abort';
import { StreamBroken, streamedJson } from './eventStream';
import { errorFromNetwork, errorFromStatus, malformed, ServerError, stalled, timedOut, type RequestPlace } from './serverErrors';

export interface ServerClientOptions {
  /** The server's base URL as the user typed it (`http://gpu:8000`, with or without `/v1`). */
  url: string;
  model: string;
  userAgent: string;
  apiKey: () => string | undefined | Promise<string | undefined>;
  /** How long the server may take to start answering (response headers). */
  answerTimeoutMs: number;
  /** How long a started stream may stay silent. */
  idleTimeoutMs: number;
  fetch?: typeof fetch;
}

export class ServerClient {
  /** scheme://host:port[/path], without a trailing slash or `/v1`. */
  readonly root: string;
  readonly origin: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ServerClientOptions) {
    this.root = serverRoot(options.url);
    this.origin = new URL(this.root).origin;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The chunks of a streamed answer; ends at `[DONE]` or the end of the body. */
  async *stream(path: string, body: Record<string, unknown>, signal: AbortSignal): AsyncGenerator<Record<string, unknown>> {
    const at = this.place(path);
    const response = await this.request(at, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', accept: 'text/event-stream' } }, signal);
    const type = response.headers.get('content-type') ?? '';
    if (/application\/json/i.test(type)) {
      // A server that ignored `stream: true` answers in one piece: the same fields, once.
      const text = await this.bodyText(response, at, signal);
      try {
        yield JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw malformed(at, `a JSON answer that does not parse: ${text.slice(0, 120)}`);
      }
      return;
    }
    if (!/text\/event-stream/i.test(type) || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw malformed(at, `content-type ${type || 'missing'} where text/event-stream was asked for`);
    }
    try {
      yield* streamedJson(response.body, this.options.idleTimeoutMs);
    } catch (error) {
      throw this.streamError(error, at, signal);
    }
  }

  /** The ids of /v1/models. */
  async models(signal: AbortSignal): Promise<string[]> {
    const at = this.place('/v1/models');
    const response = await this.request(at, { method: 'GET', headers: { accept: 'application/json' } }, signal);
    const text = await this.bodyText(response, at, signal);
    try {
      const data = (JSON.parse(text) as { data?: unknown }).data;
      if (!Array.isArray(data)) throw new Error('no data array');
      return data.map((m) => (m as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
    } catch (error) {
      throw malformed(at, `/v1/models: ${(error as Error).message}`);
    }
  }

  private place(endpoint: string): RequestPlace {
    return { origin: this.origin, path: `${this.root.slice(this.origin.length)}${endpoint}`, model: this.options.model };
  }

  /**
   * Sends the request and waits for a 2xx answer's headers, within the answer limit. `signal` (one
   * per request: it is linked for the request's whole life) also ends the body's stream.
   */
  private async request(at: RequestPlace, init: RequestInit, signal: AbortSignal): Promise<Response> {
    const key = await this.options.apiKey();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.answerTimeoutMs);
    let answered = false;
    if (signal.aborted) controller.abort();
    else signal.addEventListener('abort', () => controller.abort(), { once: true });
    try {
      const response = await this.fetch(`${this.origin}${at.path}`, {
        ...init,
        signal: controller.signal,
        headers: { ...(init.headers as Record<string, string>), 'user-agent': this.options.userAgent, ...(key ? { authorization: `Bearer ${key}` } : {}) },
      });
      answered = true;
      clearTimeout(timer);
      if (!response.ok) throw errorFromStatus(response.status, await response.text().catch(() => ''), response.headers, at);
      return response;
    } catch (error) {
      if (error instanceof ServerError || signal.aborted) throw error;
      if (!answered && controller.signal.aborted) throw timedOut(at, this.options.answerTimeoutMs, 'answer');
      throw errorFromNetwork(error, at, answered);
    } finally {
      clearTimeout(timer);
    }
  }

  private async bodyText(response: Response, at: RequestPlace, signal: AbortSignal): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw this.streamError(error, at, signal);
    }
  }

  private streamError(error: unknown, at: RequestPlace, signal: AbortSignal): unknown {
    if (signal.aborted || isAbort(error) || error instanceof ServerError) return error;
    if (error instanceof StreamBroken) {
      const { failure } = error;
      if (failure.kind === 'stalled') return stalled(at, this.options.idleTimeoutMs);
      if (failure.kind === 'ended') return errorFromNetwork(new Error('the body ended before data: [DONE]'), at, true);
      return malformed(at, failure.what);
    }
    return errorFromNetwork(error, at, true);
  }
}

/** The base URL without a trailing slash or `/v1`; a ServerError naming the setting when it is no http(s) URL. */
export function serverRoot(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new ServerError('settings', url.trim()
      ? `inkling.server.url "${url.trim()}" is not a URL. Set it to the server's base URL, e.g. http://gpu-box:8000.`
      : 'inkling.backend is "server", but inkling.server.url is empty. Set it to the server\'s base URL, e.g. http://gpu-box:8000.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ServerError('settings', `inkling.server.url must start with http:// or https:// (got ${parsed.protocol}).`);
  }
  if (parsed.username || parsed.password) {
    throw new ServerError('settings', 'inkling.server.url must not hold a user name or password: set the key with "Inkling: Set Server API Key".');
  }
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${parsed.origin}${path}`;
}
