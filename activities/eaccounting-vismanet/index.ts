/**
 * The eAccounting ↔ Visma.net koppeling's activities (seed 004). The scan reads eAccounting (its
 * queue), the push writes Visma.net (its queue), each reading credentials and tokens at call time;
 * the workflow only carries keys and counts.
 */
import type { ActivityDeps } from '../deps';
import type { EvCycleRef, EvPlan } from './contract';
import { evContext } from './context';
import { probe } from './probe';
import { push } from './push';
import { scan } from './scan';

export * from './contract';
export { createEvItems } from './items';

export function createEaccountingVismanetActivities(deps: ActivityDeps) {
  const c = evContext(deps);
  return {
    /** Which flows run this cycle, from the settings (store only). */
    async evPlan(ref: EvCycleRef): Promise<EvPlan> {
      const { settings } = await c.load(ref.koppelingId);
      return { ...settings.flows };
    },
    evScan: scan(c),
    evPush: push(c),
    evProbe: probe(deps),
  };
}

export type EaccountingVismanetActivities = ReturnType<typeof createEaccountingVismanetActivities>;
