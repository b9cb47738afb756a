// A stand-in for the model hub on 127.0.0.1: serves model folders at the URLs transformers.js asks
// for ({host}/{org}/{name}/resolve/{revision}/{file}) and records every request.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface HubServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export interface HubOptions {
  /** Pause between 64 KiB chunks, to play a slow line (downloads then take long enough to watch). */
  chunkDelayMs?: number;
  /** Listen here (say, where an earlier hub went down); any free port when absent. */
  port?: number;
}

/** `repos` maps "org/name" to a local folder in transformers.js layout. */
export async function startHub(repos: Record<string, string>, options: HubOptions = {}): Promise<HubServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(`${req.method} ${path}`);
    const match = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(path);
    const folder = match ? repos[match[1]] : undefined;
    const file = folder && match ? join(folder, normalize(match[2])) : undefined;
    let size = -1;
    try {
      if (file && statSync(file).isFile()) size = statSync(file).size;
    } catch {
      size = -1;
    }
    if (!file || size < 0) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    res.writeHead(200, { 'content-length': String(size), 'content-type': 'application/octet-stream' });
    if (req.method === 'HEAD') res.end();
    else if (options.chunkDelayMs) void sendSlowly(file, res, options.chunkDelayMs);
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function sendSlowly(file: string, res: ServerResponse, delayMs: number): Promise<void> {
  for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
    if (res.destroyed) return;
    res.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  res.end();
}

/** A port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
