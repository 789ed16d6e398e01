/**
 * Entry point of the e-Boekhouden connector: `withSession` opens ONE session, runs the work and
 * always closes the session again. The same code talks to the real API or the simulator; only
 * `baseUrl` differs.
 */
import { EboekhoudenSession } from './session';
import { createTransport } from './transport';
import type { EboekhoudenClientOptions } from './types';

export const DEFAULT_SOURCE = 'Koppelwerk';
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface EboekhoudenClient {
  withSession<T>(fn: (session: EboekhoudenSession) => Promise<T>): Promise<T>;
}

export function createEboekhoudenClient(opts: EboekhoudenClientOptions): EboekhoudenClient {
  const secrets = [opts.credentials.securityCode1, opts.credentials.securityCode2];
  const transport = createTransport(opts.baseUrl, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, secrets, opts.credentials.username);
  return {
    async withSession(fn) {
      const session = new EboekhoudenSession({
        transport,
        credentials: opts.credentials,
        source: opts.source ?? DEFAULT_SOURCE,
        administratieGuid: opts.administratieGuid,
        today: () => new Date().toISOString().slice(0, 10),
      });
      await session.open();
      try {
        return await fn(session);
      } finally {
        await session.close();
      }
    },
  };
}
