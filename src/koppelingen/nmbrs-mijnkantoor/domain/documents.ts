/**
 * What makes a filed document "the same": a fingerprint from the listing (so an idle hour needs no
 * downloads) and a content hash of what was downloaded. A SEPA file's creation time and message id
 * change on every download (INFERRED, see the Nmbrs simulator), so only its payments count.
 */
import { XMLParser } from 'fast-xml-parser';

/** A run's listing fingerprint: a recalculated run shows a new RunAt (INFERRED), a lock flips IsLocked. */
export function runFingerprint(r: { runAt: string; isLocked: boolean; description?: string }): string {
  return `${r.runAt}|${r.isLocked}|${r.description ?? ''}`;
}

export function wageTaxFingerprint(w: { status: string; totalGeneral: number; sentAt: string; correctionTijdvakStart: string; serialNumber: number }): string {
  return `${w.status}|${w.totalGeneral}|${w.sentAt}|${w.correctionTijdvakStart}|${w.serialNumber}`;
}

/** A declaration carries a correction when its correction tijdvak is set (not the .NET zero date). */
export function isCorrection(w: { correctionTijdvakStart: string }): boolean {
  return !w.correctionTijdvakStart.startsWith('0001-');
}

/** Case-insensitive status filter; the seed's default is `locked`. */
export function statusAllowed(status: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => a.toLowerCase() === status.trim().toLowerCase());
}

/** The payments of a pain.001 file, in a stable form: execution date, then per transaction id, amount, IBAN. */
export function sepaPayments(xml: string): string {
  const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true }).parse(xml);
  const pmts = [doc?.Document?.CstmrCdtTrfInitn?.PmtInf].flat().filter(Boolean);
  const lines: string[] = [];
  for (const p of pmts) {
    lines.push(`date ${String(p.ReqdExctnDt ?? '')}`);
    for (const t of [p.CdtTrfTxInf].flat().filter(Boolean)) {
      const amount = t?.Amt?.InstdAmt;
      lines.push(`${String(t?.PmtId?.EndToEndId ?? '')} ${String(typeof amount === 'object' ? amount['#text'] : amount)} ${String(t?.CdtrAcct?.Id?.IBAN ?? '')}`);
    }
  }
  if (lines.length === 0) throw new Error('SEPA file without payments (PmtInf)');
  return lines.join('\n');
}
