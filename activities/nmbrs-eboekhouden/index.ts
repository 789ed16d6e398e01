/**
 * The Nmbrs → e-Boekhouden koppeling's activities (seed 000): scan on the Nmbrs queue, post per run
 * on the e-Boekhouden queue. Credentials are read at call time; the workflow only ever carries ids,
 * hashes and counts.
 */
import type { ActivityDeps } from '../deps';
import { postRun } from './post-run';
import { probe } from './probe';
import { reader } from './reader';
import { scanRuns } from './scan';

export * from './contract';
export { createNmbrsEboekhoudenPreviews } from './previews';

export function createNmbrsEboekhoudenActivities(deps: ActivityDeps) {
  const r = reader(deps);
  return { nmbrsEbScanRuns: scanRuns(r), nmbrsEbPostRun: postRun(deps, r), nmbrsEbProbe: probe(deps) };
}

export type NmbrsEboekhoudenActivities = ReturnType<typeof createNmbrsEboekhoudenActivities>;
