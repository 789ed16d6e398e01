/**
 * The admin API's request log: one line per request when the response is finished, with method,
 * route pattern (`/koppelingen/:id/sync`, never the raw URL: no ids of other systems, no query
 * string), status, duration, who called (operator / tenant id) and a request id (echoed in the
 * `x-request-id` response header). Never headers, bodies or query strings.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { childLogger, type Logger } from './log';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Set by the route runner once the API key is checked: who is calling. */
export type RequestPrincipal = { kind: 'operator' } | { kind: 'tenant'; tenantId: string } | { kind: 'anonymous' };

export function requestLogger() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const incoming = req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    res.once('finish', () => {
      const durationMs = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      const principal = res.locals.principal as RequestPrincipal | undefined;
      const route = routePattern(req);
      const fields = {
        requestId,
        method: req.method,
        route,
        status: res.statusCode,
        durationMs,
        principal: principal?.kind ?? 'anonymous',
        ...(principal?.kind === 'tenant' ? { tenantId: principal.tenantId } : {}),
        ...(typeof req.params?.id === 'string' && route.includes('/koppelingen/:id') ? { koppelingId: req.params.id } : {}),
      };
      const log = childLogger({ component: 'api' });
      // 4xx answers are the API doing its job (bad input, no key): info, like any other request.
      // 503 is a busy dependency the client may retry (Retry-After): a warning, not an error.
      if (res.statusCode === 503) log.warn(fields, 'request');
      else if (res.statusCode >= 500) log.error(fields, 'request');
      else log.info(fields, 'request');
    });
    next();
  };
}

/** The Express route pattern that matched, or a placeholder: never the raw path. */
function routePattern(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${req.baseUrl}${path}`;
  return '(unmatched)';
}

/** The logger for an unexpected error in a request: the stack goes to the log, never to the caller. */
export function requestErrorLogger(res: Response): Logger {
  return childLogger({ component: 'api', requestId: res.locals.requestId as string | undefined });
}
