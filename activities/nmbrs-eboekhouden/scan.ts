/**
 * `nmbrsEbScanRuns` (Nmbrs queue): lists the runs in range, fetches and hashes each journal,
 * compares with the ledger and stages the journals that need work in MongoDB, so the e-Boekhouden
 * activity never calls Nmbrs and no journal travels through workflow history.
 */
import { runKey, runLabel } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import { planRun } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-plan';
import { alive, heartbeat } from '../support';
import type { CycleIds, ScanResult } from './contract';
import { toEntry } from './ledger-entries';
import type { Reader } from './reader';

export function scanRuns(r: Reader) {
  return async function nmbrsEbScanRuns(input: CycleIds): Promise<ScanResult> {
    const l = await r.load(input.koppelingId);
    const result: ScanResult = { active: l.settings.active, runsSeen: 0, notLocked: 0, unchanged: 0, skippedBefore: 0, work: [] };
    if (!l.settings.active) return result;
    const client = await r.nmbrsClient(l);
    return alive(async () => {
      const runs = await r.runsInRange(client, l.settings);
      const ledger = await r.ledgerByRun(l.k._id);
      // Staging is per cycle: the previous cycle's journals are stale by now.
      await r.snapshots().deleteMany({ koppelingId: l.k._id });
      result.runsSeen = runs.length;
      for (const info of runs) {
        if (l.settings.lockedRunsOnly && !info.isLocked) {
          result.notLocked++;
          continue;
        }
        heartbeat({ runId: info.id });
        const x = await r.inspect(client, l.settings, info);
        const key = runKey(x.run);
        const state = ledger.get(key);
        if (state?.notSent.has(x.hash)) {
          result.skippedBefore++;
          continue;
        }
        const plan = planRun((state?.docs ?? []).map(toEntry), x.hash, x.txs.length);
        if (plan.kind === 'unchanged') {
          result.unchanged++;
          continue;
        }
        const _id = `${l.k._id}|${key}|${x.hash}`;
        await r.snapshots().replaceOne({ _id }, { koppelingId: l.k._id, runKey: key, hash: x.hash, run: x.run, txs: x.txs, createdAt: new Date() }, { upsert: true });
        result.work.push({ runKey: key, hash: x.hash, kind: plan.kind, label: runLabel(x.run) });
      }
      return result;
    });
  };
}
