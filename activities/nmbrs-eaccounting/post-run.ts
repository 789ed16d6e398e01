/**
 * `nmbrsEaPostRun` (eAccounting queue): one run. Pre-flight (balance, fiscal year, accounts,
 * locked period), then reversals and new vouchers through Ledger.postOnce (an uncertain earlier
 * attempt is looked up among the fiscal year's vouchers by text and date), links, and the log line.
 */
import { isKoppelError, transientError } from '../../src/domain/errors';
import { contentHash } from '../../src/domain/hash';
import {
  buildReversal,
  buildVouchers,
  checkAccounts,
  findVoucher,
  fiscalYearFor,
  isBalanced,
  isLocked,
  toVoucherInput,
  type VoucherSpec,
} from '../../src/koppelingen/nmbrs-eaccounting/domain/voucher';
import { formatEuro, periodLabel, runLabel, totals } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import { planRun } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-plan';
import type { EaccountingClient, FiscalYear } from '../../src/systems/eaccounting/client';
import { FISCAL_YEAR_MISSING } from '../../src/systems/eaccounting/client';
import { businessKey } from '../../src/store/ledger';
import type { LogEntryInput } from '../../src/store/log';
import type { LedgerDoc } from '../../src/store/types';
import type { ActivityDeps } from '../deps';
import { alive, heartbeat, retrying } from '../support';
import { LOCKED_JOURNAL, VOUCHER, type PostRunInput, type PostRunResult } from './contract';
import { specMeta, specOf, toEntry } from './ledger-entries';
import { meta, perCycle, type Reader, type VoucherMeta } from './reader';

class LockedSkip extends Error {}

const nrs = (xs: string[]) => (xs.length === 1 ? `voucher ${xs[0]}` : `vouchers ${xs.join(', ')}`);

/** The uncertain-outcome lookup: the fiscal year's vouchers of that date, matched on the reference in VoucherText. */
export async function lookupVoucher(ea: EaccountingClient, years: FiscalYear[], reference: string, date: string): Promise<{ id: string; number?: string } | undefined> {
  const fy = fiscalYearFor(date, years);
  if (!fy) return undefined;
  const found = findVoucher(await retrying(() => ea.vouchers(fy.Id, { date })), reference, date);
  return found ? { id: found.Id, number: found.NumberAndNumberSeries ?? undefined } : undefined;
}

export function postRun(deps: ActivityDeps, r: Reader) {
  return async function nmbrsEaPostRun(input: PostRunInput): Promise<PostRunResult> {
    const l = await r.load(input.koppelingId);
    const snap = await r.snapshots().findOne({ _id: `${l.k._id}|${input.runKey}|${input.hash}` });
    if (!snap) throw transientError('koppelwerk', `staged journal of ${input.runKey} is gone; the next cycle fetches it again`);
    const { run, txs } = snap;
    const label = runLabel(run);
    const key = input.runKey;
    const write = (entry: LogEntryInput) =>
      deps.log.write(l.k.tenantId, l.k._id, [{ cycleNo: input.cycleNo, ...entry, details: { runId: run.runId, year: run.year, period: periodLabel(run), runNumber: run.number, ...entry.details } }]);
    const result: PostRunResult = { status: 'unchanged', label, vouchers: 0, reversals: 0 };
    const ea = r.eaClient(l);

    return alive(async () => {
      const cached = <T>(what: string, read: () => Promise<T>) => perCycle(`${l.k._id}|${input.cycleNo}|${what}`, () => retrying(read));
      const years = await cached('fiscalYears', () => ea.fiscalYears());
      let docs = await r.runDocs(l.k._id, key);
      let plan = planRun(docs.map(toEntry), input.hash, txs.length);
      // An interrupted attempt at an outdated voucher: ask eAccounting before deciding what to reverse.
      if (plan.resolve.length) {
        for (const id of plan.resolve) {
          const d = docs.find((x) => x._id === id)!;
          const found = d.attempts > 0 ? await lookupVoucher(ea, years, d.reference, meta(d).date) : undefined;
          if (found) await deps.ledger.markPosted(id, found.id);
          else await deps.ledger.markSkipped(id, 'Niet verstuurd: onderbroken poging, eAccounting kent de voucher niet.');
        }
        docs = await r.runDocs(l.k._id, key);
        plan = planRun(docs.map(toEntry), input.hash, txs.length);
      }
      if (plan.kind === 'unchanged') return result;

      const byId = new Map(docs.map((d) => [d._id, d]));
      const version = buildVouchers(run, txs, l.k.mapping, plan.version, snap.companyName);
      const toPost = plan.post.map((tx) => ({ tx, spec: version[tx] }));
      const toReverse = plan.reverse.map((id) => ({ original: byId.get(id)!, spec: buildReversal(specOf(byId.get(id)!)) }));
      const replaced = plan.replaces === undefined ? [] : docs.filter((d) => meta(d).role === 'boeking' && meta(d).version === plan.replaces && d.status === 'posted');
      const booked = totals(replaced.flatMap((d) => meta(d).rows));
      const next = totals(version.flatMap((s) => s.rows));
      const specs: VoucherSpec[] = [...toReverse.map((x) => x.spec), ...toPost.map((p) => p.spec)];

      // Pre-flight 1: a journal that does not balance is never sent.
      const unbalanced = toPost.find((p) => !isBalanced(p.spec.rows));
      if (unbalanced) {
        const t = totals(unbalanced.spec.rows);
        await write({ level: 'error', code: 'RUN_UNBALANCED', message: `${label} niet verstuurd: de loonjournaalpost is niet in balans (debet ${formatEuro(t.debetCents)}, credit ${formatEuro(t.creditCents)}). Controleer de run in Visma Nmbrs.` });
        return { ...result, status: 'invalid' };
      }

      // Pre-flight 2: every voucher date in a fiscal year (seed 002: "Resource not found: fiscalYearId").
      const noYear = [...new Set(specs.filter((s) => !fiscalYearFor(s.date, years)).map((s) => s.date))];
      if (noYear.length) {
        const message = `${label} niet verstuurd: er is geen boekjaar in Visma eAccounting voor ${noYear.join(', ')}. ${FISCAL_YEAR_MISSING.oplossing}`;
        await write({ level: 'warn', code: 'RUN_NO_FISCAL_YEAR', message, details: { dates: noYear } });
        return { ...result, status: 'noFiscalYear', problem: { ...FISCAL_YEAR_MISSING, oorzaak: `${label}: ${FISCAL_YEAR_MISSING.oorzaak} (datum ${noYear.join(', ')})`, code: '3000' } };
      }

      // Pre-flight 3: accounts exist and take manual vouchers, per fiscal year involved.
      const missing = new Set<string>();
      const blocked = new Set<string>();
      for (const fyId of new Set(specs.map((s) => fiscalYearFor(s.date, years)!.Id))) {
        const accounts = await cached(`accounts/${fyId}`, () => ea.accounts(fyId));
        const check = checkAccounts(specs.filter((s) => fiscalYearFor(s.date, years)!.Id === fyId), accounts);
        check.missing.forEach((a) => missing.add(a));
        check.blocked.forEach((a) => blocked.add(a));
      }
      if (missing.size || blocked.size) {
        const codes = [...missing, ...blocked].sort((a, b) => a.localeCompare(b, 'nl', { numeric: true }));
        const parts = [
          ...(missing.size ? [`rekening${missing.size === 1 ? '' : 'en'} ${[...missing].join(', ')} ontbreek${missing.size === 1 ? 't' : 'en'} in eAccounting`] : []),
          ...(blocked.size ? [`rekening${blocked.size === 1 ? '' : 'en'} ${[...blocked].join(', ')} ${blocked.size === 1 ? 'is' : 'zijn'} geblokkeerd voor handmatig boeken of inactief`] : []),
        ];
        await write({ level: 'warn', code: 'RUN_MAPPING_MISSING', message: `${label} overgeslagen: ${parts.join('; ')}.`, details: { missingCodes: [...missing], blockedCodes: [...blocked] } });
        return { ...result, status: 'blocked', missingCodes: codes, problem: { oorzaak: `${label}: ${parts.join('; ')}.`, oplossing: '' } };
      }

      // Pre-flight 4: a locked period or year is reported once, not retried (until the run changes).
      const settings = await cached('companySettings', () => ea.companySettings());
      const lockedSkip = async (): Promise<PostRunResult> => {
        const dates = [...new Set(specs.filter((s) => isLocked(s.date, fiscalYearFor(s.date, years), settings.AccountingLockedTo)).map((s) => s.date))];
        await write({
          level: 'warn',
          code: 'RUN_PERIOD_LOCKED',
          message: `${label} niet verstuurd: ${dates.join(', ') || 'de boekingsdatum'} valt in een vergrendelde periode of een vergrendeld boekjaar van Visma eAccounting${settings.AccountingLockedTo ? ` (vergrendeld t/m ${settings.AccountingLockedTo.slice(0, 10)})` : ''} (debet ${formatEuro(next.debetCents)}). Deze versie wordt niet opnieuw geprobeerd.`,
          details: { dates, accountingLockedTo: settings.AccountingLockedTo ?? null },
        });
        const marker = await deps.ledger.begin({ tenantId: l.k.tenantId, koppelingId: l.k._id, entity: LOCKED_JOURNAL, sourceKey: `${key}#${input.hash}`, contentHash: input.hash, reference: version[0]?.reference ?? key, meta: { runKey: key, runId: run.runId, dates, cycleNo: input.cycleNo } });
        await deps.ledger.markSkipped(marker._id, 'Periode of boekjaar vergrendeld in Visma eAccounting.');
        return { ...result, status: 'locked' };
      };
      const mayAbandon = !plan.started;
      if (mayAbandon && specs.some((s) => isLocked(s.date, fiscalYearFor(s.date, years), settings.AccountingLockedTo))) return lockedSkip();

      // Write: reversals first, so a refusal before anything was sent leaves the books as they were.
      let written = 0;
      const send = async (sourceKey: string, spec: VoucherSpec, m: Omit<VoucherMeta, 'date' | 'text' | 'rows'>, links: LedgerDoc['links']) => {
        const fy = fiscalYearFor(spec.date, years)!;
        const ledgerKey = businessKey(l.k._id, VOUCHER, sourceKey);
        let number: string | undefined;
        const res = await retrying(() =>
          deps.ledger.postOnce(
            { tenantId: l.k.tenantId, koppelingId: l.k._id, entity: VOUCHER, sourceKey, contentHash: contentHash(spec), reference: spec.reference, meta: { ...m, ...specMeta(spec), fiscalYearId: fy.Id }, links },
            {
              lookup: async (ref) => {
                const found = await lookupVoucher(ea, years, ref, spec.date);
                number = found?.number;
                return found?.id;
              },
              write: async () => {
                await deps.ledger.setContent(ledgerKey, contentHash(spec), specMeta(spec));
                const v = await ea.createVoucher(toVoucherInput(spec));
                number = v.NumberAndNumberSeries ?? undefined;
                return v.Id;
              },
            },
          ),
        );
        if (number) await deps.ledger.setContent(ledgerKey, res.doc.contentHash, { voucherNumber: number });
        written++;
        heartbeat();
        return { ...res, number: number ?? meta(res.doc).voucherNumber ?? res.targetId };
      };

      const reversalNrs: string[] = [];
      const originalNrs: string[] = [];
      const newNrs: string[] = [];
      try {
        try {
          for (const x of toReverse) {
            const om = meta(x.original);
            const res = await send(`${x.original.sourceKey}/tegenboeking`, x.spec, { ...om, role: 'tegenboeking', cycleNo: input.cycleNo }, { reverses: x.original._id });
            await deps.ledger.link(x.original._id, { reversedBy: res.doc._id });
            reversalNrs.push(res.number);
            originalNrs.push(om.voucherNumber ?? x.original.targetId ?? '?');
          }
          for (const p of toPost) {
            const old = replaced.find((d) => meta(d).tx === p.tx) ?? replaced[0];
            const m = { runKey: key, runId: run.runId, year: run.year, companyId: run.companyId, runNumber: run.number, period: periodLabel(run), role: 'boeking' as const, version: plan.version, tx: p.tx, txCount: txs.length, runHash: input.hash, cycleNo: input.cycleNo };
            const res = await send(`${key}/v${plan.version}/t${p.tx}`, p.spec, m, old ? { replaces: old._id } : {});
            if (old) await deps.ledger.link(old._id, { replacedBy: res.doc._id });
            newNrs.push(res.number);
          }
        } catch (err) {
          // Visma's own lock, learned on the first write: nothing sent yet, so report it like the pre-flight.
          if (isKoppelError(err) && err.type === 'PeriodClosed' && written === 0 && mayAbandon) throw new LockedSkip();
          throw err;
        }
      } catch (err) {
        if (err instanceof LockedSkip) return lockedSkip();
        if (isKoppelError(err) && !err.retryable && err.type !== 'MappingIncomplete') {
          await write({ level: 'error', code: 'RUN_FAILED', message: `${label} niet (volledig) verstuurd: ${err.userMessage}`, details: { type: err.type, code: err.code } });
        }
        throw err;
      }

      const rows = toPost.reduce((n, p) => n + p.spec.rows.length, 0);
      const corrected = toReverse.length > 0;
      const message = corrected
        ? `${label} is gewijzigd in Nmbrs: ${nrs(originalNrs)} tegengeboekt als ${nrs(reversalNrs)}` +
          (newNrs.length ? `; versie ${plan.version} (${rows} regels) verstuurd als ${nrs(newNrs)}` : '; de nieuwe loonjournaalpost is leeg') +
          ` (debet ${formatEuro(booked.debetCents)} → ${formatEuro(next.debetCents)}).`
        : `${label}: ${rows} regels verstuurd naar Visma eAccounting als ${nrs(newNrs)} (debet ${formatEuro(next.debetCents)}).`;
      await write({
        level: 'info',
        code: corrected ? 'RUN_CORRECTED' : 'RUN_SENT',
        message,
        counts: { vouchers: newNrs.length, tegenboekingen: reversalNrs.length, regels: rows },
        details: { version: plan.version, vouchers: newNrs, tegenboekingen: reversalNrs, vervangen: originalNrs, debetCents: next.debetCents },
      });
      await r.sendRequests().deleteOne({ _id: `${l.k._id}|${run.runId}` });
      return { status: corrected ? 'corrected' : 'sent', label, vouchers: newNrs.length, reversals: reversalNrs.length };
    });
  };
}
