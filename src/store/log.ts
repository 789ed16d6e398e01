/** The koppeling log: what a bookkeeper reads ("4 relations synchronized"), newest first. */
import { mirrorKoppelingLog } from '../platform/activity-log';
import type { Store } from './mongo';
import type { LogDoc, LogLevel } from './types';

export interface LogEntryInput {
  level?: LogLevel;
  code: string;
  message: string;
  counts?: Record<string, number>;
  details?: Record<string, unknown>;
  cycleNo?: number;
}

export class KoppelingLog {
  constructor(private readonly store: Store) {}

  async write(tenantId: string, koppelingId: string, entries: LogEntryInput[]): Promise<void> {
    if (!entries.length) return;
    const now = Date.now();
    // Strictly increasing timestamps keep the order of one batch when sorting by time.
    const docs: LogDoc[] = entries.map((e, i) => ({
      tenantId,
      koppelingId,
      at: new Date(now + i),
      level: e.level ?? 'info',
      code: e.code,
      message: e.message,
      ...(e.counts ? { counts: e.counts } : {}),
      ...(e.details ? { details: e.details } : {}),
      ...(e.cycleNo !== undefined ? { cycleNo: e.cycleNo } : {}),
    }));
    await this.store.c.log.insertMany(docs, { ordered: true });
    mirrorKoppelingLog(tenantId, koppelingId, entries);
  }

  async page(koppelingId: string, opts: { limit: number; offset: number; level?: LogLevel }) {
    const filter = { koppelingId, ...(opts.level ? { level: opts.level } : {}) };
    const [items, total] = await Promise.all([
      this.store.c.log.find(filter, { projection: { _id: 0 } }).sort({ at: -1 }).skip(opts.offset).limit(opts.limit).toArray(),
      this.store.c.log.countDocuments(filter),
    ]);
    return { items, total };
  }
}
