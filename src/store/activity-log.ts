/**
 * The activity log (seed 004 "Volledig transparant"): per item what came from the source, what was
 * pushed to the target and the target's answer, filterable by flow, status and time. Unlike the
 * koppeling log (./log.ts, one line per cycle) it holds item data, so:
 * - every key that looks like a credential or token is redacted at any depth before storing,
 *   and remembered secret values and bearer tokens are scrubbed from strings;
 * - entries expire: `expiresAt` = time + the koppeling's retention (settings.activityRetentionDays,
 *   default 30 days) with a TTL index on it. `list` never returns an expired entry whatever the
 *   TTL monitor did, and `record` purges expired entries of the koppeling it writes for (at most
 *   once a minute per koppeling and process), so retention also holds on a server that does not
 *   run TTL indexes.
 */
import { randomBytes } from 'node:crypto';
import type { Filter } from 'mongodb';
import { scrubSecrets } from '../platform/log';
import type { Store } from './mongo';

export const ACTIVITY_STATUSES = ['ok', 'skipped', 'waiting', 'failed'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const DEFAULT_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 365;

export interface ActivityLogInput {
  tenantId: string;
  koppelingId: string;
  /** The koppeling's flow, e.g. products, customers, orders. */
  flow: string;
  /** The item's key in the source (article number, order id, e-mail). */
  itemKey: string;
  status: ActivityStatus;
  /** What came from the source. */
  source?: unknown;
  /** What was pushed to the target. */
  pushed?: unknown;
  /** The target's answer (id, Location, error body). */
  answer?: unknown;
  message?: string;
  cycleNo?: number;
  /** Default: now. */
  at?: Date;
}

export interface ActivityLogDoc {
  /** `<ISO time>-<seq>-<random>`: sorts by time, so it is also the paging cursor. */
  _id: string;
  tenantId: string;
  koppelingId: string;
  flow: string;
  itemKey: string;
  status: ActivityStatus;
  source?: unknown;
  pushed?: unknown;
  answer?: unknown;
  message?: string;
  cycleNo?: number;
  at: Date;
  expiresAt: Date;
}

export interface ActivityLogQuery {
  koppelingId: string;
  flow?: string;
  status?: ActivityStatus;
  itemKey?: string;
  from?: Date;
  to?: Date;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  limit: number;
}

export interface ActivityLogPage {
  items: Omit<ActivityLogDoc, 'expiresAt'>[];
  nextCursor: string | null;
}

// --- redaction ---------------------------------------------------------------------------------

export const REDACTED = '[verwijderd]';
/** Keys whose values are never stored: credentials, tokens, signatures, session ids. */
const SECRET_KEY =
  /pass(word|wd)?$|^pwd$|token|secret|securitycode|api[-_]?key|authori[sz]ation|bearer|cookie|credential|private[-_]?key|session[-_]?id|signature|client[-_]?assertion/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g;
const MAX_DEPTH = 8;
const MAX_STRING = 4_000;
const MAX_ARRAY = 500;

/** A copy safe to store: secrets out, MongoDB-unsafe keys renamed, sizes bounded. Never mutates. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    const s = scrubSecrets(value).replace(BEARER, `$1 ${REDACTED}`);
    return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value;
  if (typeof value !== 'object') return undefined;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, MAX_ARRAY).map((v) => redact(v, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // External answers may carry keys MongoDB refuses ("$type", "a.b").
    const key = k.replace(/^\$/, '_').replace(/\./g, '_') || '_';
    if (SECRET_KEY.test(k) && v !== null && v !== undefined && v !== '') out[key] = REDACTED;
    else {
      const r = redact(v, depth + 1);
      if (r !== undefined) out[key] = r;
    }
  }
  return out;
}

// --- the store ---------------------------------------------------------------------------------

const PURGE_EVERY_MS = 60_000;

export class ActivityLogStore {
  private seq = 0;
  private readonly lastPurge = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get col() {
    return this.store.c.activityLog;
  }

  /** Retention per koppeling from its settings (`activityRetentionDays`, 1–365), else 30 days. */
  async retentionDays(koppelingIds: string[]): Promise<Map<string, number>> {
    const docs = await this.store.c.koppelingen.find({ _id: { $in: koppelingIds } }, { projection: { settings: 1 } }).toArray();
    const out = new Map<string, number>(koppelingIds.map((id) => [id, DEFAULT_RETENTION_DAYS]));
    for (const d of docs) {
      const days = (d.settings as { activityRetentionDays?: unknown } | undefined)?.activityRetentionDays;
      if (typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= MAX_RETENTION_DAYS) out.set(d._id, days);
    }
    return out;
  }

  /** Bulk insert (one round trip). `retentionDays` overrides the koppeling's setting. */
  async record(entries: ActivityLogInput[], opts: { retentionDays?: number } = {}): Promise<void> {
    if (!entries.length) return;
    const ids = [...new Set(entries.map((e) => e.koppelingId))];
    const days = opts.retentionDays !== undefined ? new Map(ids.map((id) => [id, opts.retentionDays!])) : await this.retentionDays(ids);
    const now = this.now();
    const docs: ActivityLogDoc[] = entries.map((e) => {
      const at = e.at ?? now;
      const seq = (this.seq = (this.seq + 1) % 1_679_616); // 36^4
      const doc: ActivityLogDoc = {
        _id: `${at.toISOString()}-${seq.toString(36).padStart(4, '0')}-${randomBytes(4).toString('hex')}`,
        tenantId: e.tenantId,
        koppelingId: e.koppelingId,
        flow: e.flow,
        itemKey: String(redact(e.itemKey)),
        status: e.status,
        at,
        expiresAt: new Date(at.getTime() + (days.get(e.koppelingId) ?? DEFAULT_RETENTION_DAYS) * 86_400_000),
      };
      for (const k of ['source', 'pushed', 'answer'] as const) if (e[k] !== undefined) doc[k] = redact(e[k]);
      if (e.message !== undefined) doc.message = String(redact(e.message));
      if (e.cycleNo !== undefined) doc.cycleNo = e.cycleNo;
      return doc;
    });
    await this.col.insertMany(docs, { ordered: false });
    await Promise.all(ids.map((id) => this.purgeExpired(id)));
  }

  /** Delete a koppeling's expired entries (what the TTL index does, for servers that do not). */
  async purgeExpired(koppelingId: string, force = false): Promise<number> {
    const t = Date.now();
    if (!force && t - (this.lastPurge.get(koppelingId) ?? 0) < PURGE_EVERY_MS) return 0;
    this.lastPurge.set(koppelingId, t);
    const res = await this.col.deleteMany({ koppelingId, expiresAt: { $lte: this.now() } });
    return res.deletedCount;
  }

  /** Newest first; never an expired entry. */
  async list(q: ActivityLogQuery): Promise<ActivityLogPage> {
    const filter: Filter<ActivityLogDoc> = { koppelingId: q.koppelingId, expiresAt: { $gt: this.now() } };
    if (q.flow) filter.flow = q.flow;
    if (q.status) filter.status = q.status;
    if (q.itemKey) filter.itemKey = q.itemKey;
    if (q.from || q.to) filter.at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
    if (q.cursor) filter._id = { $lt: q.cursor };
    const docs = await this.col
      .find(filter, { projection: { expiresAt: 0 } })
      .sort({ _id: -1 })
      .limit(q.limit + 1)
      .toArray();
    const items = docs.slice(0, q.limit);
    return { items, nextCursor: docs.length > q.limit ? items[items.length - 1]._id : null };
  }
}
