// A stand-in for the model hub on 127.0.0.1, in the hub's layout and manners: small files answer at
// {host}/{org}/{name}/resolve/main/{file} with their git hash as ETag; large ones (onnx/…) redirect
// to a CDN path, publishing their size and sha256 on the redirect (X-Linked-Size, X-Linked-Etag), and
// the CDN serves byte ranges. Faults can be injected per file (a short body, an early close, a web
// page, a stall…), each for a number of requests, and every request is recorded.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export type FaultKind =
  /** 200 with half the file and a Content-Length that matches the half. */
  | 'short-body'
  /** No Content-Length, half the file, then the connection closes. */
  | 'no-length-early-close'
  /** The full Content-Length announced, half sent, then the connection drops. */
  | 'early-close'
  /** A captive portal's sign-in page, 200 text/html. */
  | 'html'
  | 'not-found'
  /** The resolve URL redirects to a second URL that redirects back. */
  | 'redirect-loop'
  /** Headers and the first 64 KiB, then nothing, with the connection left open. */
  | 'stall'
  /** The right length with one byte changed. */
  | 'wrong-bytes'
  | 'server-error'
  /** Range requests are answered with the whole file. */
  | 'ignore-range'
  /** Like a plain mirror: the whole file, but no length, size, hash or redirect, even for HEAD. */
  | 'no-length'
  /** HEAD is not allowed (405); GET works. */
  | 'no-head';

export interface Fault {
  /** The file's path in the repo, e.g. "onnx/model.onnx". */
  file: string;
  kind: FaultKind;
  /** How many requests for the file get the fault; every one when absent. */
  times?: number;
}

export interface HubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface HubServer {
  url: string;
  /** "GET /org/name/resolve/main/config.json", in order. */
  requests: string[];
  /** The same requests with their headers (Range, Authorization…). */
  log: HubRequest[];
  setFaults(faults: Fault[]): void;
  close(): Promise<void>;
}

export interface HubOptions {
  /** Pause between 64 KiB chunks, to play a slow line (downloads then take long enough to watch). */
  chunkDelayMs?: number;
  /** Listen here (say, where an earlier hub went down); any free port when absent. */
  port?: number;
  faults?: Fault[];
}

const PORTAL = '<!DOCTYPE html>\n<html><head><title>Sign in to the guest Wi-Fi</title></head><body>Accept the terms to continue.</body></html>\n';

/** `repos` maps "org/name" to a local folder in transformers.js layout. */
export async function startHub(repos: Record<string, string>, options: HubOptions = {}): Promise<HubServer> {
  const requests: string[] = [];
  const log: HubRequest[] = [];
  let faults = (options.faults ?? []).map((f) => ({ ...f }));
  const faultFor = (file: string, consume: boolean): FaultKind | undefined => {
    const fault = faults.find((f) => f.file === file && (f.times === undefined || f.times > 0));
    if (fault && consume && fault.times !== undefined) fault.times--;
    return fault?.kind;
  };

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    // What it was asked so far, for a test in another process (the extension host).
    if (path === '/__requests') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(requests));
    const method = req.method ?? 'GET';
    requests.push(`${method} ${path}`);
    log.push({ method, path, headers: req.headers });
    const cdn = /^\/cdn\/([^/]+\/[^/]+)\/(.+)$/.exec(path);
    const loop = /^\/loop\/([^/]+\/[^/]+)\/(.+)$/.exec(path);
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(path);
    const [, repo, file] = cdn ?? loop ?? resolve ?? [];
    const content = repo && file ? readRepoFile(repos[repo], file) : undefined;
    if (!repo || !file || !content) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
    if (loop) return void res.writeHead(302, { location: `/${repo}/resolve/main/${file}` }).end();

    const isGet = method === 'GET';
    if (!isGet && faultFor(file, false) === 'no-head') return void res.writeHead(405, { allow: 'GET' }).end();
    // HEAD sees only the faults that describe the whole file (gone, looping, a portal); a GET uses one up.
    const peeked = faultFor(file, false);
    const fault = isGet ? peeked : peeked === 'not-found' || peeked === 'redirect-loop' || peeked === 'html' || peeked === 'no-length' ? peeked : undefined;
    const atResolve = fault === 'not-found' || fault === 'redirect-loop' || fault === 'server-error';
    if (isGet && fault && (resolve ? atResolve || !isLarge(file) || fault === 'html' : !atResolve)) faultFor(file, true);
    if (resolve) {
      if (fault === 'not-found') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      if (fault === 'redirect-loop') return void res.writeHead(302, { location: `/loop/${repo}/${file}` }).end();
      if (fault === 'server-error') return void res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      if (isLarge(file) && fault !== 'html' && fault !== 'no-length') {
        // The hub's LFS answer: the real size and sha256 on the redirect to the CDN.
        res.writeHead(302, {
          location: `/cdn/${repo}/${file}`,
          'x-linked-size': String(content.length),
          'x-linked-etag': `"${sha256(content)}"`,
          etag: `"${sha256(content)}"`,
          'x-repo-commit': 'c0ffee',
        });
        return void res.end();
      }
    }
    serve(req.headers.range, isGet, content, atResolve ? undefined : fault, res, options.chunkDelayMs, isLarge(file));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    log,
    setFaults: (next) => {
      faults = next.map((f) => ({ ...f }));
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function serve(range: string | undefined, isGet: boolean, content: Buffer, fault: FaultKind | undefined, res: ServerResponse, delayMs: number | undefined, large: boolean): void {
  const tag = large ? sha256(content) : gitBlobSha1(content);
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', etag: `"${tag}"`, ...(large ? {} : { 'x-repo-commit': 'c0ffee' }) };
  if (fault === 'html') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(PORTAL.length) }).end(isGet ? PORTAL : undefined);
  if (fault === 'server-error') return void res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
  if (fault === 'not-found') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
  if (fault === 'no-length') {
    // Written by hand: Node's server would otherwise add chunked encoding.
    const socket = res.socket!;
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\nconnection: close\r\n\r\n');
    return void socket.end(isGet ? content : Buffer.alloc(0));
  }
  let body = content;
  let status = 200;
  const match = /^bytes=(\d+)-$/.exec(range ?? '');
  if (match && fault !== 'ignore-range' && Number(match[1]) < content.length) {
    const start = Number(match[1]);
    status = 206;
    body = content.subarray(start);
    headers['content-range'] = `bytes ${start}-${content.length - 1}/${content.length}`;
  }
  const half = body.subarray(0, Math.floor(body.length / 2));
  if (!isGet) return void res.writeHead(status, { ...headers, 'content-length': String(body.length) }).end();
  switch (fault) {
    case 'short-body':
      return void res.writeHead(status, { ...headers, 'content-length': String(half.length) }).end(half);
    case 'wrong-bytes': {
      const changed = Buffer.from(body);
      changed[changed.length >> 1] ^= 0xff;
      return void res.writeHead(status, { ...headers, 'content-length': String(changed.length) }).end(changed);
    }
    case 'no-length-early-close': {
      // Written by hand: Node's server would otherwise add chunked encoding.
      const socket = res.socket!;
      socket.write(`HTTP/1.1 ${status} OK\r\ncontent-type: application/octet-stream\r\nconnection: close\r\n\r\n`);
      return void socket.end(half);
    }
    case 'early-close':
      res.writeHead(status, { ...headers, 'content-length': String(body.length) });
      res.write(half, () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    case 'stall':
      res.writeHead(status, { ...headers, 'content-length': String(body.length) });
      res.write(body.subarray(0, 64 * 1024));
      return;
    default:
      res.writeHead(status, { ...headers, 'content-length': String(body.length) });
      if (delayMs) void sendSlowly(body, res, delayMs);
      else res.end(body);
  }
}

/** The hub keeps onnx weights in LFS (redirected to its CDN), everything else in git. */
function isLarge(file: string): boolean {
  return file.startsWith('onnx/');
}

function readRepoFile(folder: string | undefined, file: string): Buffer | undefined {
  if (!folder) return undefined;
  const path = join(folder, normalize(file));
  if (!path.startsWith(folder)) return undefined;
  try {
    return statSync(path).isFile() ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}

async function sendSlowly(body: Buffer, res: ServerResponse, delayMs: number): Promise<void> {
  for (let at = 0; at < body.length; at += 64 * 1024) {
    if (res.destroyed) return;
    res.write(body.subarray(at, at + 64 * 1024));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  res.end();
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function gitBlobSha1(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
