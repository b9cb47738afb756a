// What went wrong talking to an inference server, in words a user can act on (`message`, shown in the
// status bar or the explain panel) with the server's own words for the log (`detail`). `problem`
// decides what the backend does next: back off, wait as asked (429), or wait for a new key.

export type ServerProblem =
  | 'settings' | 'unreachable' | 'unknown-host' | 'tls' | 'timeout' | 'dropped' | 'stalled'
  | 'auth' | 'forbidden' | 'model-not-found' | 'endpoint-not-found' | 'rate-limited' | 'rejected' | 'server-failed' | 'malformed';

export class ServerError extends Error {
  override readonly name = 'ServerError';

  constructor(readonly problem: ServerProblem, message: string, readonly detail?: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

const KEY_COMMAND = '"Inkling: Set Server API Key"';

/** Where the request went, for messages: the origin plus the endpoint, e.g. http://gpu:8000/v1/completions. */
export interface RequestPlace { origin: string; path: string; model: string }

export function errorFromStatus(status: number, body: string, headers: { get(name: string): string | null }, at: RequestPlace, now = Date.now()): ServerError {
  const said = serverSaid(body);
  const detail = `${status} from ${at.origin}${at.path}${said ? `: ${said}` : ''}`;
  const server = `The inference server at ${at.origin}`;
  if (status === 401) return new ServerError('auth', `${server} refused the API key (401). Set the key with ${KEY_COMMAND}.`, detail);
  if (status === 403) return new ServerError('forbidden', `${server} denied access (403). Check the API key (${KEY_COMMAND}) and what the server allows it.`, detail);
  if (status === 404) {
    // vLLM and Ollama name the model they do not know; a route that does not exist names no model.
    return at.model !== '' && said.includes(at.model)
      ? new ServerError('model-not-found', `${server} does not serve a model named "${at.model}" (404). Set inkling.server.model to a name its /v1/models lists.`, detail)
      : new ServerError('endpoint-not-found', `${server} has no ${at.path} (404). Is inkling.server.url the server's base URL?`, detail);
  }
  if (status === 429) {
    const wait = retryAfterMs(headers.get('retry-after'), now);
    const when = wait !== undefined ? `; Inkling waits ${Math.max(1, Math.round(wait / 1000))} s as it asked` : '';
    return new ServerError('rate-limited', `${server} is busy (429)${when}.`, detail, wait);
  }
  if (status === 400 || status === 413 || status === 422) return new ServerError('rejected', `${server} rejected the request (${status})${said ? `: ${clip(said, 160)}` : ''}.`, detail);
  if (status >= 500) return new ServerError('server-failed', `${server} failed (${status})${said ? `: ${clip(said, 160)}` : ''}.`, detail);
  return new ServerError('rejected', `${server} answered ${status} to ${at.path}.`, detail);
}

/** Errors thrown by fetch or by reading the body (undici puts the system error in `cause`). */
export function errorFromNetwork(error: unknown, at: RequestPlace, midAnswer: boolean): ServerError {
  const code = systemCode(error);
  const detail = `${at.origin}${at.path}: ${describe(error)}`;
  const server = `the inference server at ${at.origin}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new ServerError('unknown-host', `Cannot find ${server}: the name ${hostOf(at.origin)} does not resolve. Check inkling.server.url.`, detail);
  }
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/.test(code)) return new ServerError('tls', `Cannot trust the TLS certificate of ${server} (${code}).`, detail);
  if (midAnswer) return new ServerError('dropped', `${capital(server)} closed the connection mid-answer.`, detail);
  if (code === 'ECONNREFUSED') return new ServerError('unreachable', `Cannot reach ${server} (connection refused). Completions resume by themselves once it answers.`, detail);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return new ServerError('unreachable', `Cannot reach ${server} (the connection timed out).`, detail);
  return new ServerError('unreachable', `Cannot reach ${server}${code ? ` (${code})` : ''}. Completions resume by themselves once it answers.`, detail);
}

export function timedOut(at: RequestPlace, ms: number, waitingFor: 'answer' | 'end'): ServerError {
  return waitingFor === 'answer'
    ? new ServerError('timeout', `The inference server at ${at.origin} did not answer within ${duration(ms)}.`, `${at.origin}${at.path}: no response headers after ${ms} ms`)
    : new ServerError('timeout', `The inference server at ${at.origin} did not finish within ${duration(ms)}.`, `${at.origin}${at.path}: deadline of ${ms} ms`);
}

export function stalled(at: RequestPlace, ms: number): ServerError {
  return new ServerError('stalled', `The inference server at ${at.origin} stopped sending mid-answer (nothing for ${duration(ms)}).`, `${at.origin}${at.path}: idle for ${ms} ms`);
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

export function malformed(at: RequestPlace, what: string): ServerError {
  return new ServerError('malformed', `The inference server at ${at.origin} answered in a form Inkling cannot read (not an OpenAI-compatible stream).`, `${at.origin}${at.path}: ${what}`);
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds (at most ten minutes); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), 600_000) : undefined;
}

/** The error message in a JSON error body, as the engines spell it ({error:{message}}, {error}, {message}, {detail}). */
export function serverSaid(body: string): string {
  const text = body.trim();
  if (!text) return '';
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const error = json.error;
    const found = typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : error ?? json.message ?? json.detail;
    if (typeof found === 'string') return clip(found, 300);
  } catch {
    // Not JSON: a proxy's page or plain text.
  }
  return clip(text.replace(/\s+/g, ' '), 300);
}

function systemCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next || typeof next !== 'object' || seen.has(next)) continue;
    seen.add(next);
    const code = (next as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ABORT_ERR') return code;
    queue.push((next as { cause?: unknown }).cause, ...((next as { errors?: unknown[] }).errors ?? []));
  }
  return undefined;
}

function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
  return parts.join(' ← ');
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    return origin;
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
