/** The Express admin API: routes from src/api/routes, one auth check, one error shape. */
import express, { type NextFunction, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { isLoopbackAddress } from '../domain/loopback';
import { requestErrorLogger, requestLogger } from '../platform/http-log';
import { ServiceError } from '../services/koppelingen';
import { authenticate, type Principal } from './auth';
import type { ApiContext } from './context';
import { openApiDocument } from './openapi';
import { HttpError, zodIssues, type AnyRoute } from './route';
import { closePeriod } from './routes/periods';
import { codecDecode, codecEncode } from './routes/codec';
import { replaceCredentials } from './routes/credentials';
import { healthz } from './routes/health';
import { createKoppeling, getKoppeling, listKoppelingen, updateKoppeling } from './routes/koppelingen';
import { pauseKoppeling, resumeKoppeling, startKoppeling, stopKoppeling, syncKoppeling } from './routes/actions';
import { mappingCheck, previewKoppeling, replaceMapping } from './routes/mapping';
import { readLedger, readLog } from './routes/log';
import { createTenant, issueTenantKey, listTenants } from './routes/tenants';

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
  closePeriod,
  readLog,
  readLedger,
  codecDecode,
  codecEncode,
];

const CODEC_PATHS = new Set(['/codec/decode', '/codec/encode']);

export function createApp(ctx: ApiContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger());

  // CORS for the Temporal Web UI's codec calls (and their preflight).
  app.use((req, res, next) => {
    if (!CODEC_PATHS.has(req.path)) return next();
    res.setHeader('Access-Control-Allow-Origin', ctx.config.KOPPELWERK_UI_ORIGIN);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'content-type, x-namespace, authorization, x-api-key');
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  });
  app.use(express.json({ limit: '2mb' }));

  app.get('/openapi.json', (_req, res) => void res.json(openApiDocument(ROUTES)));

  for (const route of ROUTES) {
    app[route.method](route.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const principal = await principalFor(ctx, route, req);
        res.locals.principal = principal;
        const body = route.body ? parseOr400(route.body, req.body ?? {}, '') : undefined;
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
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) return void res.status(err.status).json({ error: err.message, ...(err.issues ? { issues: err.issues } : {}) });
    if (err instanceof ServiceError) return void res.status(err.status).json({ error: err.message });
    if (err instanceof SyntaxError && 'body' in err) {
      return void res.status(400).json({ error: 'Ongeldige JSON', issues: [{ field: '(body)', reason: err.message }] });
    }
    requestErrorLogger(res).error({ err }, 'unexpected error');
    res.status(500).json({ error: 'Interne fout; zie de serverlog.' });
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
  if (principal.kind === 'anonymous') {
    if (CODEC_PATHS.has(route.path) && ctx.config.KOPPELWERK_CODEC_TRUST_LOCAL_UI && isLocalUi(ctx, req)) return { kind: 'operator' };
    throw new HttpError(401, 'API-sleutel ontbreekt (header x-api-key of Authorization: Bearer).');
  }
  if (route.auth === 'operator' && principal.kind !== 'operator') throw new HttpError(403, 'Alleen voor de operator.');
  return principal;
}

function isLocalUi(ctx: ApiContext, req: Request): boolean {
  return isLoopbackAddress(req.socket.remoteAddress) && req.header('origin') === ctx.config.KOPPELWERK_UI_ORIGIN;
}
