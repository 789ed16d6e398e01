/**
 * Wire ↔ typed value conversions at the edge. WerkbonApp sends strings: "0"/"1" flags, amounts
 * "4,55" (materials, werkbonnen) or "50.00" (hour types), dates d-m-Y, times H:i, durations H:i.
 * Every function throws on a malformed value; callers validate with zod first (schemas.ts).
 */

const DECIMAL_RE = /^-?\d+(?:[.,]\d+)?$/;
const DMY_RE = /^(\d{1,2})-(\d{1,2})-(\d{4})$/;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HM_RE = /^(\d{1,2}):(\d{2})$/;
const DURATION_RE = /^(\d+):(\d{2})$/;

export function isDecimalString(v: string): boolean {
  return DECIMAL_RE.test(v.trim());
}

/** "4,55" or "4.55" → 4.55. Only one separator, no thousands grouping (see constants). */
export function parseDecimal(v: string): number {
  const s = v.trim();
  if (!DECIMAL_RE.test(s)) throw new Error(`not a decimal: "${v}"`);
  return Number(s.replace(',', '.'));
}

/** Empty string → null, otherwise parseDecimal. */
export function parseOptionalDecimal(v: string): number | null {
  return v.trim() === '' ? null : parseDecimal(v);
}

/** 12.5 → "12,50" (prices). */
export function formatDecimalComma(n: number, decimals = 2): string {
  assertFinite(n);
  return n.toFixed(decimals).replace('.', ',');
}

/** 50 → "50.00" (hour type prices). */
export function formatDecimalDot(n: number, decimals = 2): string {
  assertFinite(n);
  return n.toFixed(decimals);
}

export function isDmyString(v: string): boolean {
  return DMY_RE.test(v.trim());
}

/** "26-09-2013" → "2013-09-26"; rejects impossible dates. */
export function dmyToIso(v: string): string {
  const m = DMY_RE.exec(v.trim());
  if (!m) throw new Error(`not a d-m-Y date: "${v}"`);
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  assertRealDate(iso);
  return iso;
}

/** Empty string → null (WerkbonApp leaves unset dates empty). */
export function optionalDmyToIso(v: string): string | null {
  return v.trim() === '' ? null : dmyToIso(v);
}

/** "2013-09-26" → "26-09-2013". */
export function isoToDmy(v: string): string {
  const m = ISO_DATE_RE.exec(v);
  if (!m) throw new Error(`not a YYYY-MM-DD date: "${v}"`);
  assertRealDate(v);
  return `${m[3]}-${m[2]}-${m[1]}`;
}

export function isTimeString(v: string): boolean {
  const m = HM_RE.exec(v.trim());
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60;
}

/** "8:30" → "08:30"; empty → null. */
export function normalizeTime(v: string): string | null {
  if (v.trim() === '') return null;
  if (!isTimeString(v)) throw new Error(`not an H:i time: "${v}"`);
  const [h, m] = v.trim().split(':');
  return `${h.padStart(2, '0')}:${m}`;
}

export function isDurationString(v: string): boolean {
  return DURATION_RE.test(v.trim());
}

/** Workperiod TotalTime "03:45" → 225 minutes; empty → 0. */
export function durationToMinutes(v: string): number {
  if (v.trim() === '') return 0;
  const m = DURATION_RE.exec(v.trim());
  if (!m || Number(m[2]) >= 60) throw new Error(`not an H:i duration: "${v}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** "1" → true; "0" or "" → false. */
export function parseFlag(v: string): boolean {
  return v.trim() === '1';
}

export function formatFlag(b: boolean): '0' | '1' {
  return b ? '1' : '0';
}

function assertFinite(n: number): void {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
}

function assertRealDate(iso: string): void {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) throw new Error(`impossible date: "${iso}"`);
}
