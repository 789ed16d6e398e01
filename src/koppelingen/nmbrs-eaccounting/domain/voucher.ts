/**
 * Nmbrs loonjournaalpost → Visma eAccounting voucher. Pure; amounts are integer cents until the
 * very edge (toVoucherInput), so sums never drift.
 *
 * The journal itself (compacted per dim1 + debet/credit, hashed on dates and amounts) and the
 * version plan (reversal + new version of a changed run, resuming an interrupted one) are the same
 * as for e-Boekhouden and come from that koppeling's domain (../../nmbrs-eboekhouden/domain).
 *
 * INFERRED choices of this koppeling, kept here so they are easy to correct:
 * - One voucher per journal transaction (Nmbrs sends one per run period), dated per its header.
 * - VoucherText starts with the reference NMBRS-<company>-<year>-<run>[-T<n>][-V<n>] (reversal:
 *   -TB) followed by a space, then company, year and run. eAccounting has no idempotency key, so
 *   after a crash the voucher is found again by that text on its date (contract §2.6 step 5).
 * - Each row carries the Nmbrs description as TransactionText, cut to 60 characters (§2.5).
 * - An account number is the mapping's value for the dim1, else the dim1 itself; it must be a
 *   whole number ≥ 1 (VoucherRow.AccountNumber is int64).
 */
import type { JournalRun, JournalTx } from '../../nmbrs-eboekhouden/domain/journal-mutatie';
import { periodLabel, referenceFor, reversalReference, signedCents, targetCode } from '../../nmbrs-eboekhouden/domain/journal-mutatie';

export const TRANSACTION_TEXT_MAX = 60;
export const VOUCHER_TEXT_MAX = 1000;

export interface VoucherRowSpec {
  account: string;
  /** + debet, − credit. */
  cents: number;
  text: string;
}

export interface VoucherSpec {
  reference: string;
  date: string;
  text: string;
  rows: VoucherRowSpec[];
}

/** What the connector posts (its VoucherInput), built here so the domain owns the amounts. */
export interface VoucherPayload {
  VoucherDate: string;
  VoucherText: string;
  Rows: Array<{ AccountNumber: number; DebitAmount: number; CreditAmount: number; TransactionText?: string }>;
}

export function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

export function voucherText(reference: string, run: JournalRun, companyName: string | undefined, extra: string[] = []): string {
  const who = companyName ? `${companyName} (${run.companyId})` : `bedrijf ${run.companyId}`;
  return clip(`${reference} Nmbrs loonjournaal ${who} ${run.year} run ${run.number}, periode ${periodLabel(run)}${extra.length ? `, ${extra.join(', ')}` : ''}`, VOUCHER_TEXT_MAX);
}

/** The vouchers of one version of a run, one per transaction, in transaction order. */
export function buildVouchers(run: JournalRun, txs: JournalTx[], mapping: Record<string, string>, version: number, companyName?: string): VoucherSpec[] {
  return txs.map((t, i) => {
    const reference = referenceFor(run, version, i, txs.length);
    const extra = [...(txs.length > 1 ? [`deel ${i + 1}/${txs.length}`] : []), ...(version > 1 ? [`versie ${version}`] : [])];
    return {
      reference,
      date: t.date,
      text: voucherText(reference, run, companyName, extra),
      rows: t.regels.map((r) => ({ account: targetCode(r.dim1, mapping), cents: signedCents(r), text: clip(r.description || `Looncode ${r.dim1}`, TRANSACTION_TEXT_MAX) })),
    };
  });
}

/** The exact opposite of a sent voucher, on the same date. */
export function buildReversal(original: VoucherSpec): VoucherSpec {
  const reference = reversalReference(original.reference);
  const rest = original.text.startsWith(`${original.reference} `) ? original.text.slice(original.reference.length + 1) : original.text;
  return {
    reference,
    date: original.date,
    text: clip(`${reference} Tegenboeking van ${original.reference}: ${rest}`, VOUCHER_TEXT_MAX),
    rows: original.rows.map((r) => ({ account: r.account, cents: -r.cents, text: clip(`Tegenboeking ${r.text}`, TRANSACTION_TEXT_MAX) })),
  };
}

export function isBalanced(rows: Array<{ cents: number }>): boolean {
  return rows.reduce((s, r) => s + r.cents, 0) === 0;
}

export function isAccountNumber(account: string): boolean {
  return /^[1-9]\d{0,17}$/.test(account);
}

/** Cents → euros (exact to 2 decimals), debit or credit column. */
export function toVoucherInput(spec: VoucherSpec): VoucherPayload {
  return {
    VoucherDate: spec.date,
    VoucherText: spec.text,
    Rows: spec.rows.map((r) => ({
      AccountNumber: Number(r.account),
      DebitAmount: r.cents > 0 ? r.cents / 100 : 0,
      CreditAmount: r.cents < 0 ? -r.cents / 100 : 0,
      TransactionText: r.text,
    })),
  };
}

export interface AccountInfo {
  Number: string;
  IsActive: boolean;
  IsBlockedForManualBooking: boolean;
}

export interface AccountCheck {
  missing: string[];
  blocked: string[];
}

/** Which accounts of the specs do not exist (or are not a number), and which refuse bookings. Sorted, unique. */
export function checkAccounts(specs: Array<Pick<VoucherSpec, 'rows'>>, accounts: AccountInfo[]): AccountCheck {
  const byNumber = new Map(accounts.map((a) => [a.Number, a]));
  const used = [...new Set(specs.flatMap((s) => s.rows.map((r) => r.account)))].sort((a, b) => a.localeCompare(b, 'nl', { numeric: true }));
  const missing = used.filter((a) => !isAccountNumber(a) || !byNumber.has(a));
  const blocked = used.filter((a) => {
    const x = byNumber.get(a);
    return x !== undefined && (x.IsBlockedForManualBooking || !x.IsActive);
  });
  return { missing, blocked };
}

export interface FiscalYearInfo {
  Id: string;
  StartDate: string;
  EndDate: string;
  IsLockedForAccounting: boolean;
}

/** The fiscal year a date falls in (contract §2.6 step 1). */
export function fiscalYearFor<T extends FiscalYearInfo>(date: string, years: T[]): T | undefined {
  return years.find((y) => y.StartDate.slice(0, 10) <= date && date <= y.EndDate.slice(0, 10));
}

/** A date Visma will refuse: its year is locked, or it is on or before AccountingLockedTo. */
export function isLocked(date: string, year: FiscalYearInfo | undefined, accountingLockedTo: string | null | undefined): boolean {
  return !!year?.IsLockedForAccounting || (!!accountingLockedTo && date <= accountingLockedTo.slice(0, 10));
}

/** An earlier voucher of this reference among Visma's vouchers of its date (the uncertain-outcome lookup). */
export function findVoucher<T extends { Id: string; VoucherText: string; VoucherDate: string }>(vouchers: T[], reference: string, date: string): T | undefined {
  return vouchers.find((v) => v.VoucherDate.slice(0, 10) === date && (v.VoucherText === reference || v.VoucherText.startsWith(`${reference} `)));
}
