/**
 * `nmkReport`: the operator's view of one hour in the koppeling's log: what is waiting and why
 * (runs not locked, loonaangiftes outside the status filter) and each relation conflict, per
 * relation. The workflow hands over only short Dutch lines.
 */
import type { RelationConflict } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/matching';
import type { LogEntryInput } from '../../src/store/log';
import type { ActivityDeps } from '../deps';

export function report(deps: ActivityDeps) {
  return async function nmkReport(input: { tenantId: string; koppelingId: string; cycleNo: number; waiting: string[]; waitingTotal: number; conflicts: RelationConflict[] }): Promise<void> {
    const entries: LogEntryInput[] = input.conflicts.map((c) => ({
      level: 'warn' as const,
      code: 'RELATION_CONFLICT',
      message: `Relatie ${c.name} (nummer ${c.number}) niet gekoppeld: ${c.reason}`,
      details: { relation: c.relation, number: c.number },
      cycleNo: input.cycleNo,
    }));
    if (input.waitingTotal > 0) {
      entries.push({
        level: 'info',
        code: 'DOCUMENTS_WAITING',
        message: `${input.waitingTotal} document${input.waitingTotal === 1 ? '' : 'en'} wacht${input.waitingTotal === 1 ? '' : 'en'}: ${input.waiting.slice(0, 5).join(' ')}${input.waiting.length > 5 ? ' …' : ''}`,
        details: { reasons: input.waiting },
        cycleNo: input.cycleNo,
      });
    }
    await deps.log.write(input.tenantId, input.koppelingId, entries);
  };
}
