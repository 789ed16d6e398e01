/**
 * The koppeling log (what a bookkeeper reads in MongoDB) mirrored into the structured log, so an
 * operator's log search finds "run 2026-09 overgeslagen" next to the worker's own lines. Inside an
 * activity it goes through the activity context logger, which adds the workflow and activity ids
 * (and, through src/platform/temporal-log.ts, tenantId / koppelingId / cycleNo); elsewhere the
 * root logger with those ids bound.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import type { LogEntryInput } from '../store/log';
import { childLogger } from './log';

const LEVEL = { info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;

export function mirrorKoppelingLog(tenantId: string, koppelingId: string, entries: LogEntryInput[]): void {
  const ctx = asyncLocalStorage.getStore();
  for (const e of entries) {
    const level = e.level ?? 'info';
    const fields = {
      tenantId,
      koppelingId,
      ...(e.cycleNo !== undefined ? { cycleNo: e.cycleNo } : {}),
      code: e.code,
      ...(e.counts ? { counts: e.counts } : {}),
    };
    if (ctx) ctx.log.log(LEVEL[level], e.message, fields);
    else childLogger({ component: 'koppeling-log' })[level](fields, e.message);
  }
}
