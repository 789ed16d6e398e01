/**
 * The datamapper's transforms and dot paths: pure, no I/O. A transform never throws: it answers a
 * value or a reason (Dutch, shown to the user next to the target field).
 */
import { z } from 'zod';

/** A value a constant, lookup or default may write. */
export const scalarSchema = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalarSchema>;

// Path segments that would reach an object's prototype are never allowed (source or target).
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[(\d{1,4})?\])?$/;

export interface PathSegment {
  key: string;
  /** `rows[2]`: that element; `rows[]`: every element (at most one per path). */
  index?: number | 'each';
}

/** Parse `Rows[].ArticleNumber`, `Barcodes[0]`, `InvoiceAddress1`. Undefined with a reason when invalid. */
export function parsePath(path: string): { segments: PathSegment[] } | { reason: string } {
  if (!path || path.length > 200) return { reason: 'een pad heeft 1 tot 200 tekens' };
  const segments: PathSegment[] = [];
  for (const part of path.split('.')) {
    const m = SEGMENT.exec(part);
    if (!m) return { reason: `"${part}" is geen geldig padstuk (letters, cijfers, _, eventueel [n] of [])` };
    if (FORBIDDEN.has(m[1])) return { reason: `"${m[1]}" is niet toegestaan in een pad` };
    segments.push({ key: m[1], ...(m[2] ? { index: m[3] === undefined ? ('each' as const) : Number(m[3]) } : {}) });
  }
  if (segments.filter((s) => s.index === 'each').length > 1) return { reason: 'hooguit één [] per pad' };
  return { segments };
}

export function isEachPath(path: string): boolean {
  return path.includes('[]');
}

/** The part before `[]` (`Rows[].Quantity` → `Rows`), or undefined for a plain path. */
export function eachPrefix(path: string): string | undefined {
  const i = path.indexOf('[]');
  return i < 0 ? undefined : path.slice(0, i);
}

function own(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** The value at a path without `[]`; undefined when any step is missing. */
export function readPath(source: unknown, path: string): unknown {
  const parsed = parsePath(path);
  if ('reason' in parsed) return undefined;
  let cur: unknown = source;
  for (const s of parsed.segments) {
    cur = own(cur, s.key);
    if (typeof s.index === 'number') cur = Array.isArray(cur) ? cur[s.index] : undefined;
    else if (s.index === 'each') return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The values at a path with `[]`, one per element of that array (empty when it is missing). */
export function readEach(source: unknown, path: string): unknown[] {
  const prefix = eachPrefix(path);
  if (prefix === undefined) return [];
  const list = readPath(source, prefix);
  if (!Array.isArray(list)) return [];
  const rest = path.slice(prefix.length + 2).replace(/^\./, '');
  return list.map((el) => (rest ? readPath(el, rest) : el));
}

/**
 * A path seen from a row: `Rows[].Text` reads the current row (`row`), a plain path the whole
 * record (`root`). Outside row mappings `row` is the record itself.
 */
export function readRelative(path: string, row: unknown, root: unknown): unknown {
  const prefix = eachPrefix(path);
  if (prefix === undefined) return readPath(root, path);
  const rest = path.slice(prefix.length + 2).replace(/^\./, '');
  return rest ? readPath(row, rest) : row;
}

/** Write a value at a plain target path, creating objects on the way (never prototypes). */
export function writePath(target: Record<string, unknown>, path: string, value: unknown): string | undefined {
  const parsed = parsePath(path);
  if ('reason' in parsed) return parsed.reason;
  let cur: Record<string, unknown> = target;
  parsed.segments.forEach((s, i) => {
    if (i === parsed.segments.length - 1) {
      cur[s.key] = value;
      return;
    }
    const next = own(cur, s.key);
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[s.key] = {};
    cur = cur[s.key] as Record<string, unknown>;
  });
  return undefined;
}

// --- transforms --------------------------------------------------------------------------------

const path = z.string().min(1).max(200).superRefine((p, ctx) => {
  const parsed = parsePath(p);
  if ('reason' in parsed) ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.reason });
});

const vatRate = z.number().min(0).max(100);

export const transformSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('constant'), value: scalarSchema }).strict(),
  /** The mapping's value (when it has a source) followed by the values at `sources`, empty ones left out. */
  z.object({ type: z.literal('concatenate'), sources: z.array(path).min(1).max(20), separator: z.string().max(20).default(' ') }).strict(),
  z.object({ type: z.literal('upper') }).strict(),
  z.object({ type: z.literal('lower') }).strict(),
  z.object({ type: z.literal('substring'), start: z.number().int().min(0).max(10_000), length: z.number().int().min(0).max(10_000).optional() }).strict(),
  z
    .object({
      type: z.literal('lookup'),
      // A list, not an object: source values such as "B.V." or "$" cannot be MongoDB field names.
      table: z.array(z.object({ from: z.string().max(200), to: scalarSchema }).strict()).min(1).max(500),
      default: scalarSchema.optional(),
    })
    .strict(),
  /** Rounded (half away from zero) to `decimals`; as a number, or as text ("12,50" with decimalSeparator ","). */
  z
    .object({
      type: z.literal('numberFormat'),
      decimals: z.number().int().min(0).max(6),
      output: z.enum(['number', 'text']).default('number'),
      decimalSeparator: z.enum(['.', ',']).default('.'),
    })
    .strict(),
  z.object({ type: z.literal('dateFormat'), pattern: z.string().min(1).max(40).regex(/^[yMdHms\-/ .:T]+$/, 'alleen yyyy, MM, dd, HH, mm, ss en - / . : T of spatie') }).strict(),
  z.object({ type: z.literal('vatInclToExcl'), rate: vatRate.optional(), rateSource: path.optional(), decimals: z.number().int().min(0).max(6).default(2) }).strict(),
  z.object({ type: z.literal('vatExclToIncl'), rate: vatRate.optional(), rateSource: path.optional(), decimals: z.number().int().min(0).max(6).default(2) }).strict(),
  /** When the value is missing or blank: a constant, or the value at another source path. */
  z.object({ type: z.literal('defaultWhenEmpty'), value: scalarSchema.optional(), source: path.optional() }).strict(),
]);
export type Transform = z.input<typeof transformSchema>;

/** A lookup table names each source value once. */
export const checkedTransformSchema = transformSchema.superRefine((t, ctx) => {
  if (t.type !== 'lookup') return;
  const seen = new Set<string>();
  t.table.forEach((e, i) => {
    if (seen.has(e.from)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['table', i, 'from'], message: `"${e.from}" staat al eerder in de tabel` });
    seen.add(e.from);
  });
});
export type ParsedTransform = z.output<typeof transformSchema>;

export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

type Result = { value: unknown } | { reason: string };

function describe(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** A number from a number or a numeric text ("12.50", "12,50", " 7 "); undefined otherwise. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  // A single decimal comma (Dutch notation) counts; thousands separators are too ambiguous.
  const norm = /^-?\d+,\d+$/.test(t) ? t.replace(',', '.') : t;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(norm)) return undefined;
  const n = Number(norm);
  return Number.isFinite(n) ? n : undefined;
}

/** Round half away from zero at `decimals` (2.675 → 2.68: the shown decimals, not the binary value). */
export function round(n: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(Math.abs(n) * f + 1e-9) / f;
  return n < 0 ? -r : r;
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date from ISO text (date or date-time) or epoch ms; dates without a zone are read as UTC. */
function toDate(v: unknown): Date | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return undefined;
  const iso = DATE_ONLY.test(t) ? `${t}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(t) ? t.replace(' ', 'T') : `${t.replace(' ', 'T')}Z`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  // 2026-02-30 parses as March 2nd: refuse a date that does not exist.
  if (d.toISOString().slice(0, 10) !== t.slice(0, 10)) return undefined;
  return d;
}

export function formatDate(d: Date, pattern: string): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const parts: Record<string, string> = {
    yyyy: pad(d.getUTCFullYear(), 4),
    MM: pad(d.getUTCMonth() + 1),
    dd: pad(d.getUTCDate()),
    HH: pad(d.getUTCHours()),
    mm: pad(d.getUTCMinutes()),
    ss: pad(d.getUTCSeconds()),
  };
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss/g, (tok) => parts[tok]);
}

/** A VAT rate from a record: percent (21) or, at most 1, a fraction (0.21). INFERRED: eAccounting gives both forms in places. */
function rateOf(t: { rate?: number; rateSource?: string }, record: unknown, root: unknown): { rate: number } | { reason: string } {
  if (t.rate !== undefined) return { rate: t.rate };
  const raw = readRelative(t.rateSource ?? '', record, root);
  const n = toNumber(raw);
  if (n === undefined || n < 0 || n > 100) return { reason: `btw-tarief in ${t.rateSource} is geen percentage (${describe(raw)})` };
  return { rate: n <= 1 && n > 0 ? n * 100 : n };
}

/**
 * One transform on a value. `record` is the source record (or, for `[]` mappings, the row),
 * for transforms that read other fields.
 */
export function applyTransform(t: ParsedTransform, value: unknown, record: unknown, root: unknown): Result {
  switch (t.type) {
    case 'constant':
      return { value: t.value };
    case 'concatenate': {
      const parts = [value, ...t.sources.map((p) => readRelative(p, record, root))];
      const texts: string[] = [];
      for (const p of parts) {
        if (isEmpty(p)) continue;
        const s = asText(p);
        if (s === undefined) return { reason: `samenvoegen kan alleen tekst en getallen, niet ${describe(p)}` };
        texts.push(s);
      }
      return { value: texts.length ? texts.join(t.separator) : undefined };
    }
    case 'upper':
    case 'lower': {
      if (isEmpty(value)) return { value };
      const s = asText(value);
      if (s === undefined) return { reason: `${t.type === 'upper' ? 'hoofdletters' : 'kleine letters'} kan alleen op tekst, niet op ${describe(value)}` };
      return { value: t.type === 'upper' ? s.toUpperCase() : s.toLowerCase() };
    }
    case 'substring': {
      if (isEmpty(value)) return { value };
      const s = asText(value);
      if (s === undefined) return { reason: `een deel nemen kan alleen van tekst, niet van ${describe(value)}` };
      const chars = Array.from(s); // by code point: never half an emoji
      return { value: chars.slice(t.start, t.length === undefined ? undefined : t.start + t.length).join('') };
    }
    case 'lookup': {
      const key = value === undefined || value === null ? '' : asText(value);
      const hit = key === undefined ? undefined : t.table.find((e) => e.from === key);
      if (hit) return { value: hit.to };
      if (t.default !== undefined) return { value: t.default };
      return { reason: `${describe(value)} staat niet in de opzoektabel en er is geen standaardwaarde` };
    }
    case 'numberFormat': {
      if (isEmpty(value)) return { value: undefined };
      const n = toNumber(value);
      if (n === undefined) return { reason: `${describe(value)} is geen getal` };
      const r = round(n, t.decimals);
      return { value: t.output === 'text' ? r.toFixed(t.decimals).replace('.', t.decimalSeparator) : r };
    }
    case 'dateFormat': {
      if (isEmpty(value)) return { value: undefined };
      const d = toDate(value);
      if (!d) return { reason: `${describe(value)} is geen datum (verwacht yyyy-MM-dd of een ISO-tijdstip)` };
      return { value: formatDate(d, t.pattern) };
    }
    case 'vatInclToExcl':
    case 'vatExclToIncl': {
      if (isEmpty(value)) return { value: undefined };
      const n = toNumber(value);
      if (n === undefined) return { reason: `${describe(value)} is geen bedrag` };
      const r = rateOf(t, record, root);
      if ('reason' in r) return r;
      const factor = 1 + r.rate / 100;
      return { value: round(t.type === 'vatInclToExcl' ? n / factor : n * factor, t.decimals) };
    }
    case 'defaultWhenEmpty': {
      if (!isEmpty(value)) return { value };
      if (t.source !== undefined) {
        const other = readRelative(t.source, record, root);
        if (!isEmpty(other)) return { value: other };
      }
      return { value: t.value };
    }
  }
}
