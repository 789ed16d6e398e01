/**
 * The seed's "Journal Entries Export" dashlet for the admin API: per run its sent status (grey =
 * not sent, red = sent) with the voucher ids and numbers, from Nmbrs' run list and the ledger; and
 * the manual send of one run (recorded here, sent by the next cycle, which the API starts at once).
 */
import { HttpError } from '../../src/api/route';
import { isKoppelError } from '../../src/domain/errors';
import { periodLabel, runKey, runLabel } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import type { ActivityDeps } from '../deps';
import { LOCKED_JOURNAL } from './contract';
import { meta, reader } from './reader';

/** A Visma or Nmbrs problem as an API answer: 502 when it may pass, 409 when someone must act. */
function asHttp(err: unknown): never {
  if (isKoppelError(err)) throw new HttpError(err.type === 'Transient' || err.type === 'RateLimited' ? 502 : 409, `${err.oorzaak} Oplossing: ${err.oplossing}`);
  throw err;
}

export function createNmbrsEaccountingRuns(deps: ActivityDeps) {
  const r = reader(deps);
  return {
    async runs(koppelingId: string) {
      const l = await r.load(koppelingId);
      const runs = await r.runsInRange(await r.nmbrsClient(l), l.settings).catch(asHttp);
      const ledger = await r.ledgerByRun(koppelingId);
      const locked = await deps.ledger.list({ koppelingId, entity: LOCKED_JOURNAL });
      const requested = new Set((await r.sendRequests().find({ koppelingId }).toArray()).map((q) => q.runId));
      return {
        koppelingId,
        company: l.settings.nmbrsCompanyId,
        autoSend: l.settings.autoSend,
        runs: runs.map((info) => {
          const key = runKey({ companyId: l.settings.nmbrsCompanyId, year: info.year, runId: info.id });
          const docs = ledger.get(key)?.docs ?? [];
          const vouchers = docs.map((d) => ({
            voucherId: d.targetId ?? null,
            number: meta(d).voucherNumber ?? null,
            reference: d.reference,
            role: meta(d).role,
            version: meta(d).version,
            date: meta(d).date,
            status: d.status,
            reversedBy: d.links.reversedBy ?? null,
          }));
          const current = docs.filter((d) => d.status === 'posted' && meta(d).role === 'boeking' && !d.links.reversedBy);
          const sent = current.length > 0;
          const lockedHere = locked.filter((d) => d.meta.runKey === key);
          return {
            runId: info.id,
            run: runLabel({ year: info.year, periodStart: info.periodStart, periodEnd: info.periodEnd, number: info.number }),
            year: info.year,
            period: periodLabel({ year: info.year, periodStart: info.periodStart, periodEnd: info.periodEnd }),
            processed: info.isLocked,
            sent,
            logo: sent ? 'red' : 'grey',
            version: sent ? Math.max(...current.map((d) => meta(d).version)) : null,
            sentAt: sent ? current.map((d) => d.updatedAt).sort().at(-1) : null,
            sendRequested: requested.has(info.id),
            lockedInVisma: lockedHere.length > 0,
            vouchers,
          };
        }),
      };
    },

    /** Ask for one run to be sent (the dashlet's manual send); the caller then starts a cycle. */
    async sendRun(koppelingId: string, runId: number) {
      const l = await r.load(koppelingId);
      const runs = await r.runsInRange(await r.nmbrsClient(l), l.settings).catch(asHttp);
      const info = runs.find((x) => x.id === runId);
      if (!info) throw new HttpError(400, `Run ${runId} bestaat niet voor Nmbrs-bedrijf ${l.settings.nmbrsCompanyId} in de ingestelde periode.`, [{ field: 'runId', reason: 'unknown run' }]);
      if (!info.isLocked) throw new HttpError(400, `Run ${runId} is nog niet verwerkt (vergrendeld) in Visma Nmbrs; alleen verwerkte runs worden verstuurd.`, [{ field: 'runId', reason: 'run not processed' }]);
      await r.sendRequests().replaceOne({ _id: `${koppelingId}|${runId}` }, { koppelingId, runId, requestedAt: new Date() }, { upsert: true });
      return { runId, requested: true };
    },
  };
}
