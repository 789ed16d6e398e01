/**
 * `nmbrsEbPostRun` (e-Boekhouden queue): one run, one e-Boekhouden session. Pre-flight (balance,
 * grootboekrekeningen, closed periods), then reversals and new bookings through Ledger.postOnce,
 * the links between them, and the bookkeeper's log line.
 */
import { transientError, isKoppelError } from '../../src/domain/errors';
import { contentHash } from '../../src/domain/hash';
import {
  buildBoekingen,
  buildTegenboeking,
  codesOf,
  differences,
  formatEuro,
  isBalanced,
  missingCodes,
  periodLabel,
  runKey,
  runLabel,
  targetCode,
  toMutatieInput,
  totals,
  type MutatieSpec,
} from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import { closedInfoFor, firstOpenDate, isClosed, laterDate, periodOfDate, type ClosedInfo } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-periods';
import { planRun } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-plan';
import { businessKey } from '../../src/store/ledger';
import type { LogEntryInput } from '../../src/store/log';
import type { LedgerDoc } from '../../src/store/types';
import type { ActivityDeps } from '../deps';
import { alive, heartbeat, retrying } from '../support';
import { LOONJOURNAAL, MEMORIAAL, type PostRunInput, type PostRunResult } from './contract';
import { meta, specMeta, specOf, toEntry, type MemoriaalMeta } from './ledger-entries';
import { lookupMutatie, type Reader } from './reader';

/** Thrown inside the write loop when the whole run turns out to fall in a closed period. */
class ClosedSkip extends Error {}

const nrs = (xs: string[]) => (xs.length === 1 ? `memoriaal ${xs[0]}` : `memorialen ${xs.join(', ')}`);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function postRun(deps: ActivityDeps, r: Reader) {
  return async function nmbrsEbPostRun(input: PostRunInput): Promise<PostRunResult> {
    const l = await r.load(input.koppelingId);
    const snap = await r.snapshots().findOne({ _id: `${l.k._id}|${input.runKey}|${input.hash}` });
    if (!snap) throw transientError('koppelwerk', `staged journal of ${input.runKey} is gone; the next cycle fetches it again`);
    const { run, txs } = snap;
    const label = runLabel(run);
    const key = runKey(run);
    const write = (entry: LogEntryInput) => deps.log.write(l.k.tenantId, l.k._id, [{ cycleNo: input.cycleNo, ...entry, details: { runId: run.runId, year: run.year, period: periodLabel(run), runNumber: run.number, ...entry.details } }]);
    const result: PostRunResult = { status: 'unchanged', label, mutaties: 0, tegenboekingen: 0 };
    const eb = await r.ebClient(l);

    return alive(() =>
      eb.withSession(async (session) => {
        let docs = await r.runDocs(l.k._id, key);
        let plan = planRun(docs.map(toEntry), input.hash, txs.length);
        // An interrupted attempt at an outdated booking: ask e-Boekhouden before deciding what to reverse.
        if (plan.resolve.length) {
          for (const id of plan.resolve) {
            const d = docs.find((x) => x._id === id)!;
            const found = d.attempts > 0 ? await lookupMutatie(session, d.reference) : undefined;
            if (found) await deps.ledger.markPosted(id, found);
            else await deps.ledger.markSkipped(id, 'Niet geboekt: onderbroken poging, e-Boekhouden kent de referentie niet.');
          }
          docs = await r.runDocs(l.k._id, key);
          plan = planRun(docs.map(toEntry), input.hash, txs.length);
        }
        if (plan.kind === 'unchanged') return result;

        const byId = new Map(docs.map((d) => [d._id, d]));
        const version = buildBoekingen(run, txs, l.k.mapping, plan.version);
        const toPost = plan.post.map((tx) => ({ tx, spec: version[tx] }));
        const toReverse = plan.reverse.map((id) => {
          const original = byId.get(id)!;
          return { original, spec: buildTegenboeking(specOf(original), meta(original).datum) };
        });
        // The version being replaced, as booked: for the amounts in the log.
        const replaced = plan.replaces === undefined ? [] : docs.filter((d) => meta(d).role === 'boeking' && meta(d).version === plan.replaces && d.status === 'posted');
        const booked = totals(replaced.flatMap((d) => meta(d).regels));
        const next = totals(version.flatMap((s) => s.regels));

        // Pre-flight 1: a journal that does not balance is never booked.
        const unbalanced = toPost.filter((p) => !isBalanced(p.spec.regels));
        if (unbalanced.length) {
          const t = totals(unbalanced[0].spec.regels);
          await write({
            level: 'error',
            code: 'RUN_UNBALANCED',
            message: `${label} niet geboekt: de loonjournaalpost is niet in balans (debet ${formatEuro(t.debetCents)}, credit ${formatEuro(t.creditCents)}). Controleer de run in Visma Nmbrs.`,
          });
          return { ...result, status: 'invalid' };
        }

        // Pre-flight 2: every grootboekrekening must exist (after the mapping), else nothing of this run is booked.
        const chart = (await retrying(() => session.getGrootboekrekeningen())).map((g) => g.code);
        const missing = missingCodes(codesOf([...toPost.map((p) => p.spec), ...toReverse.map((x) => x.spec)]), chart);
        if (missing.length) {
          const dims = [...new Set(txs.flatMap((t) => t.regels.map((g) => g.dim1)).filter((d) => missing.includes(targetCode(d, l.k.mapping))))];
          await write({
            level: 'warn',
            code: 'RUN_MAPPING_MISSING',
            message: `${label} overgeslagen: grootboekrekening${missing.length === 1 ? '' : 'en'} ${missing.join(', ')} ontbreek${missing.length === 1 ? 't' : 'en'} in e-Boekhouden.`,
            details: { missingCodes: missing, dim1: dims },
          });
          return { ...result, status: 'blocked', missingCodes: missing };
        }

        // Pre-flight 3: closed periods. Abandon only what has not started; finish the rest in the first open period.
        let closedThrough = input.closedThrough;
        let closed: ClosedInfo = closedInfoFor(l.settings.administration, input.closedPeriods, closedThrough);
        const mayAbandon = !plan.started && (plan.kind === 'new' || l.settings.changesInClosedPeriod === 'warn');
        const specs = [...toReverse.map((x) => x.spec), ...toPost.map((p) => p.spec)];
        const redated: Array<{ reference: string; from: string; to: string }> = [];
        const done = new Set<string>();
        const redate = () => {
          for (const s of specs) {
            if (done.has(s.reference) || !isClosed(s.datum, closed)) continue;
            const to = firstOpenDate(s.datum, closed);
            redated.push({ reference: s.reference, from: s.datum, to });
            s.datum = to;
          }
        };
        const skipClosed = async (): Promise<PostRunResult> => {
          const closedDates = [...new Set(specs.filter((s) => isClosed(s.datum, closed)).map((s) => periodOfDate(s.datum)))];
          const periods = closedDates.join(', ') || periodLabel(run);
          const diff = differences(replaced.map(specOf), version);
          const message =
            plan.kind === 'new'
              ? `${label} niet geboekt: periode ${periods} is afgesloten in e-Boekhouden (${plural(version.reduce((n, s) => n + s.regels.length, 0), 'regel', 'regels')}, debet ${formatEuro(next.debetCents)}).`
              : `${label} is gewijzigd in Nmbrs, maar periode ${periods} is afgesloten in e-Boekhouden: de wijziging is niet geboekt. ` +
                `Geboekt staat debet ${formatEuro(booked.debetCents)}, volgens Nmbrs nu debet ${formatEuro(next.debetCents)} (verschil ${formatEuro(next.debetCents - booked.debetCents)}).`;
          await write({
            level: 'warn',
            code: plan.kind === 'new' ? 'PERIOD_CLOSED_SKIPPED' : 'PERIOD_CLOSED_CHANGE',
            message,
            details: { closedPeriods: closedDates, closedThrough, bookedDebetCents: booked.debetCents, newDebetCents: next.debetCents, differences: diff },
          });
          // Remember this journal content as handled, so the warning is given once, not daily.
          const marker = await deps.ledger.begin({
            tenantId: l.k.tenantId,
            koppelingId: l.k._id,
            entity: LOONJOURNAAL,
            sourceKey: `${key}#${input.hash}`,
            contentHash: input.hash,
            reference: version[0]?.reference ?? key,
            meta: { runKey: key, runId: run.runId, year: run.year, period: periodLabel(run), reason: 'periode afgesloten', newDebetCents: next.debetCents, bookedDebetCents: booked.debetCents, cycleNo: input.cycleNo },
          });
          await deps.ledger.markSkipped(marker._id, `Periode ${periods} is afgesloten in e-Boekhouden.`);
          return { ...result, status: 'closed', ...(closedThrough ? { closedThrough } : {}) };
        };
        if (specs.some((s) => isClosed(s.datum, closed))) {
          if (mayAbandon) return skipClosed();
          redate();
        }

        // Write: reversals first, so a refusal before anything was booked leaves the books as they were.
        let written = 0;
        const book = async (sourceKey: string, spec: MutatieSpec, m: Omit<MemoriaalMeta, keyof ReturnType<typeof specMeta>>, links: LedgerDoc['links']) => {
          const ledgerKey = businessKey(l.k._id, MEMORIAAL, sourceKey);
          for (let attempt = 0; ; attempt++) {
            try {
              const res = await retrying(() =>
                deps.ledger.postOnce(
                  { tenantId: l.k.tenantId, koppelingId: l.k._id, entity: MEMORIAAL, sourceKey, contentHash: contentHash(spec), reference: spec.reference, meta: { ...m, ...specMeta(spec) }, links },
                  {
                    lookup: (ref) => lookupMutatie(session, ref),
                    write: async () => {
                      // The ledger keeps what is actually sent (the date or mapping may differ from an earlier attempt).
                      await deps.ledger.setContent(ledgerKey, contentHash(spec), specMeta(spec));
                      return String(await session.addMutatie(toMutatieInput(spec)));
                    },
                  },
                ),
              );
              written++;
              done.add(spec.reference);
              heartbeat();
              return res;
            } catch (err) {
              if (!(isKoppelError(err) && err.type === 'PeriodClosed') || attempt > 0) throw err;
              // e-Boekhouden's own closing date, learned the hard way: use it for the rest of the cycle.
              closedThrough = laterDate(closedThrough, typeof err.details?.closedThrough === 'string' ? err.details.closedThrough : spec.datum);
              closed = { ...closed, closedThrough };
              if (written === 0 && mayAbandon) throw new ClosedSkip();
              redate();
            }
          }
        };

        const reversalNrs: string[] = [];
        const originalNrs: string[] = [];
        const newNrs: string[] = [];
        try {
          for (const x of toReverse) {
            const om = meta(x.original);
            const res = await book(`${x.original.sourceKey}/tegenboeking`, x.spec, { ...om, role: 'tegenboeking', cycleNo: input.cycleNo }, { reverses: x.original._id });
            await deps.ledger.link(x.original._id, { reversedBy: res.doc._id });
            reversalNrs.push(res.targetId);
            originalNrs.push(x.original.targetId ?? '?');
          }
          for (const p of toPost) {
            const old = replaced.find((d) => meta(d).tx === p.tx) ?? replaced[0];
            const m = { runKey: key, runId: run.runId, year: run.year, companyId: run.companyId, runNumber: run.number, period: periodLabel(run), role: 'boeking' as const, version: plan.version, tx: p.tx, txCount: txs.length, runHash: input.hash, cycleNo: input.cycleNo };
            const res = await book(`${key}/v${plan.version}/t${p.tx}`, p.spec, m, old ? { replaces: old._id } : {});
            if (old) await deps.ledger.link(old._id, { replacedBy: res.doc._id });
            newNrs.push(res.targetId);
          }
        } catch (err) {
          if (err instanceof ClosedSkip) return skipClosed();
          if (isKoppelError(err) && !err.retryable && err.type !== 'MappingIncomplete') {
            await write({ level: 'error', code: 'RUN_FAILED', message: `${label} niet (volledig) geboekt: ${err.userMessage}`, details: { type: err.type, code: err.code } });
          }
          throw err;
        }

        const regels = toPost.reduce((n, p) => n + p.spec.regels.length, 0);
        const redatedNote = redated.length
          ? ` Gedateerd op ${[...new Set(redated.map((x) => x.to))].join(', ')}: de eerste open periode (${[...new Set(redated.map((x) => periodOfDate(x.from)))].join(', ')} is afgesloten).`
          : '';
        const corrected = toReverse.length > 0;
        const message = corrected
          ? `${label} is gewijzigd in Nmbrs: ${nrs(originalNrs)} tegengeboekt als ${nrs(reversalNrs)}` +
            (newNrs.length ? `; versie ${plan.version} (${plural(regels, 'regel', 'regels')}) geboekt als ${nrs(newNrs)}` : '; de nieuwe loonjournaalpost is leeg') +
            ` (debet ${formatEuro(booked.debetCents)} → ${formatEuro(next.debetCents)}).${redatedNote}`
          : `${label}: ${plural(regels, 'regel', 'regels')} geboekt als ${nrs(newNrs)} (debet ${formatEuro(next.debetCents)}).${redatedNote}`;
        await write({
          level: redated.length ? 'warn' : 'info',
          code: corrected ? 'RUN_CORRECTED' : 'RUN_POSTED',
          message,
          counts: { memorialen: newNrs.length, tegenboekingen: reversalNrs.length, regels },
          details: { version: plan.version, mutatienummers: newNrs, tegenboekingen: reversalNrs, vervangen: originalNrs, redated, debetCents: next.debetCents, ...(corrected ? { previousDebetCents: booked.debetCents } : {}) },
        });
        return {
          status: corrected ? 'corrected' : 'posted',
          label,
          mutaties: newNrs.length,
          tegenboekingen: reversalNrs.length,
          ...(closedThrough ? { closedThrough } : {}),
        };
      }),
    );
  };
}
