/**
 * Assembles the simulator: loopback guard and control routes first, then call counting, then
 * fault injection, then the Open API. Unknown paths and crashes still answer with the envelope.
 */
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import type { FaultInjector } from '../../simulator-support/faults';
import { apiRouter, endpointOf } from './api';
import { controlRouter, loopbackOnly } from './control';
import { MESSAGES, WBA, sendEnvelope } from './envelope';
import type { WerkbonAppState } from './state';

/** What a broken answer looks like: the fault injector sends the first half of it. */
const MALFORMED_SAMPLE = JSON.stringify({
  code: 200,
  messages: [],
  response: [{ name: 'Naam B.V.', debtor_number: '14233Aaa', street: 'Beatrixlaan', postal_code: '1234AB', city: 'Utrecht' }],
});

export function createWerkbonAppApp(state: WerkbonAppState, faults: FaultInjector): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use('/_control', loopbackOnly);
  app.use(faults.routes());
  app.use(controlRouter(state));
  // Counted before faults, so benchmarks see every attempt, including the ones that failed.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const endpoint = endpointOf(req.path);
    if (endpoint) state.countCall(`${req.method} ${endpoint}`);
    next();
  });
  app.use(faults.middleware(MALFORMED_SAMPLE, 'application/json; charset=utf-8'));
  app.use(apiRouter(state));
  app.use((req: Request, res: Response) => {
    if (req.path.startsWith('/_control')) {
      res.status(404).json({ error: 'unknown control route' });
      return;
    }
    sendEnvelope(res, WBA.NO_ENDPOINT, [MESSAGES.noEndpoint]);
  });
  // Express needs the four-argument signature to recognise an error handler.
  app.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendEnvelope(res, WBA.UNCAUGHT, [MESSAGES.uncaught]);
  });
  return app;
}
