/**
 * Listen, URL and close, the same for every simulator: close() drops hanging (fault-injected) and
 * keep-alive sockets so it never waits on them, then saves the state file one last time.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { persistAfterRequests, type Persister } from './persist';

export interface Served {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serve(handler: RequestListener, opts: { port?: number; host?: string; persister?: Persister }): Promise<Served> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer(handler);
  if (opts.persister) persistAfterRequests(server, opts.persister);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          try {
            opts.persister?.close();
          } catch (saveErr) {
            return reject(saveErr);
          }
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
