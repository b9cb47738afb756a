// An HTTP CONNECT proxy on 127.0.0.1 that tunnels every host to one local port (so names that do not
// resolve, like hub.test, reach a test server), or refuses with a status; it records what it was asked.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyServer {
  url: string;
  /** "hub.test:443", one per CONNECT. */
  connects: string[];
  close(): Promise<void>;
}

export async function startProxy(options: { tunnelTo?: number; refuseWith?: number }): Promise<ProxyServer> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket) => {
    connects.push(req.url ?? '');
    sockets.add(client);
    if (options.refuseWith || !options.tunnelTo) {
      client.end(`HTTP/1.1 ${options.refuseWith ?? 502} Refused\r\n\r\n`);
      return;
    }
    const upstream = connect(options.tunnelTo, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
