/**
 * `nmbrsEaScanRuns` (Nmbrs queue): lists the runs in range, fetches and hashes each processed
 * run's journal, compares with the ledger and stages the journals that need sending in MongoDB,
 * so the eAccounting activity never calls Nmbrs and no journal travels through workflow history.
 */
import { runKey, runLabel } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import { planRun } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-plan';
import { alive, heartbeat } from '../support';
import type { CycleIds, ScanResult } from './contract';
import { toEntry } from './ledger-entries';
import type { Reader } from './reader';

export function scanRuns(r: Reader) {
  return async function nmbrsEaScanRuns(input: CycleIds): Promise<ScanResult> {
    const l = await r.load(input.koppelingId);
    const result: ScanResult = { active: l.settings.active, runsSeen: 0, notLocked: 0, unchanged: 0, lockedBefore: 0, waitingForManualSend: 0, work: [] };
    if (!l.settings.active) return result;
    const client = await r.nmbrsClient(l);
    return alive(async () => {
      const runs = await r.runsInRange(client, l.settings);
      const ledger = await r.ledgerByRun(l.k._id);
      const requested = new Set((await r.sendRequests().find({ koppelingId: l.k._id }).toArray()).map((q) => q.runId));
      const companyName = await r.companyName(client, l.settings.nmbrsCompanyId);
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
        // Manual mode: a run never sent waits for its request; once sent, its changes follow automatically.
        if (!l.settings.autoSend && !requested.has(info.id) && !(state?.docs.length ?? 0)) {
          result.waitingForManualSend++;
          continue;
        }
        if (state?.notSent.has(x.hash)) {
          result.lockedBefore++;
          continue;
        }
        const plan = planRun((state?.docs ?? []).map(toEntry), x.hash, x.txs.length);
        if (plan.kind === 'unchanged') {
          result.unchanged++;
          continue;
        }
        const _id = `${l.k._id}|${key}|${x.hash}`;
        await r.snapshots().replaceOne({ _id }, { koppelingId: l.k._id, runKey: key, hash: x.hash, run: x.run, companyName, txs: x.txs, createdAt: new Date() }, { upsert: true });
        result.work.push({ runKey: key, hash: x.hash, kind: plan.kind, label: runLabel(x.run) });
      }
      return result;
    });
  };
}
