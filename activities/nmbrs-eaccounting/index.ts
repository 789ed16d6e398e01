/**
 * The Nmbrs → Visma eAccounting koppeling's activities (seed 002): scan on the Nmbrs queue, send
 * per run on the eAccounting queue. Credentials and tokens are read at call time; the workflow
 * only ever carries ids, hashes and counts.
 */
import type { ActivityDeps } from '../deps';
import { postRun } from './post-run';
import { probe } from './probe';
import { reader } from './reader';
import { scanRuns } from './scan';

export * from './contract';
export { createNmbrsEaccountingRuns } from './runs';

export function createNmbrsEaccountingActivities(deps: ActivityDeps) {
  const r = reader(deps);
  return { nmbrsEaScanRuns: scanRuns(r), nmbrsEaPostRun: postRun(deps, r), nmbrsEaProbe: probe(deps, r) };
}

export type NmbrsEaccountingActivities = ReturnType<typeof createNmbrsEaccountingActivities>;
