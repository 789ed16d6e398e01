/** Export, step 1 (WerkbonApp queue): released, completed werkbonnen become staged invoice drafts. */
import { RELEASE_WORKSTATUS_CODE } from '../../src/systems/werkbonapp/client';
import { buildInvoiceDraft, indexHourTypes, type InvoiceDraft } from '../../src/koppelingen/eboekhouden-werkbonapp/domain/invoice';
import type { LogEntryInput } from '../../src/store/log';
import { alive } from '../support';
import type { CollectResult, WerkbonCycleRef } from './contract';
import { skipEntry, type WerkbonContext } from './context';
import { DRAFT } from './store';

/** WerkbonApp: the released, completed werkbonnen (status untouched) → invoice drafts, staged. */
export function collect(c: WerkbonContext) {
  const { db, load, werkbonapp, log } = c;
  return async function werkbonCollect(ref: WerkbonCycleRef): Promise<CollectResult> {
    return alive(async () => {
      const { k, settings } = await load(ref.koppelingId);
      const wa = await werkbonapp(k);
      const [orders, hourTypes, relations] = await Promise.all([
        wa.getWorkorders({ status: 'Compleet', workstatus: RELEASE_WORKSTATUS_CODE, updateStatus: false }),
        wa.getHourTypes(),
        settings.export.exporteerRelaties ? wa.getRelations() : Promise.resolve([]),
      ]);
      const hourIndex = indexHourTypes(hourTypes);
      const relationByDebtor = new Map(relations.map((r) => [r.debtorNumber.trim().toUpperCase(), r]));
      const drafts: InvoiceDraft[] = [];
      const skipped: LogEntryInput[] = [];
      for (const w of orders) {
        // The server filters already; a werkbon in another state must never be invoiced.
        if (w.status !== 'Compleet' || w.workStatus !== RELEASE_WORKSTATUS_CODE) continue;
        const r = buildInvoiceDraft(w, hourIndex, relationByDebtor.get(w.invoiceCustomer.debtorNr.trim().toUpperCase()));
        if (r.ok) drafts.push(r.draft);
        else skipped.push(skipEntry(w.workorderNo || w.id, w.id, r.problem));
      }
      await db.stage(ref.koppelingId, DRAFT, drafts.map((d) => ({ key: d.werkbonId, data: d, hash: d.hash })));
      await log(ref, skipped);
      return { ids: drafts.map((d) => d.werkbonId), skipped: skipped.length };
    });
  };
}
