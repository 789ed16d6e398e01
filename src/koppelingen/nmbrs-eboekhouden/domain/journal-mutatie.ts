/**
 * Nmbrs loonjournaalpost → e-Boekhouden memoriaal. Pure, and every amount is integer cents: euros
 * appear only at the very edge (toMutatieInput), so sums never drift.
 *
 * INFERRED choices of this koppeling, kept here so they are easy to correct:
 * - One Memoriaal per journal transaction (Nmbrs sends one per run period), dated per its header.
 * - Lines are combined per (dim1, debet/credit). cMutatieRegel has no description or dimension
 *   field, so separate lines on one account and side would carry nothing extra in e-Boekhouden,
 *   and fewer rows stay under e-Boekhouden's unknown row limit (contract Q5).
 * - Memoriaal amounts: + debet, − credit, BTW-code GEEN, lines sum to zero (the convention in
 *   src/systems/eboekhouden/simulator/inferred.ts).
 * - The reference goes into Boekstuk and into Factuurnummer: GetMutaties can only filter on
 *   Factuurnummer, and that lookup is how a booking is found again after a crash.
 * - Reference: NMBRS-<company>-<year>-<run>, plus -T<n> when a run has several transactions and
 *   -V<n> from the second version on; its reversal (tegenboeking) adds -TB.
 * - The content hash covers what e-Boekhouden would receive from the source: transaction dates and
 *   per-dim1 amounts. Not descriptions, dim2/dim3 or the mapping: a change that books nothing
 *   different is no change, and editing the mapping does not rebook history.
 * - The mapping overrides dim1 → grootboekrekening; without an override dim1 is the code (the
 *   manual: looncodes must match grootboekrekeningen).
 */
import type { Journal, MemoriaalInput } from './types';
import { contentHash } from '../../../domain/hash';

export type Side = 'D' | 'C';

/** One account's total on one side of a transaction, as Nmbrs sent it (before the mapping). */
export interface SourceRegel {
  dim1: string;
  side: Side;
  /** Positive, integer cents. */
  cents: number;
  /** The first description Nmbrs gave this account: for people (preview, mapping check). */
  description: string;
  /** How many journal lines were combined. */
  lines: number;
}

export interface JournalTx {
  /** YYYY-MM-DD. */
  date: string;
  period?: string;
  /** Journal lines before combining. */
  lineCount: number;
  regels: SourceRegel[];
}

/** The run a journal belongs to: what references, labels and log lines need. */
export interface JournalRun {
  companyId: number;
  runId: number;
  year: number;
  number: number;
  periodStart: number;
  periodEnd: number;
  description?: string;
}

/** A memoriaal as it is (or would be) booked: signed cents, + debet, − credit. */
export interface MutatieSpec {
  reference: string;
  datum: string;
  omschrijving: string;
  regels: Array<{ code: string; cents: number }>;
}

/** Contract Q5 suggests 200 characters for Omschrijving; stay well inside. */
const OMSCHRIJVING_MAX = 200;

const pad2 = (n: number) => String(n).padStart(2, '0');
const byCode = (a: string, b: string) => a.localeCompare(b, 'nl', { numeric: true });

/** Combine lines per (dim1, side), drop zero totals and empty transactions. Order: as Nmbrs sent the transactions. */
export function compactJournal(journal: Journal): JournalTx[] {
  const out: JournalTx[] = [];
  for (const t of journal.transactions) {
    const acc = new Map<string, SourceRegel>();
    for (const l of t.lines) {
      const key = `${l.dim1}\u0000${l.debitCredit}`;
      const r = acc.get(key) ?? { dim1: l.dim1, side: l.debitCredit, cents: 0, description: l.description, lines: 0 };
      r.cents += l.cents;
      r.lines += 1;
      if (!r.description && l.description) r.description = l.description;
      acc.set(key, r);
    }
    const regels = [...acc.values()]
      .filter((r) => r.cents !== 0)
      .sort((a, b) => byCode(a.dim1, b.dim1) || (a.side === b.side ? 0 : a.side === 'D' ? -1 : 1));
    if (regels.length) out.push({ date: t.header.date, ...(t.header.period ? { period: t.header.period } : {}), lineCount: t.lines.length, regels });
  }
  return out;
}

/** What decides "changed": dates and amounts per source account, nothing else. */
export function journalHash(txs: JournalTx[]): string {
  return contentHash({ v: 1, txs: txs.map((t) => ({ date: t.date, regels: t.regels.map((r) => [r.dim1, r.side, r.cents]) })) });
}

export const signedCents = (r: Pick<SourceRegel, 'side' | 'cents'>) => (r.side === 'D' ? r.cents : -r.cents);

export function targetCode(dim1: string, mapping: Record<string, string>): string {
  const override = mapping[dim1]?.trim();
  return override ? override : dim1;
}

export function runKey(run: Pick<JournalRun, 'companyId' | 'year' | 'runId'>): string {
  return `${run.companyId}/${run.year}/${run.runId}`;
}

export function periodLabel(run: Pick<JournalRun, 'year' | 'periodStart' | 'periodEnd'>): string {
  const start = `${run.year}-${pad2(run.periodStart)}`;
  return run.periodEnd > run.periodStart ? `${start} t/m ${pad2(run.periodEnd)}` : start;
}

/** "Run 2026-03 (run 3)": how a bookkeeper recognises a run. */
export function runLabel(run: Pick<JournalRun, 'year' | 'periodStart' | 'periodEnd' | 'number'>): string {
  return `Run ${periodLabel(run)} (run ${run.number})`;
}

export function referenceFor(run: Pick<JournalRun, 'companyId' | 'year' | 'runId'>, version: number, tx: number, txCount: number): string {
  return `NMBRS-${run.companyId}-${run.year}-${run.runId}${txCount > 1 ? `-T${tx + 1}` : ''}${version > 1 ? `-V${version}` : ''}`;
}

export function reversalReference(reference: string): string {
  return `${reference}-TB`;
}

function clip(text: string): string {
  return text.length <= OMSCHRIJVING_MAX ? text : `${text.slice(0, OMSCHRIJVING_MAX - 1)}…`;
}

/** The memorialen of one version of a run, one per transaction, in transaction order. */
export function buildBoekingen(run: JournalRun, txs: JournalTx[], mapping: Record<string, string>, version: number): MutatieSpec[] {
  return txs.map((t, i) => {
    const parts = [`Nmbrs loonjournaal ${periodLabel(run)} run ${run.number}`];
    if (txs.length > 1) parts.push(`deel ${i + 1}/${txs.length}`);
    if (version > 1) parts.push(`versie ${version}`);
    const omschrijving = `${parts.join(', ')}${run.description ? ` – ${run.description}` : ''}`;
    return {
      reference: referenceFor(run, version, i, txs.length),
      datum: t.date,
      omschrijving: clip(omschrijving),
      regels: t.regels.map((r) => ({ code: targetCode(r.dim1, mapping), cents: signedCents(r) })),
    };
  });
}

/** The exact opposite of a booked memoriaal, on `datum`. */
export function buildTegenboeking(original: MutatieSpec, datum: string): MutatieSpec {
  return {
    reference: reversalReference(original.reference),
    datum,
    omschrijving: clip(`Tegenboeking ${original.reference}: ${original.omschrijving}`),
    regels: original.regels.map((r) => ({ code: r.code, cents: -r.cents })),
  };
}

/** The connector's input; the only place cents become euros (cents / 100 is exact to 2 decimals). */
export function toMutatieInput(spec: MutatieSpec): MemoriaalInput {
  return {
    soort: 'Memoriaal',
    datum: spec.datum,
    boekstuk: spec.reference,
    factuurnummer: spec.reference,
    omschrijving: spec.omschrijving,
    inExBtw: 'EX',
    regels: spec.regels.map((r) => {
      const euros = r.cents / 100;
      return { tegenrekeningCode: r.code, bedragInvoer: euros, bedragExclBtw: euros, bedragBtw: 0, bedragInclBtw: euros, btwCode: 'GEEN', btwPercentage: 0 };
    }),
  };
}

export function totals(regels: Array<{ cents: number }>): { debetCents: number; creditCents: number } {
  let debetCents = 0;
  let creditCents = 0;
  for (const r of regels) {
    if (r.cents > 0) debetCents += r.cents;
    else creditCents -= r.cents;
  }
  return { debetCents, creditCents };
}

export function isBalanced(regels: Array<{ cents: number }>): boolean {
  return regels.reduce((s, r) => s + r.cents, 0) === 0;
}

/** Every grootboekrekening the specs book on, sorted. */
export function codesOf(specs: MutatieSpec[]): string[] {
  return [...new Set(specs.flatMap((s) => s.regels.map((r) => r.code)))].sort(byCode);
}

/** The codes e-Boekhouden's chart lacks, sorted and unique. */
export function missingCodes(codes: Iterable<string>, chart: Iterable<string>): string[] {
  const known = new Set(chart);
  return [...new Set([...codes].filter((c) => !known.has(c)))].sort(byCode);
}

/** Net amount per grootboekrekening of some memorialen. */
export function netPerCode(specs: Array<Pick<MutatieSpec, 'regels'>>): Map<string, number> {
  const net = new Map<string, number>();
  for (const s of specs) for (const r of s.regels) net.set(r.code, (net.get(r.code) ?? 0) + r.cents);
  return net;
}

/** Per account: what is booked now, what the new journal says, and the difference (only accounts that differ). */
export function differences(booked: Array<Pick<MutatieSpec, 'regels'>>, next: Array<Pick<MutatieSpec, 'regels'>>) {
  const a = netPerCode(booked);
  const b = netPerCode(next);
  return [...new Set([...a.keys(), ...b.keys()])]
    .sort(byCode)
    .map((code) => ({ code, bookedCents: a.get(code) ?? 0, newCents: b.get(code) ?? 0, diffCents: (b.get(code) ?? 0) - (a.get(code) ?? 0) }))
    .filter((d) => d.diffCents !== 0);
}

/** "€ 1.234,56" / "€ -0,05": euros the Dutch way, from cents, without floating point. */
export function formatEuro(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  const euros = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `€ ${sign}${euros},${pad2(abs % 100)}`;
}
