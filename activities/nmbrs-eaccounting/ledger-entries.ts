/** How a sent voucher is kept in the ledger: enough to recognise it, find it again and reverse it exactly. */
import type { RunEntry } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-plan';
import type { VoucherSpec } from '../../src/koppelingen/nmbrs-eaccounting/domain/voucher';
import type { LedgerDoc } from '../../src/store/types';
import { meta } from './reader';

export function toEntry(d: LedgerDoc): RunEntry {
  const m = meta(d);
  return { key: d._id, role: m.role, version: m.version, tx: m.tx, txCount: m.txCount, status: d.status, attempts: d.attempts, runHash: m.runHash, ...(d.links.reverses ? { reverses: d.links.reverses } : {}) };
}

export function specOf(d: LedgerDoc): VoucherSpec {
  const m = meta(d);
  return { reference: d.reference, date: m.date, text: m.text, rows: m.rows };
}

export function specMeta(spec: VoucherSpec) {
  return { date: spec.date, text: spec.text, rows: spec.rows };
}
