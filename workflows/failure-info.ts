/** Find the typed KoppelError behind a (child workflow / activity) failure chain. Workflow-safe. */
import { ApplicationFailure, TemporalFailure } from '@temporalio/workflow';
import type { CycleError } from './cycle';

export interface FailureInfo extends CycleError {
  details?: Record<string, unknown>;
}

export function koppelFailureInfo(err: unknown): FailureInfo | undefined {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 10; depth++) {
    if (cur instanceof ApplicationFailure && cur.type) {
      const d = (cur.details?.[0] ?? {}) as Partial<FailureInfo> & { details?: Record<string, unknown> };
      return {
        type: cur.type,
        system: d.system,
        code: d.code,
        oorzaak: d.oorzaak ?? cur.message,
        oplossing: d.oplossing ?? '',
        details: d.details,
      };
    }
    cur = cur instanceof TemporalFailure ? cur.cause : undefined;
  }
  return undefined;
}
