/**
 * Names a bookkeeper recognises for the filed documents, and the `period` value sent along. A new
 * version of the same document (a recalculated run) gets "(versie N)": never the same name twice,
 * so nothing is silently overwritten and the dossier shows both.
 */
import { annualDocumentLabel } from '../../../systems/nmbrs/annual-documents';

const MAANDEN = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

const pad2 = (n: number) => String(n).padStart(2, '0');

export interface RunRef {
  year: number;
  number: number;
  periodStart: number;
  periodEnd: number;
}

/** "2026-03", or "2026-01 t/m 02" for a run over several periods. */
export function periodLabel(year: number, start: number, end = start): string {
  return start === end ? `${year}-${pad2(start)}` : `${year}-${pad2(start)} t/m ${pad2(end)}`;
}

const versioned = (base: string, ext: string, version: number) => `${base}${version > 1 ? ` (versie ${version})` : ''}.${ext}`;

export function payslipsName(run: RunRef, version = 1): string {
  return versioned(`Loonstroken ${periodLabel(run.year, run.periodStart, run.periodEnd)} run ${run.number}`, 'pdf', version);
}

export function sepaName(run: RunRef, version = 1): string {
  return versioned(`SEPA salarisbetaling ${periodLabel(run.year, run.periodStart, run.periodEnd)} run ${run.number}`, 'xml', version);
}

/** The declaration period in words: "maart", "4 weken 3", "jaar". */
export function tijdvakText(period: number, tijdvak: string): string {
  switch (tijdvak) {
    case 'Month':
      return MAANDEN[period - 1] ?? `periode ${period}`;
    case 'Week4':
      return `4 weken ${period}`;
    case 'Month6':
      return `halfjaar ${period}`;
    case 'Year':
      return 'jaar';
    default:
      return `periode ${period}`;
  }
}

export function loonaangifteName(w: { year: number; period: number; correction: boolean }, tijdvak: string, version = 1): string {
  return versioned(`Loonaangifte ${periodLabel(w.year, w.period)} (tijdvak ${tijdvakText(w.period, tijdvak)})${w.correction ? ' met correctie' : ''}`, 'xml', version);
}

export function jaarwerkName(kind: string, year: number, version = 1): string {
  return versioned(`${annualDocumentLabel(kind)} ${year}`, 'pdf', version);
}

/** The `period` field of a dossier item: the (first) payroll period, as a plain number. */
export function dossierPeriod(period: number): string {
  return String(period);
}

/** The SEPA execution date for a run: `day` of the month after its last period (monthly runs; others the same month count). */
export function sepaPaymentDate(run: RunRef, day: number): string {
  const month = Math.min(12, run.periodEnd);
  return `${run.year}-${pad2(month)}-${pad2(day)}`;
}
