/**
 * The e-Boekhouden ↔ WerkbonApp koppeling's activities (seed 003). Each talks to ONE external
 * system (its task queue is that system's), reads the credentials at call time, and writes the
 * ledger and the user's log itself. The ledger's at-most-once protocol (postOnce) guards the writes
 * that are NOT idempotent: invoices and new relaties in e-Boekhouden.
 */
import type { ActivityDeps } from '../deps';
import { pushCatalog, readCatalog } from './catalog';
import { collect } from './collect';
import type { WerkbonCycleRef, WerkbonPlan } from './contract';
import { werkbonContext } from './context';
import { exportInvoices } from './invoices';
import { markAfgehandeld } from './mark';
import { probe } from './probe';
import { exportRelaties } from './relaties';

export * from './contract';

export function createWerkbonAppActivities(deps: ActivityDeps) {
  const c = werkbonContext(deps);
  return {
    /** What this cycle has to do, from the settings (store only). */
    async werkbonPlan(ref: WerkbonCycleRef): Promise<WerkbonPlan> {
      const { settings } = await c.load(ref.koppelingId);
      return { import: { ...settings.import }, factuur: settings.export.factuur, exporteerRelaties: settings.export.exporteerRelaties };
    },
    werkbonReadCatalog: readCatalog(c),
    werkbonPushCatalog: pushCatalog(c),
    werkbonCollect: collect(c),
    werkbonExportRelaties: exportRelaties(c),
    werkbonExportInvoices: exportInvoices(c),
    werkbonMarkAfgehandeld: markAfgehandeld(c),
    werkbonProbe: probe(deps),
  };
}

export type WerkbonAppActivities = ReturnType<typeof createWerkbonAppActivities>;
