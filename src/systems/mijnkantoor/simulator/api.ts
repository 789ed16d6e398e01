/**
 * The Public API under `/v1` (contract market.md §1.2): Bearer token + X-Tenant, customers,
 * contacts, the dossier directory tree with its leaf rule, multipart uploads, search with
 * `meta.pagination.links.next`, downloads. Shapes the contract leaves open are in inferred.ts.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  DEFAULT_CONTACT_FUNCTION,
  DEFAULT_PAGE_SIZE,
  errorBody,
  matchesQuery,
  MAX_PAGE_SIZE,
  normalizeNumber,
  NOT_LEAF_MESSAGE,
  paginationMeta,
  VALIDATION_STATUS,
} from './inferred';
import { ValidationError, type Customer, type DossierItem, type MijnKantoorState, type TenantData } from './state';

type TenantRequest = Request & { mkTenant?: TenantData };

const addressSchema = z
  .object({ street: z.string().optional(), house_number: z.string().optional(), postal_code: z.string().optional(), city: z.string().optional(), country: z.string().optional() })
  .nullable()
  .optional();
const customerCreate = z.object({
  name: z.string().min(1),
  number: z.union([z.string(), z.number()]).transform(String),
  type: z.enum(['business', 'person']).default('business'),
  kvk_number: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  address: addressSchema,
});
const customerUpdate = customerCreate.partial();
const contactCreate = z.object({
  name: z.string().min(1),
  email: z.string().nullable().optional(),
  function: z.string().default(DEFAULT_CONTACT_FUNCTION),
  number: z.union([z.string(), z.number()]).transform(String).nullable().optional(),
  customer_ids: z.array(z.string()).default([]),
});
const itemFields = z.object({
  customer_id: z.string().min(1),
  dossier_directory_id: z.string().min(1),
  name: z.string().min(1),
  year: z.coerce.number().int().min(1900).max(2200).optional(),
  period: z.string().max(20).optional(),
  suppress_async: z.string().optional(),
});

function zodErrors(err: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of err.issues) (out[i.path.join('.') || 'body'] ??= []).push(i.message);
  return out;
}

const customerView = (c: Customer) => c;
const itemView = ({ content: _content, ...rest }: DossierItem) => rest;

export function apiRouter(state: MijnKantoorState): express.Router {
  const r = express.Router();
  const json = express.json({ limit: '1mb' });

  // Bearer + X-Tenant: an unknown token is 401, a token for another tenant 403 (the import tool
  // treats both as "update the access token").
  r.use('/v1', (req: TenantRequest, res: Response, next: NextFunction) => {
    const auth = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const tenantOfToken = m ? state.tenantOfToken(m[1]) : undefined;
    if (!tenantOfToken) {
      res.status(401).json(errorBody('unauthenticated', 'Unauthenticated.'));
      return;
    }
    const tenant = req.get('x-tenant');
    if (!tenant) {
      res.status(403).json(errorBody('tenant_missing', 'X-Tenant header ontbreekt.'));
      return;
    }
    const t = state.tenant(tenant);
    if (!t || tenant !== tenantOfToken) {
      res.status(403).json(errorBody('forbidden', `Geen toegang tot tenant ${tenant}.`));
      return;
    }
    req.mkTenant = t;
    next();
  });

  const page = (req: Request) => {
    const p = Math.max(1, Number(req.query.page ?? 1) || 1);
    const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(req.query.limit ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE));
    return { p, limit };
  };
  const paged = <T>(req: Request, all: T[], view: (x: T) => unknown) => {
    const { p, limit } = page(req);
    const slice = all.slice((p - 1) * limit, p * limit);
    const base = `${req.protocol}://${req.get('host')}${req.baseUrl}${req.path}`;
    const pageUrl = (n: number) => {
      const q = new URLSearchParams(req.query as Record<string, string>);
      q.set('page', String(n));
      q.set('limit', String(limit));
      return `${base}?${q.toString()}`;
    };
    return { data: slice.map(view), meta: paginationMeta(all.length, slice.length, limit, p, pageUrl) };
  };
  const tenant = (req: Request) => (req as TenantRequest).mkTenant!;
  const customerOr404 = (req: Request, res: Response): Customer | undefined => {
    const c = tenant(req).customers.find((x) => x.id === req.params.id);
    if (!c) res.status(404).json(errorBody('not_found', `Relatie ${String(req.params.id)} bestaat niet.`));
    return c;
  };
  const invalid = (res: Response, errors: Record<string, string[]>, message = 'De gegeven data is ongeldig.') =>
    res.status(VALIDATION_STATUS).json(errorBody('validation_failed', message, errors));

  // -------------------------------------------------------------- customers
  r.get('/v1/customers', (req, res) => {
    let list = tenant(req).customers;
    if (typeof req.query.number === 'string') list = list.filter((c) => normalizeNumber(c.number) === normalizeNumber(req.query.number as string));
    if (typeof req.query.query === 'string') list = list.filter((c) => matchesQuery(c.name, req.query.query as string));
    if (req.query.all === '1') {
      res.json({ data: list.map(customerView), meta: paginationMeta(list.length, list.length, Math.max(1, list.length), 1, () => '') });
      return;
    }
    res.json(paged(req, list, customerView));
  });
  r.get('/v1/customers/:id', (req, res) => {
    const c = customerOr404(req, res);
    if (c) res.json({ data: customerView(c) });
  });
  r.post('/v1/customers', json, (req, res) => {
    const p = customerCreate.safeParse(req.body ?? {});
    if (!p.success) return void invalid(res, zodErrors(p.error));
    try {
      const c = state.addCustomer(tenant(req), { ...p.data, kvk_number: p.data.kvk_number ?? null, email: p.data.email ?? null, address: p.data.address ?? null });
      res.status(201).json({ data: customerView(c) });
    } catch (err) {
      if (err instanceof ValidationError) return void invalid(res, err.errors, err.message);
      throw err;
    }
  });
  r.put('/v1/customers/:id', json, (req, res) => {
    const c = customerOr404(req, res);
    if (!c) return;
    const p = customerUpdate.safeParse(req.body ?? {});
    if (!p.success) return void invalid(res, zodErrors(p.error));
    try {
      res.json({ data: customerView(state.updateCustomer(tenant(req), c, p.data as Partial<Customer>)) });
    } catch (err) {
      if (err instanceof ValidationError) return void invalid(res, err.errors, err.message);
      throw err;
    }
  });

  // -------------------------------------------------------------- contacts (shape INFERRED)
  r.get('/v1/contacts', (req, res) => {
    let list = tenant(req).contacts;
    if (typeof req.query.customer_id === 'string') list = list.filter((c) => c.customer_ids.includes(req.query.customer_id as string));
    res.json(paged(req, list, (c) => c));
  });
  r.post('/v1/contacts', json, (req, res) => {
    const p = contactCreate.safeParse(req.body ?? {});
    if (!p.success) return void invalid(res, zodErrors(p.error));
    const t = tenant(req);
    const unknown = p.data.customer_ids.filter((id) => !t.customers.some((c) => c.id === id));
    if (unknown.length) return void invalid(res, { customer_ids: [`Onbekende relatie(s): ${unknown.join(', ')}`] });
    res.status(201).json({ data: state.addContact(t, { ...p.data, email: p.data.email ?? null, number: p.data.number ?? null }) });
  });

  // -------------------------------------------------------------- dossier directories
  const dirView = (t: TenantData) => (d: TenantData['directories'][number]) => ({ ...d, is_leaf: state.isLeaf(t, d.id) });
  r.get('/v1/dossier_directories', (req, res) => {
    const t = tenant(req);
    res.json({ data: t.directories.filter((d) => d.customer_id === null).map(dirView(t)) });
  });
  r.get('/v1/customers/:id/dossier_directories', (req, res) => {
    const c = customerOr404(req, res);
    if (!c) return;
    const t = tenant(req);
    res.json({ data: state.directoriesOf(t, c.id).map(dirView(t)) });
  });

  // -------------------------------------------------------------- dossier items
  r.post('/v1/dossier_items', express.raw({ type: () => true, limit: '50mb' }), async (req, res) => {
    const ct = req.get('content-type') ?? '';
    if (!ct.toLowerCase().startsWith('multipart/form-data')) {
      return void invalid(res, { resource: ['Verstuur het bestand als multipart/form-data.'] });
    }
    let form: FormData;
    try {
      // Node's own multipart parser (undici), so the simulator needs no upload library; it buffers
      // the whole body, which is fine for a local simulator (the lint rule warns about servers at scale).
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      form = await new Response(req.body as Buffer, { headers: { 'content-type': ct } }).formData();
    } catch {
      return void invalid(res, { resource: ['Het multipart-bericht kon niet worden gelezen.'] });
    }
    const file = form.get('resource');
    const fields = itemFields.safeParse(Object.fromEntries([...form.entries()].filter(([k, v]) => k !== 'resource' && typeof v === 'string')));
    const errors: Record<string, string[]> = fields.success ? {} : zodErrors(fields.error);
    if (!file || typeof file === 'string') errors.resource = ['Bestand (resource) is verplicht.'];
    if (!fields.success || errors.resource) return void invalid(res, errors);
    const t = tenant(req);
    const f = fields.data;
    const customer = t.customers.find((c) => c.id === f.customer_id);
    if (!customer) return void invalid(res, { customer_id: [`Relatie ${f.customer_id} bestaat niet.`] });
    const dir = state.directoriesOf(t, customer.id).find((d) => d.id === f.dossier_directory_id);
    if (!dir) return void invalid(res, { dossier_directory_id: [`Map ${f.dossier_directory_id} bestaat niet.`] });
    if (!state.isLeaf(t, dir.id)) return void invalid(res, { dossier_directory_id: [NOT_LEAF_MESSAGE(dir.name)] }, NOT_LEAF_MESSAGE(dir.name));
    const blob = file as File;
    const item = state.addItem(t, {
      customer_id: customer.id,
      dossier_directory_id: dir.id,
      name: f.name,
      original_filename: blob.name || f.name,
      mime_type: blob.type || 'application/octet-stream',
      year: f.year ?? null,
      period: f.period ?? null,
      content: Buffer.from(await blob.arrayBuffer()),
    });
    res.status(201).json({ data: itemView(item) });
  });
  r.get('/v1/search/dossier_items', (req, res) => {
    const t = tenant(req);
    const customerId = typeof req.query.customer_id === 'string' ? req.query.customer_id : undefined;
    const query = typeof req.query.query === 'string' ? req.query.query : undefined;
    const list = t.items
      .filter((i) => !customerId || i.customer_id === customerId)
      .filter((i) => matchesQuery(i.name, query))
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id.localeCompare(b.id)));
    res.json(paged(req, list, itemView));
  });
  r.get('/v1/dossier_items/:id/download', (req, res) => {
    const item = tenant(req).items.find((i) => i.id === req.params.id);
    if (!item) return void res.status(404).json(errorBody('not_found', `Document ${String(req.params.id)} bestaat niet.`));
    res
      .status(200)
      .type(item.mime_type)
      .set('content-disposition', `attachment; filename="${item.original_filename.replace(/"/g, '')}"`)
      .send(Buffer.from(item.content, 'base64'));
  });

  r.use('/v1', (req, res) => {
    res.status(404).json(errorBody('not_found', `Onbekend endpoint ${req.method} ${req.baseUrl}${req.path}`));
  });
  return r;
}

/** `GET /customers/cus_1/dossier_directories` → `GET /customers/:id/dossier_directories`, for call counts. */
export function endpointOf(method: string, path: string): string | undefined {
  if (!path.startsWith('/v1/')) return undefined;
  return `${method} ${path.replace(/^\/v1/, '').replace(/\/(cus|dir|doc|con)_[0-9a-z]+/g, '/:id')}`;
}
