/**
 * The admin API's read-only tools for this koppeling: a dry-run preview of the next cycle and a
 * mapping check of every dim1 against e-Boekhouden's grootboekrekeningen. Same reading code as the
 * activities, nothing written.
 */
import type { RunInfo } from '../../src/systems/nmbrs/client';
import { HttpError } from '../../src/api/route';
import { isKoppelError } from '../../src/domain/errors';
import { buildBoekingen, buildTegenboeking, codesOf, formatEuro, isBalanced, missingCodes, runKey, runLabel, targetCode, totals } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import { closedInfoFor, firstOpenDate, isClosed } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-periods';
import { planRun } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-plan';
import type { ActivityDeps } from '../deps';
import { retrying } from '../support';
import { meta, specOf, toEntry } from './ledger-entries';
import { reader, type InspectedRun } from './reader';

function asHttp(err: unknown): never {
  if (isKoppelError(err)) {
    const status = err.type === 'Transient' || err.type === 'RateLimited' ? 502 : 409;
    throw new HttpError(status, `${err.oorzaak} Oplossing: ${err.oplossing}`);
  }
  throw err;
}

const euroLine = (cents: number) => ({ bedrag: formatEuro(Math.abs(cents)), cents: Math.abs(cents), debetCredit: cents >= 0 ? 'D' : 'C' });

export function createNmbrsEboekhoudenPreviews(deps: ActivityDeps) {
  const r = reader(deps);

  /** Every run in range with its journal, plus e-Boekhouden's chart, read once. */
  async function gather(koppelingId: string, withUnlocked: boolean) {
    const l = await r.load(koppelingId);
    const [client, eb] = await Promise.all([r.nmbrsClient(l), r.ebClient(l)]);
    const runs = await r.runsInRange(client, l.settings);
    const inspected: Array<InspectedRun | { info: RunInfo; skipped: true }> = [];
    for (const info of runs) {
      if (!withUnlocked && l.settings.lockedRunsOnly && !info.isLocked) inspected.push({ info, skipped: true });
      else inspected.push(await r.inspect(client, l.settings, info));
    }
    const chart = await eb.withSession((s) => retrying(() => s.getGrootboekrekeningen()));
    return { l, inspected, chart };
  }

  return {
    /** Dry run: what the next cycle would book, per run, without writing anything. */
    async preview(koppelingId: string) {
      try {
        const { l, inspected, chart } = await gather(koppelingId, false);
        const codes = chart.map((g) => g.code);
        const ledger = await r.ledgerByRun(l.k._id);
        const closed = closedInfoFor(l.settings.administration, l.k.closedPeriods);
        const allMissing = new Set<string>();
        let mutaties = 0;
        let tegenboekingen = 0;
        const runs = inspected.map((x) => {
          if ('skipped' in x) {
            return { runId: x.info.id, run: runLabel(x.info), year: x.info.year, locked: false, status: 'niet vergrendeld: wordt nog niet geboekt', mutaties: [] };
          }
          const state = ledger.get(runKey(x.run));
          const plan = planRun((state?.docs ?? []).map(toEntry), x.hash, x.txs.length);
          const version = buildBoekingen(x.run, x.txs, l.k.mapping, plan.version);
          const byId = new Map((state?.docs ?? []).map((d) => [d._id, d]));
          const reversals = plan.reverse.map((id) => buildTegenboeking(specOf(byId.get(id)!), meta(byId.get(id)!).datum));
          const posts = plan.post.map((i) => version[i]);
          const missing = missingCodes(codesOf([...posts, ...reversals]), codes);
          missing.forEach((c) => allMissing.add(c));
          const t = totals(version.flatMap((s) => s.regels));
          const anyClosed = [...reversals, ...posts].some((s) => isClosed(s.datum, closed));
          let status: string;
          if (state?.notSent.has(x.hash)) status = 'eerder overgeslagen: periode afgesloten';
          else if (plan.kind === 'unchanged') status = 'ongewijzigd: al geboekt';
          else if (posts.some((p) => !isBalanced(p.regels))) status = 'niet in balans: wordt niet geboekt';
          else if (missing.length) status = `overgeslagen: grootboekrekening ${missing.join(', ')} ontbreekt in e-Boekhouden`;
          else if (anyClosed && !plan.started && (plan.kind === 'new' || l.settings.changesInClosedPeriod === 'warn')) status = 'periode afgesloten: wordt niet geboekt (waarschuwing in het logboek)';
          else status = plan.kind === 'new' ? 'nieuw: wordt geboekt' : plan.kind === 'changed' ? 'gewijzigd: tegenboeking en nieuwe versie' : 'onderbroken: wordt afgemaakt';
          const willBook = status.startsWith('nieuw') || status.startsWith('gewijzigd') || status.startsWith('onderbroken');
          const shown = willBook
            ? [...reversals.map((s) => ({ kind: 'tegenboeking', s })), ...posts.map((s) => ({ kind: 'boeking', s }))].map(({ kind, s }) => ({
                soort: 'Memoriaal',
                kind,
                reference: s.reference,
                datum: anyClosed ? firstOpenDate(s.datum, closed) : s.datum,
                omschrijving: s.omschrijving,
                regels: s.regels.map((g) => ({ grootboekrekening: g.code, ...euroLine(g.cents) })),
              }))
            : [];
          if (willBook) {
            mutaties += posts.length;
            tegenboekingen += reversals.length;
          }
          return {
            runId: x.run.runId,
            run: runLabel(x.run),
            year: x.run.year,
            periodStart: x.run.periodStart,
            periodEnd: x.run.periodEnd,
            number: x.run.number,
            locked: x.info.isLocked,
            status,
            journalLines: x.txs.reduce((n, tx) => n + tx.lineCount, 0),
            totals: { debet: formatEuro(t.debetCents), credit: formatEuro(t.creditCents), debetCents: t.debetCents, creditCents: t.creditCents },
            missingCodes: missing,
            lines: x.txs.flatMap((tx) =>
              tx.regels.map((g) => ({ datum: tx.date, dim1: g.dim1, omschrijving: g.description, grootboekrekening: targetCode(g.dim1, l.k.mapping), journaalregels: g.lines, ...euroLine(g.side === 'D' ? g.cents : -g.cents) })),
            ),
            mutaties: shown,
          };
        });
        return {
          koppelingId,
          generatedAt: new Date().toISOString(),
          company: l.settings.nmbrsCompanyId,
          syncFrom: `${l.settings.syncFromYear}-${String(l.settings.syncFromPeriod).padStart(2, '0')}`,
          lockedRunsOnly: l.settings.lockedRunsOnly,
          active: l.settings.active,
          summary: { runs: runs.length, mutaties, tegenboekingen, missingCodes: [...allMissing] },
          missingCodes: [...allMissing],
          runs,
        };
      } catch (err) {
        return asHttp(err);
      }
    },

    /** Every dim1 the journals use, against e-Boekhouden's grootboekrekeningen (after the mapping). */
    async mappingCheck(koppelingId: string) {
      try {
        const { l, inspected, chart } = await gather(koppelingId, true);
        const gb = new Map(chart.map((g) => [g.code, g]));
        const seen = new Map<string, { omschrijving: string; runs: Set<string>; regels: number }>();
        for (const x of inspected) {
          if ('skipped' in x) continue;
          for (const tx of x.txs) {
            for (const g of tx.regels) {
              const s = seen.get(g.dim1) ?? { omschrijving: g.description, runs: new Set<string>(), regels: 0 };
              s.runs.add(runLabel(x.run));
              s.regels += g.lines;
              seen.set(g.dim1, s);
            }
          }
        }
        const codes = [...seen.entries()]
          .sort(([a], [b]) => a.localeCompare(b, 'nl', { numeric: true }))
          .map(([dim1, s]) => {
            const code = targetCode(dim1, l.k.mapping);
            const target = gb.get(code);
            return {
              dim1,
              omschrijving: s.omschrijving,
              grootboekrekening: code,
              viaMapping: code !== dim1,
              bestaat: !!target,
              ...(target ? { omschrijvingEboekhouden: target.omschrijving, categorie: target.categorie } : {}),
              runs: s.runs.size,
              journaalregels: s.regels,
            };
          });
        const missing = codes.filter((c) => !c.bestaat).map((c) => c.grootboekrekening);
        const unused = Object.entries(l.k.mapping)
          .filter(([dim1]) => !seen.has(dim1))
          .map(([dim1, code]) => ({ dim1, grootboekrekening: code, bestaat: gb.has(code) }));
        return {
          koppelingId,
          generatedAt: new Date().toISOString(),
          ok: missing.length === 0,
          missingCodes: [...new Set(missing)],
          codes,
          unusedMapping: unused,
          grootboekrekeningen: chart.length,
          advies: missing.length
            ? `Maak ${[...new Set(missing)].join(', ')} aan in e-Boekhouden.nl (Beheer > Inrichting > Grootboekrekeningen) of koppel de looncode in de mapping aan een bestaande grootboekrekening.`
            : 'Alle looncodes hebben een grootboekrekening in e-Boekhouden.nl.',
        };
      } catch (err) {
        return asHttp(err);
      }
    },
  };
}
