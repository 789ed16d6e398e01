/** How a booked memoriaal is kept in the ledger: enough to recognise it and to reverse it exactly. */
import { totals, type MutatieSpec } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import type { RunEntry } from '../../src/koppelingen/nmbrs-eboekhouden/domain/journal-plan';
import type { LedgerDoc } from '../../src/store/types';

export interface MemoriaalMeta {
  runKey: string;
  runId: number;
  year: number;
  companyId: number;
  runNumber: number;
  period: string;
  role: RunEntry['role'];
  version: number;
  tx: number;
  txCount: number;
  runHash: string;
  datum: string;
  omschrijving: string;
  regels: MutatieSpec['regels'];
  debetCents: number;
  creditCents: number;
  cycleNo?: number;
}

export const meta = (d: LedgerDoc) => d.meta as unknown as MemoriaalMeta;

export function toEntry(d: LedgerDoc): RunEntry {
  const m = meta(d);
  return {
    key: d._id,
    role: m.role,
    version: m.version,
    tx: m.tx,
    txCount: m.txCount,
    status: d.status,
    attempts: d.attempts,
    runHash: m.runHash,
    ...(d.links.reverses ? { reverses: d.links.reverses } : {}),
  };
}

export function specOf(d: LedgerDoc): MutatieSpec {
  const m = meta(d);
  return { reference: d.reference, datum: m.datum, omschrijving: m.omschrijving, regels: m.regels };
}

export function specMeta(spec: MutatieSpec) {
  return { datum: spec.datum, omschrijving: spec.omschrijving, regels: spec.regels, ...totals(spec.regels) };
}
