/**
 * For the benchmarks: a pass-through HTTP proxy in front of a simulator that counts and times every
 * request it forwards, per operation (how `opOf` names a request), so a bench can set the time the
 * external APIs took against its wall time.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TimingProxy {
  url: string;
  calls: number;
  busyMs: number;
  byEndpoint: Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

/** Method and path, ids (uuids) folded: a REST API's default operation name. */
export const restOperation = (req: IncomingMessage) => `${req.method} ${(req.url ?? '?').split('?')[0].replace(/\/[0-9a-f-]{36}/gi, '/{id}')}`;

/** The SOAPAction's operation, or else the REST name. */
export const soapOrRestOperation = (req: IncomingMessage) => String(req.headers.soapaction ?? '').replace(/"/g, '').split('/').pop() || restOperation(req);

export async function timingProxy(target: string, opOf: (req: IncomingMessage) => string = restOperation): Promise<TimingProxy> {
  const to = new URL(target);
  let stats = { calls: 0, busyMs: 0, byEndpoint: new Map<string, number>() };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const op = opOf(req);
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on('end', () => {
        stats.calls++;
        stats.busyMs += Number(process.hrtime.bigint() - started) / 1e6;
        stats.byEndpoint.set(op, (stats.byEndpoint.get(op) ?? 0) + 1);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get calls() {
      return stats.calls;
    },
    get busyMs() {
      return stats.busyMs;
    },
    get byEndpoint() {
      return stats.byEndpoint;
    },
    reset() {
      stats = { calls: 0, busyMs: 0, byEndpoint: new Map() };
    },
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
