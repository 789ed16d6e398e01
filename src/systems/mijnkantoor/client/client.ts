/**
 * Typed Mijn Kantoor Public API client (fetch): Bearer token + X-Tenant, pagination through
 * `meta.pagination.links.next`, multipart uploads. Only the base URL differs between the simulator
 * and https://v2.api.mijnkantoorapp.nl.
 */
import type { z } from 'zod';
import { transientError } from '../../../domain/errors';
import { awaitCallSlot } from '../../../platform/call-budget';
import { MIJNKANTOOR } from '../identity';
import { mijnkantoorSystem } from '../system';
import { httpError, redact, type MkErrorContext } from './errors';
import {
  contactSchema,
  customerSchema,
  directorySchema,
  errorSchema,
  itemSchema,
  listOf,
  oneOf,
  pageOf,
  type MkContact,
  type MkCustomer,
  type MkDirectory,
  type MkItem,
} from './schemas';

export interface MijnKantoorClientOptions {
  /** Server root or `/v1` base. */
  baseUrl: string;
  token: string;
  tenant: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export interface CustomerInput {
  name: string;
  number: string;
  type: 'business' | 'person';
  kvk_number?: string | null;
  email?: string | null;
}

export interface UploadInput {
  customerId: string;
  directoryId: string;
  name: string;
  filename: string;
  mimeType: string;
  content: Buffer;
  year?: number;
  period?: string;
}

export interface MijnKantoorClient {
  listCustomers(): Promise<MkCustomer[]>;
  getCustomer(id: string): Promise<MkCustomer>;
  createCustomer(input: CustomerInput): Promise<MkCustomer>;
  updateCustomer(id: string, input: Partial<CustomerInput>): Promise<MkCustomer>;
  listContacts(customerId: string): Promise<MkContact[]>;
  createContact(input: { name: string; email?: string | null; function?: string; number?: string | null; customer_ids: string[] }): Promise<MkContact>;
  listDirectories(customerId?: string): Promise<MkDirectory[]>;
  searchItems(customerId: string, query?: string): Promise<MkItem[]>;
  upload(input: UploadInput): Promise<MkItem>;
  download(itemId: string): Promise<Buffer>;
}

const PAGE_LIMIT = 100;
/** A runaway `next` chain (a server bug) must not loop forever. */
const MAX_PAGES = 1_000;

export function createMijnKantoorClient(opts: MijnKantoorClientOptions): MijnKantoorClient {
  const base = /\/v1$/.test(opts.baseUrl.replace(/\/+$/, '')) ? opts.baseUrl.replace(/\/+$/, '') : `${opts.baseUrl.replace(/\/+$/, '')}/v1`;
  const fetchImpl = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const secrets = [opts.token];
  const headers = { authorization: `Bearer ${opts.token}`, 'x-tenant': opts.tenant, accept: 'application/json' };

  async function request(what: string, url: string, init: { method?: string; body?: FormData; json?: unknown } = {}): Promise<Response> {
    const ctx: MkErrorContext = { what, tenant: opts.tenant, secrets };
    // Every request waits for its slot in the account's budget (src/platform/call-budget.ts).
    await awaitCallSlot(mijnkantoorSystem, `${opts.tenant}|${opts.token}`);
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: init.method ?? 'GET',
        headers: init.json !== undefined ? { ...headers, 'content-type': 'application/json' } : headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
      const text = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs} ms` : err instanceof Error ? err.message : String(err);
      throw transientError(MIJNKANTOOR, redact(`Mijn Kantoor ${what}: ${text}`, secrets));
    }
    if (!res.ok) {
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        body = undefined;
      }
      const parsed = errorSchema.safeParse(body);
      throw httpError(res.status, parsed.success ? parsed.data.error : undefined, ctx, res.headers.get('retry-after'));
    }
    return res;
  }

  async function json<S extends z.ZodTypeAny>(what: string, url: string, schema: S, init?: Parameters<typeof request>[2]): Promise<z.output<S>> {
    const res = await request(what, url, init);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw transientError(MIJNKANTOOR, `Mijn Kantoor ${what}: answer is not valid JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw transientError(MIJNKANTOOR, `Mijn Kantoor ${what}: unexpected answer (${i.path.join('.')}: ${i.message})`);
    }
    return parsed.data;
  }

  /** Every page, following `meta.pagination.links.next` (absolute URLs, as the API gives them). */
  async function all<S extends z.ZodTypeAny>(what: string, first: string, item: S): Promise<z.output<S>[]> {
    const out: z.output<S>[] = [];
    let url: string | undefined = first;
    for (let i = 0; url && i < MAX_PAGES; i++) {
      const page: { data: z.output<S>[]; meta?: { pagination: { links: { next?: string } } } } = await json(what, url, pageOf(item));
      out.push(...page.data);
      url = page.meta?.pagination.links.next || undefined;
    }
    return out;
  }

  const q = (params: Record<string, string | number | undefined>) =>
    new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)] as [string, string])).toString();

  return {
    listCustomers: () => all('GET /customers', `${base}/customers?${q({ page: 1, limit: PAGE_LIMIT })}`, customerSchema),
    getCustomer: async (id) => (await json(`GET /customers/${id}`, `${base}/customers/${encodeURIComponent(id)}`, oneOf(customerSchema))).data,
    createCustomer: async (input) => (await json('POST /customers', `${base}/customers`, oneOf(customerSchema), { method: 'POST', json: input })).data,
    updateCustomer: async (id, input) =>
      (await json(`PUT /customers/${id}`, `${base}/customers/${encodeURIComponent(id)}`, oneOf(customerSchema), { method: 'PUT', json: input })).data,
    listContacts: (customerId) => all('GET /contacts', `${base}/contacts?${q({ customer_id: customerId, page: 1, limit: PAGE_LIMIT })}`, contactSchema),
    createContact: async (input) => (await json('POST /contacts', `${base}/contacts`, oneOf(contactSchema), { method: 'POST', json: input })).data,
    listDirectories: async (customerId) =>
      (
        await json(
          'GET /dossier_directories',
          customerId ? `${base}/customers/${encodeURIComponent(customerId)}/dossier_directories` : `${base}/dossier_directories`,
          listOf(directorySchema),
        )
      ).data,
    searchItems: (customerId, query) =>
      all('GET /search/dossier_items', `${base}/search/dossier_items?${q({ customer_id: customerId, query, page: 1, limit: PAGE_LIMIT, orderBy: 'created_at' })}`, itemSchema),
    async upload(input) {
      const form = new FormData();
      form.set('resource', new Blob([input.content], { type: input.mimeType }), input.filename);
      form.set('customer_id', input.customerId);
      form.set('dossier_directory_id', input.directoryId);
      form.set('name', input.name);
      if (input.year !== undefined) form.set('year', String(input.year));
      if (input.period !== undefined) form.set('period', input.period);
      // Synchronous processing, so a search right after finds the file (the import tool does the same).
      form.set('suppress_async', '1');
      return (await json('POST /dossier_items', `${base}/dossier_items`, oneOf(itemSchema), { method: 'POST', body: form })).data;
    },
    async download(itemId) {
      const res = await request(`GET /dossier_items/${itemId}/download`, `${base}/dossier_items/${encodeURIComponent(itemId)}/download`);
      return Buffer.from(await res.arrayBuffer());
    },
  };
}

