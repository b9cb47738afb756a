// One request to the hub with node:http(s), not fetch: redirects followed by hand (loops caught,
// the token dropped when the host changes, never downgraded to plain http), a stall noticed after
// `idleMs` without a byte, and https through an http proxy when one is set.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import { mayCarryHubToken } from '../../modelSource';
import { networkCode, TransferError } from './transferError';
import { proxyFor } from './proxySettings';

export interface HubFetchOptions {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** No byte either way for this long ends the request as stalled. */
  idleMs: number;
  /** An explicit http:// proxy (VS Code's http.proxy); otherwise the environment's is used. */
  proxy?: string;
  /** The user's HF_TOKEN: sent only to the default hub over https. */
  token?: string;
  maxRedirects?: number;
}

export interface HubResponse {
  status: number;
  /** Where the answer came from, after redirects. */
  url: URL;
  headers: IncomingHttpHeaders;
  /** What the hub says about the file on any hop (it puts the LFS size and sha256 on its redirect). */
  published: { size?: number; etag?: string; linkedEtag?: string; repoCommit?: string };
  /** Read it or destroy it. */
  body: IncomingMessage;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function hubFetch(start: URL, options: HubFetchOptions): Promise<HubResponse> {
  const maxRedirects = options.maxRedirects ?? 10;
  const seen = new Set<string>();
  const published: HubResponse['published'] = {};
  let url = start;
  for (let hops = 0; ; hops++) {
    seen.add(url.href);
    const response = await requestOnce(url, options);
    notePublished(published, response.headers);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || !location) {
      return { status: response.statusCode ?? 0, url, headers: response.headers, published, body: response };
    }
    response.resume();
    const next = new URL(location, url);
    if (seen.has(next.href) || hops >= maxRedirects) {
      throw new TransferError('redirect-loop', { url: next.href, redirects: hops + 1 }, `redirect loop at ${next.href} after ${hops + 1} redirects`);
    }
    if (next.protocol !== 'https:' && !(next.protocol === 'http:' && url.protocol === 'http:')) {
      throw new TransferError('redirect-loop', { url: next.href, redirects: hops + 1, insecure: true }, `refused redirect from ${url.protocol} to ${next.href}`);
    }
    url = next;
  }
}

function notePublished(published: HubResponse['published'], headers: IncomingHttpHeaders): void {
  const linkedSize = Number(headers['x-linked-size']);
  if (Number.isSafeInteger(linkedSize) && linkedSize >= 0) published.size ??= linkedSize;
  const header = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : undefined);
  published.linkedEtag ??= normalizeEtag(header('x-linked-etag'));
  published.etag ??= normalizeEtag(header('etag'));
  published.repoCommit ??= header('x-repo-commit');
}

/** `W/"abc"` → `abc`. */
function normalizeEtag(value: string | undefined): string | undefined {
  return value?.replace(/^W\//, '').replace(/^"|"$/g, '') || undefined;
}

async function requestOnce(url: URL, options: HubFetchOptions): Promise<IncomingMessage> {
  options.signal?.throwIfAborted();
  const headers: Record<string, string> = { 'user-agent': 'inkling', ...options.headers };
  if (options.token && mayCarryHubToken(url)) headers.authorization = `Bearer ${options.token}`;
  const proxy = proxyFor(url, options.proxy);
  const base: RequestOptions = { method: options.method ?? 'GET', headers, signal: options.signal };
  const tunnel = proxy ? await openTunnel(proxy, url, options) : undefined;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let answer: IncomingMessage | undefined;
    // No agent: with one, Node would ignore createConnection and dial the host itself.
    const req = send(url, tunnel ? { ...base, createConnection: () => tunnel } : base, (res) => {
      answer = res;
      resolve(res);
    });
    // The socket's idle timer keeps running while the body streams: a stall mid-file ends the body with it.
    req.setTimeout(options.idleMs, () => {
      const error = stalled(url, options.idleMs);
      if (answer) answer.destroy(error);
      req.destroy(error);
    });
    req.on('error', (error) => reject(asTransferError(error, url)));
    req.end();
  });
}

/** A CONNECT tunnel through the proxy to `url`'s host, wrapped in TLS for it. */
async function openTunnel(proxy: URL, url: URL, options: HubFetchOptions): Promise<Socket> {
  const target = `${url.hostname}:${url.port || 443}`;
  const headers: Record<string, string> = { host: target };
  if (proxy.username) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const where = `${proxy.protocol}//${proxy.host}`;
  const socket = await new Promise<Socket>((resolve, reject) => {
    const req = httpRequest({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: target, headers, signal: options.signal, agent: false });
    req.setTimeout(options.idleMs, () => req.destroy(new TransferError('proxy', { proxyProblem: `no answer in ${options.idleMs / 1000} s` }, `proxy ${where} timed out`)));
    req.on('connect', (res: IncomingMessage, tunnel: Socket) => {
      if (res.statusCode === 200) return resolve(tunnel);
      tunnel.destroy();
      reject(new TransferError('proxy', { status: res.statusCode, proxyProblem: `it answered HTTP ${res.statusCode}${res.statusCode === 407 ? ' (it wants a user name and password)' : ''}` }, `proxy ${where} refused CONNECT ${target}`));
    });
    req.on('error', (error) => {
      if (error instanceof TransferError || isAbortError(error)) return reject(error);
      reject(new TransferError('proxy', { errno: (error as NodeJS.ErrnoException).code, proxyProblem: (error as NodeJS.ErrnoException).code ?? error.message }, `proxy ${where}: ${error.message}`, { cause: error }));
    });
    req.end();
  });
  return tlsConnect({ socket, servername: url.hostname });
}

function stalled(url: URL, idleMs: number): TransferError {
  return new TransferError('stalled', { url: url.href, idleMs }, `no data from ${url.host} for ${idleMs} ms`);
}

function asTransferError(error: Error, url: URL): Error {
  if (error instanceof TransferError || isAbortError(error)) return error;
  const errno = networkCode(error) ?? (error as NodeJS.ErrnoException).code;
  return new TransferError('unreachable', { url: url.href, ...(errno ? { errno } : {}) }, `${url.host}: ${error.message}`, { cause: error });
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}
