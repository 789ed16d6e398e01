/**
 * The four master-data endpoints the koppeling uses (relations, materials, hourtypes, workstatusses):
 * POST an array to upsert by natural key, GET to list. One spec per entity; the handling is shared.
 */
import { MESSAGES, WBA } from './envelope';
import { BATCH_ALL_OR_NOTHING } from './inferred';
import { formatComma, formatDot, isBlank, parseLooseDecimal, toWireString } from './wire';

export type WireRecord = Record<string, string | null>;
export type EntityName = 'relations' | 'materials' | 'hourtypes' | 'workstatusses';

export interface EntitySpec {
  /** Natural key the upsert matches on. */
  key: string;
  /** Every field, in the order GET returns them. */
  fields: readonly string[];
  required: readonly string[];
  missingFieldCode: number;
  failedCode: number;
  /** Validates and normalises one record as the real backend stores it; returns error messages. */
  normalize(rec: WireRecord): string[];
}

function flag(rec: WireRecord, field: string, fallback?: string): string[] {
  const v = rec[field] ?? fallback ?? '';
  if (v !== '0' && v !== '1') return [`Field ${field} must be 1 or 0`];
  rec[field] = v;
  return [];
}

function price(rec: WireRecord, field: string, format: (n: number) => string, optional = false): string[] {
  const raw = rec[field];
  if (optional && isBlank(raw)) {
    rec[field] = format(0);
    return [];
  }
  const n = parseLooseDecimal(raw);
  if (n === null) return [`Price cannot be parsed: ${field}`];
  rec[field] = format(n);
  return [];
}

function coordinate(rec: WireRecord, field: string): string[] {
  if (isBlank(rec[field])) {
    rec[field] = null;
    return [];
  }
  const n = parseLooseDecimal(rec[field]);
  if (n === null) return [`Field ${field} must be a number`];
  rec[field] = n.toFixed(6);
  return [];
}

export const ENTITIES: Record<EntityName, EntitySpec> = {
  relations: {
    key: 'debtor_number',
    fields: ['name', 'debtor_number', 'contact', 'phone_number', 'email', 'email_workorder', 'street', 'house_number', 'postal_code', 'city', 'remark', 'latitude', 'longitude'],
    required: ['name', 'debtor_number', 'street', 'postal_code', 'city'],
    missingFieldCode: WBA.RELATION_MISSING_FIELD,
    failedCode: WBA.RELATION_FAILED,
    normalize: (rec) => [...coordinate(rec, 'latitude'), ...coordinate(rec, 'longitude')],
  },
  materials: {
    key: 'code',
    fields: ['code', 'description', 'price', 'unit', 'eancode', 'barcode', 'freefield1', 'freefield2', 'freefield3', 'freefield4', 'freefield5'],
    required: ['code', 'description', 'price', 'unit'],
    missingFieldCode: WBA.MATERIAL_MISSING_FIELD,
    failedCode: WBA.MATERIAL_FAILED,
    normalize: (rec) => price(rec, 'price', (n) => formatComma(n)),
  },
  hourtypes: {
    key: 'code',
    fields: ['code', 'name', 'cost_booking', 'sale_booking', 'sale_price', 'cost_price', 'active'],
    required: ['code', 'name', 'cost_booking', 'sale_booking', 'sale_price'],
    missingFieldCode: WBA.HOURTYPE_MISSING_FIELD,
    // 1801 also covers "active is not 1 or 0 or price cannot be parsed" (contract B2).
    failedCode: WBA.HOURTYPE_MISSING_FIELD,
    normalize: (rec) => [
      ...flag(rec, 'cost_booking'),
      ...flag(rec, 'sale_booking'),
      ...flag(rec, 'active', '1'),
      ...price(rec, 'sale_price', (n) => formatDot(n)),
      ...price(rec, 'cost_price', (n) => formatDot(n), true),
    ],
  },
  workstatusses: {
    key: 'sta_code',
    fields: ['sta_code', 'sta_name'],
    required: ['sta_code', 'sta_name'],
    missingFieldCode: WBA.WORKSTATUS_MISSING_FIELD,
    failedCode: WBA.WORKSTATUS_FAILED,
    normalize: () => [],
  },
};

export type PrepareResult = { ok: true; records: WireRecord[] } | { ok: false; code: number; messages: string[] };

/**
 * Checks a posted batch: missing required fields first (every one named), then values. Whether one
 * bad record rejects the whole batch is a guess (BATCH_ALL_OR_NOTHING, inferred.ts).
 */
export function prepareBatch(spec: EntitySpec, rows: unknown[]): PrepareResult {
  const objects = rows.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r));
  if (objects.length !== rows.length) return { ok: false, code: WBA.UNPARSABLE_BODY, messages: [MESSAGES.unparsable] };

  const missing = new Set<string>();
  const problems = new Set<string>();
  const records: WireRecord[] = [];
  for (const row of objects) {
    const rowMissing = spec.required.filter((f) => isBlank(row[f]));
    for (const f of rowMissing) missing.add(MESSAGES.requiredMissing(f));
    if (rowMissing.length > 0) continue;
    const rec: WireRecord = {};
    for (const f of spec.fields) rec[f] = toWireString(row[f]);
    const rowProblems = spec.normalize(rec);
    for (const p of rowProblems) problems.add(p);
    if (rowProblems.length === 0) records.push(rec);
  }
  const reject = BATCH_ALL_OR_NOTHING || records.length === 0;
  if (missing.size > 0 && reject) return { ok: false, code: spec.missingFieldCode, messages: [...missing] };
  if (problems.size > 0 && reject) return { ok: false, code: spec.failedCode, messages: [...problems] };
  return { ok: true, records };
}
