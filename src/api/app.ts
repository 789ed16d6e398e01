/** The Express admin API: routes from src/api/routes, one auth check, one error shape. */
import express, { type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { requestErrorLogger, requestLogger } from '../platform/http-log';
import { authenticate, type Principal } from './auth';
import type { ApiContext } from './context';
import { errorAnswer, reasonChain } from './errors';
import { keyIssues } from './keys';
import { openApiDocument } from './openapi';
import { HttpError, zodIssues, type AnyRoute } from './route';
import { closePeriod } from './routes/periods';
import { codecDecode, codecEncode, codecUiDecode, codecUiEncode } from './routes/codec';
import { replaceCredentials } from './routes/credentials';
import { authorizeConnection, createConnection, getConnection, listConnections, updateConnection } from './routes/connections';
import { oauthCallback } from './routes/oauth';
import { healthz } from './routes/health';
import { createKoppeling, getKoppeling, listKoppelingen, updateKoppeling } from './routes/koppelingen';
import { pauseKoppeling, resumeKoppeling, startKoppeling, stopKoppeling, syncKoppeling } from './routes/actions';
import { mappingCheck, previewKoppeling, replaceMapping } from './routes/mapping';
import { listRuns, sendRun } from './routes/runs';
import { datamapperPreview, replayItem } from './routes/items';
import { readLedger, readLog } from './routes/log';
import { createTenant, issueTenantKey, listTenants } from './routes/tenants';
import { getJaarwerk, retryJaarwerk, startJaarwerk } from './routes/jaarwerk';
import { mijnkantoorWebhook } from './routes/webhooks';
import { readActivity } from './routes/activity';
import { deleteWebhook, getWebhook, listNotifications, putWebhook } from './routes/notifications';

export const ROUTES: AnyRoute[] = [
  healthz,
  createTenant,
  listTenants,
  issueTenantKey,
  createKoppeling,
  listKoppelingen,
  getKoppeling,
  updateKoppeling,
  startKoppeling,
  stopKoppeling,
  pauseKoppeling,
  resumeKoppeling,
  syncKoppeling,
  replaceCredentials,
  replaceMapping,
  mappingCheck,
  previewKoppeling,
  listRuns,
  sendRun,
  datamapperPreview,
  replayItem,
  closePeriod,
  readLog,
  readLedger,
  codecDecode,
  codecEncode,
  createConnection,
  listConnections,
  getConnection,
  updateConnection,
  authorizeConnection,
  oauthCallback,
  codecUiDecode,
  codecUiEncode,
  startJaarwerk,
  getJaarwerk,
  retryJaarwerk,
  mijnkantoorWebhook,
  readActivity,
  putWebhook,
  getWebhook,
  deleteWebhook,
  listNotifications,
];

const BODY_LIMIT = '2mb';

/** CORS for the Web UI's codec calls; the origin is configured (default: follows TEMPORAL_UI_PORT). */
function isCodecPath(path: string): boolean {
  return path === '/codec/decode' || path === '/codec/encode' || /^\/codec\/ui\/[^/]+\/(decode|encode)$/.test(path);
}

/** localhost and 127.0.0.1 name the same UI; a browser sends whichever the operator typed. */
export function allowedOrigins(configured: string): Set<string> {
  const out = new Set([configured]);
  try {
    const u = new URL(configured);
    if (u.hostname === 'localhost') out.add(`${u.protocol}//127.0.0.1${u.port ? `:${u.port}` : ''}`);
    if (u.hostname === '127.0.0.1') out.add(`${u.protocol}//localhost${u.port ? `:${u.port}` : ''}`);
  } catch {
    /* config validated it as a URL */
  }
  return out;
}

export function createApp(ctx: ApiContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const origins = allowedOrigins(ctx.config.KOPPELWERK_UI_ORIGIN);
  app.use(requestLogger());

  // CORS for the Temporal Web UI's codec calls (and their preflight). CORS only tells a browser
  // whether a page may read the answer; authorisation is the key or the UI token, never the Origin.
  app.use((req, res, next) => {
    if (!isCodecPath(req.path)) return next();
    const origin = req.header('origin');
    res.setHeader('Access-Control-Allow-Origin', origin && origins.has(origin) ? origin : ctx.config.KOPPELWERK_UI_ORIGIN);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'content-type, x-namespace, authorization, x-api-key');
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  });
  const json = express.json({ limit: BODY_LIMIT });
  // A malformed content-type header can make the parser throw synchronously; that is a 400 too.
  app.use((req, res, next) => {
    try {
      json(req, res, next);
    } catch (err) {
      next(new HttpError(400, 'Ongeldige content-type-header.', [{ field: 'content-type', reason: err instanceof Error ? err.message : String(err) }]));
    }
  });

  app.get('/openapi.json', (_req, res) => void res.json(openApiDocument(ROUTES)));

  for (const route of ROUTES) {
    app[route.method](route.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const principal = await principalFor(ctx, route, req);
        res.locals.principal = principal;
        let body: unknown;
        if (route.body) {
          const raw: unknown = req.body ?? {};
          // Keys of stored objects become MongoDB field names; codec payloads are never stored.
          const bad = keyIssues(raw, { mongo: route.tag !== 'codec' });
          if (bad.length) throw new HttpError(400, 'Ongeldige invoer', bad);
          body = parseOr400(route.body, raw, '');
        }
        const query = route.query ? parseOr400(route.query, { ...req.query }, 'query') : undefined;
        const result = await route.handler({ ctx, principal, params: req.params as Record<string, string>, body, query, req, res });
        if (!res.headersSent) res.json(result ?? {});
      } catch (err) {
        next(err);
      }
    });
  }

  app.use((_req, res) => void res.status(404).json({ error: 'Niet gevonden.' }));
  // Express 5 passes rejected promises here; four arguments mark it as the error handler.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const answer = errorAnswer(err);
    if (answer.unexpected) {
      // Method, route and error only: a request body may hold credentials, so it is never logged.
      const requestId = (res.locals.requestId as string | undefined) ?? randomUUID();
      answer.body.requestId = requestId;
      const e = err instanceof Error ? err : new Error(String(err));
      const fields = { requestId, method: req.method, route: req.route?.path ?? '(no route)', status: answer.status };
      // A busy or restarting dependency is expected weather (a worker crash, a locked store): one
      // line with the reason, not a stack per request; the client got 503 with Retry-After.
      if (answer.status === 503) requestErrorLogger(res).warn({ ...fields, reason: reasonChain(e) }, 'dependency busy, answered 503');
      else requestErrorLogger(res).error({ err: e, ...fields }, 'unexpected error');
    }
    if (res.headersSent) return void res.end();
    for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
    res.status(answer.status).json(answer.body);
  });
  return app;
}

function parseOr400(schema: NonNullable<AnyRoute["body"]>, value: unknown, prefix: string) {
  try {
    return schema.parse(value);
  } catch (err) {
    if (err instanceof ZodError) throw new HttpError(400, 'Ongeldige invoer', zodIssues(err, prefix));
    throw err;
  }
}

async function principalFor(ctx: ApiContext, route: AnyRoute, req: Request): Promise<Principal> {
  if (route.auth === 'public') return { kind: 'anonymous' };
  const principal = await authenticate(req, ctx.config.KOPPELWERK_OPERATOR_API_KEY, ctx.tenants);
  if (principal.kind === 'anonymous') throw new HttpError(401, 'API-sleutel ontbreekt (header x-api-key of Authorization: Bearer).');
  if (route.auth === 'operator' && principal.kind !== 'operator') throw new HttpError(403, 'Alleen voor de operator.');
  return principal;
}
