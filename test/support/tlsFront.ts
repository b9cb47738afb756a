// HTTPS in front of a local HTTP server, with a certificate made for a name (hub.test) by openssl:
// the hub as a client meets it, over TLS, reachable only through a proxy that knows the name.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';

export interface TlsFront {
  port: number;
  /** The certificate, for NODE_EXTRA_CA_CERTS. */
  certFile: string;
  close(): Promise<void>;
}

export async function startTlsFront(name: string, backendPort: number): Promise<TlsFront> {
  const dir = mkdtempSync(join(tmpdir(), 'inkling-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`], { stdio: 'ignore' });
  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (socket) => {
    const backend = connect(backendPort, '127.0.0.1');
    sockets.add(socket).add(backend);
    socket.pipe(backend).pipe(socket);
    socket.on('error', () => backend.destroy());
    backend.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    certFile,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      });
    }),
  };
}
