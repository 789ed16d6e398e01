/** Activities of the koppeling runtime itself: cadence and the mirror of state in MongoDB. */
import { ApplicationFailure } from '@temporalio/common';
import { cadenceSchema, nextDueSpread, spreadOffsetMs, type Cadence } from '../src/domain/cadence';
import type { LogEntryInput } from '../src/store/log';
import type { KoppelingState } from '../src/store/types';
import type { ActivityDeps } from './deps';

export interface RecordStatusInput {
  tenantId: string;
  koppelingId: string;
  status: {
    state: KoppelingState;
    lastSyncAt?: string;
    lastOutcome?: string;
    lastSummary?: string;
    nextDueAt?: string;
    blockingReason?: string;
    missingCodes?: string[];
  };
  logEntry?: LogEntryInput;
}

/**
 * Pure; run as a local activity so the answer is recorded in history (tzdata-proof replay). A
 * cadence that cannot be planned fails the same way on every try, so it is not retried: the
 * workflow shows BLOCKED_CONFIG with the reason.
 */
export async function nextDueAt(cadence: Cadence, afterIso: string, spreadKey?: string): Promise<string> {
  const parsed = cadenceSchema.safeParse(cadence);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => [i.path.join('.'), i.message].filter(Boolean).join(': ')).join('; ');
    throw ApplicationFailure.create({ type: 'InvalidData', message: `ongeldige planning: ${reason}`, nonRetryable: true });
  }
  try {
    // Without a key (histories from before the spread): the nominal times.
    const offset = spreadKey ? spreadOffsetMs(parsed.data, spreadKey) : 0;
    return nextDueSpread(parsed.data, new Date(afterIso), offset).toISOString();
  } catch (err) {
    throw ApplicationFailure.create({ type: 'InvalidData', message: err instanceof Error ? err.message : String(err), nonRetryable: true });
  }
}

export function createRuntimeActivities(deps: ActivityDeps) {
  return {
    nextDueAt,
    async recordStatus(input: RecordStatusInput): Promise<void> {
      const s = input.status;
      await deps.koppelingen.setStatus(input.koppelingId, {
        state: s.state,
        lastSyncAt: s.lastSyncAt ? new Date(s.lastSyncAt) : undefined,
        lastOutcome: s.lastOutcome,
        lastSummary: s.lastSummary,
        nextDueAt: s.nextDueAt ? new Date(s.nextDueAt) : undefined,
        blockingReason: s.blockingReason,
        missingCodes: s.missingCodes,
      });
      if (input.logEntry) {
        await deps.log.write(input.tenantId, input.koppelingId, [input.logEntry]);
        await connectionHealth(deps, input.koppelingId, input.logEntry);
      }
    },
  };
}

export type RuntimeActivities = ReturnType<typeof createRuntimeActivities>;

/**
 * A cycle's outcome tells the connection's health: credentials refused (ReauthRequired, not a
 * missing right) → unauthorised with the reason; the first good cycle after a reauthorisation →
 * authorised again. Only on those two outcomes, so an ordinary cycle costs no extra store call.
 */
async function connectionHealth(deps: ActivityDeps, koppelingId: string, entry: LogEntryInput): Promise<void> {
  const details = (entry.details ?? {}) as { trigger?: string; error?: { type?: string; system?: string; oorzaak?: string; oplossing?: string } };
  if (entry.code === 'CYCLE_WAITING_REAUTH' && details.error?.type === 'ReauthRequired' && details.error.system) {
    await deps.credentials.markRefused(koppelingId, details.error.system, `${details.error.oorzaak ?? ''} ${details.error.oplossing ?? ''}`.trim());
  } else if ((entry.code === 'CYCLE_OK' || entry.code === 'CYCLE_PARTIAL') && details.trigger === 'reauthorized') {
    for (const system of await deps.credentials.systems(koppelingId)) await deps.credentials.markWorking(koppelingId, system);
  }
}
