/** One zod schema per API body and query. */
import { z } from 'zod';
import { cadenceSchema } from '../domain/cadence';
import { KOPPELING_STATES } from '../store/types';

/** Paging: bounded integers, so e.g. offset=9223372036854775808 is a 400, not a store error. */
const MAX_OFFSET = 1_000_000;
const pageInt = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (max 64)');

export const tenantBody = z.object({ id, name: z.string().min(1).max(200) }).strict();
export const apiKeyBody = z.object({ label: z.string().min(1).max(100).default('api') }).strict();

export const createKoppelingBody = z
  .object({
    tenantId: id.optional(),
    type: z.string().min(1),
    name: z.string().min(1).max(200),
    settings: z.record(z.unknown()).default({}),
    cadence: cadenceSchema.optional(),
    mapping: z.record(z.string().min(1)).optional(),
    credentials: z.record(z.record(z.string())).default({}),
    /** Existing connections by system, instead of inline credentials. */
    connections: z.record(z.string().min(1)).default({}),
    start: z.boolean().default(true),
  })
  .strict();

export const updateKoppelingBody = z
  .object({ name: z.string().min(1).max(200).optional(), settings: z.record(z.unknown()).optional(), cadence: cadenceSchema.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, settings, cadence');

export const listKoppelingenQuery = z
  .object({
    tenantId: id.optional(),
    type: z.string().max(100).optional(),
    state: z.enum(KOPPELING_STATES).optional(),
    limit: pageInt(1, 200, 50),
    offset: pageInt(0, MAX_OFFSET, 0),
  })
  .strict();

export const reasonBody = z.object({ reason: z.string().max(500).optional() }).strict().default({});

export const credentialsBody = z.object({ system: z.string().min(1).max(64), credentials: z.record(z.string()) }).strict();

export const mappingBody = z.object({ mapping: z.record(z.string().min(1)) }).strict();

export const closePeriodBody = z
  .object({
    administration: z.string().min(1).max(100),
    year: z.number().int().min(2000).max(2100),
    period: z.number().int().min(1).max(13),
  })
  .strict();

export const logQuery = z
  .object({
    limit: pageInt(1, 500, 50),
    offset: pageInt(0, MAX_OFFSET, 0),
    level: z.enum(['info', 'warn', 'error']).optional(),
  })
  .strict();

export const codecBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string()).optional(), data: z.string().optional() })),
});

/** POST /jaarwerk: the CRM's bulk action. Relations are Mijn Kantoor customer ids or numbers, or "all". */
export const jaarwerkBody = z
  .object({
    tenantId: z.string().min(1).max(64).optional(),
    /** The CRM's own id of this request: the same id again is the same request. */
    requestId: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'letters, cijfers en . _ : -'),
    /** Needed only when the tenant has more than one Nmbrs ↔ Mijn Kantoor koppeling. */
    koppelingId: z.string().min(1).max(64).optional(),
    year: z.number().int().min(2000).max(2100),
    relations: z.union([
      z.literal('all'),
      z.array(z.union([z.string().trim().min(1).max(100), z.number().int().nonnegative().transform(String)])).min(1).max(5000),
    ]),
  })
  .strict();

export const jaarwerkQuery = z.object({ tenantId: z.string().min(1).max(64).optional() }).strict();

/** POST /webhooks/mijnkantoor/:id — INFERRED event shape: `{ event_id, event, data: { customer_id } }`. */
export const mijnkantoorWebhookBody = z
  .object({
    event_id: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'letters, cijfers en . _ : -'),
    event: z.enum(['customer.created', 'customer.updated']),
    data: z.object({ customer_id: z.string().trim().min(1).max(100) }).passthrough(),
  })
  .strict();
