/**
 * WerkbonApp wire formats, the simulator's own copy (the simulator stands in for the real system,
 * so it does not share conversion code with the connector it is testing).
 * Materials/werkbonnen: decimal comma "4,55"; hour types: dot "50.00"; dates d-m-Y; times H:i.
 */
const DECIMAL_RE = /^-?\d+(?:[.,]\d+)?$/;
const DMY_RE = /^(\d{2})-(\d{2})-(\d{4})$/;
const HM_RE = /^(\d{1,2}):(\d{2})$/;

/** Accepts "4,55", "4.55" or a number; no thousands separators. */
export function parseLooseDecimal(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (!DECIMAL_RE.test(s)) return null;
  return Number(s.replace(',', '.'));
}

export function formatComma(n: number, decimals = 2): string {
  return n.toFixed(decimals).replace('.', ',');
}

/** Quantities keep only the decimals they need: 2 → "2", 12.5 → "12,5". */
export function formatCommaQuantity(n: number): string {
  return String(Math.round(n * 1000) / 1000).replace('.', ',');
}

export function formatDot(n: number, decimals = 2): string {
  return n.toFixed(decimals);
}

export function isValidDmy(v: string): boolean {
  const m = DMY_RE.exec(v);
  if (!m) return false;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** "26-09-2013" → "2013-09-26" (for CreationDate, which is Y-m-d H:i). */
export function dmyToYmd(v: string): string | null {
  const m = DMY_RE.exec(v);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
}

export function parseHm(v: string): number | null {
  const m = HM_RE.exec(v.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

export function formatHm(totalMinutes: number): string {
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** A value counts as given when it is not null/undefined and not blank (the API treats "" as missing). */
export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Scalars arrive as strings or numbers; the API stores and returns strings. */
export function toWireString(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : String(v);
}
