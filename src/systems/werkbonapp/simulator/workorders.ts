/**
 * Werkbon records in WerkbonApp's wire shape (contract B5): every scalar a string, Workperiods and
 * Materials as arrays. `buildWorkorder` turns the control API's lenient input into a full record.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { WireRecord } from './records';
import type { WorkorderStatus } from './status';
import { WORKORDER_STATUSES } from './status';
import { dmyToYmd, formatComma, formatCommaQuantity, formatHm, parseHm, parseLooseDecimal, toWireString } from './wire';

const PARTY_FIELDS = ['Name', 'DebtorNr', 'Street', 'StreetNo', 'Email', 'ZIP', 'City', 'ContactPerson', 'Phone', 'Remark'] as const;

/** Scalar fields in the order GetWorkorder(s) returns them (after `id`). */
export const WORKORDER_SCALARS = [
  'WorkorderNo', 'OrderNr', 'WorkDate', 'WorkTime', 'WorkEndDate', 'WorkEndTime', 'ProjectNr', 'ExternProjectNr',
  ...PARTY_FIELDS.map((f) => `Customer${f}`), 'CustomerLatitude', 'CustomerLongitude',
  ...PARTY_FIELDS.map((f) => `Customer${f}Invoice`),
  'TypeOfWork', 'WorkDescription', 'PaymentMethod', 'CreationDate', 'Archived', 'EmployeeNr', 'Signature',
  'SignatureUrl', 'PdfUrl', 'WordUrl', 'WorksheetCode', 'status', 'WorkFinished', 'InternalWorkDescription',
  'ShortWorkDescription', 'WorkDuration', 'WorkStatus', 'WorkDeadline', 'PickupPlanning', 'WebPlanning', 'CpnCode',
  'AdrCode', 'Comment', 'ErrorCode', 'ErrorMessage', 'SolutionCode', 'SolutionMessage', 'PriorityCode',
  'PriorityMessage', 'MinimumHours', 'RoundingAmount',
] as const;

export interface WireWorkperiod {
  WorkDate: string;
  BeginTime: string;
  EndTime: string;
  Break: string;
  TotalTime: string;
  Travel: string;
  WorkRemark: string;
  HourType: string;
  EmployeeNr: string;
}

export interface WireWorkorderMaterial {
  MaterialCode: string;
  MaterialNr: string;
  MaterialPrice: string;
  MaterialTotalPrice: string;
  MaterialName: string;
  MaterialUnit: string;
  MaterialType: string | null;
  MaterialFreeField1: string | null;
  MaterialFreeField2: string | null;
  MaterialFreeField3: string | null;
  MaterialFreeField4: string | null;
  MaterialFreeField5: string | null;
}

export interface WireWorkorder {
  scalars: Record<string, string>;
  Workperiods: WireWorkperiod[];
  Materials: WireWorkorderMaterial[];
}

const scalar = z.union([z.string(), z.number(), z.null()]);

export const workperiodInputSchema = z.object({
  WorkDate: z.string(),
  BeginTime: z.string(),
  EndTime: z.string(),
  Break: scalar.optional(),
  TotalTime: z.string().optional(),
  Travel: scalar.optional(),
  WorkRemark: z.string().optional(),
  HourType: z.string().optional(),
  EmployeeNr: scalar.optional(),
});

export const materialInputSchema = z.object({
  MaterialCode: z.string().min(1),
  /** Quantity; a number is written with a decimal comma. */
  MaterialNr: z.union([z.string(), z.number()]),
  MaterialPrice: z.union([z.string(), z.number()]),
  MaterialName: z.string(),
  MaterialUnit: z.string().optional(),
  MaterialType: z.string().nullable().optional(),
});

/** Control API input: wire field names, only the werkbon number and invoice debtor required. */
export const workorderInputSchema = z
  .object({
    WorkorderNo: z.string().min(1),
    CustomerDebtorNrInvoice: z.string().min(1),
    status: z.enum(WORKORDER_STATUSES).optional(),
    WorkStatus: z.string().optional(),
    Workperiods: z.array(workperiodInputSchema).optional(),
    Materials: z.array(materialInputSchema).optional(),
  })
  .catchall(scalar);
export type WorkorderInput = z.infer<typeof workorderInputSchema>;

export function buildWorkperiod(p: z.infer<typeof workperiodInputSchema>): WireWorkperiod {
  const brk = toWireString(p.Break ?? '0') || '0';
  const begin = parseHm(p.BeginTime);
  const end = parseHm(p.EndTime);
  let total = p.TotalTime ?? '';
  if (!total && begin !== null && end !== null) {
    // Past midnight (storingsdienst) wraps to the next day.
    const minutes = ((end - begin + 24 * 60) % (24 * 60)) - (Number(brk) || 0);
    total = formatHm(Math.max(0, minutes));
  }
  return {
    WorkDate: p.WorkDate,
    BeginTime: p.BeginTime,
    EndTime: p.EndTime,
    Break: brk,
    TotalTime: total,
    Travel: toWireString(p.Travel ?? '0'),
    WorkRemark: p.WorkRemark ?? '',
    HourType: p.HourType ?? '',
    EmployeeNr: toWireString(p.EmployeeNr ?? ''),
  };
}

export function buildMaterial(m: z.infer<typeof materialInputSchema>): WireWorkorderMaterial {
  const nr = typeof m.MaterialNr === 'number' ? formatCommaQuantity(m.MaterialNr) : m.MaterialNr;
  const price = typeof m.MaterialPrice === 'number' ? formatComma(m.MaterialPrice) : m.MaterialPrice;
  const qty = parseLooseDecimal(nr);
  const unitPrice = parseLooseDecimal(price);
  const total = qty !== null && unitPrice !== null ? formatComma(Math.round(qty * unitPrice * 100) / 100) : '';
  return {
    MaterialCode: m.MaterialCode,
    MaterialNr: nr,
    MaterialPrice: price,
    MaterialTotalPrice: total,
    MaterialName: m.MaterialName,
    MaterialUnit: m.MaterialUnit ?? '',
    MaterialType: m.MaterialType ?? null,
    MaterialFreeField1: null,
    MaterialFreeField2: null,
    MaterialFreeField3: null,
    MaterialFreeField4: null,
    MaterialFreeField5: null,
  };
}

/**
 * Fills a full record. Invoice party fields missing from the input come from the stored relation
 * with that debtor number; work-location fields default to the invoice party.
 */
export function buildWorkorder(rowId: number, input: WorkorderInput, invoiceRelation?: WireRecord): WireWorkorder {
  const s: Record<string, string> = {};
  for (const f of WORKORDER_SCALARS) s[f] = '';
  for (const [k, v] of Object.entries(input)) {
    if (k !== 'Workperiods' && k !== 'Materials' && (WORKORDER_SCALARS as readonly string[]).includes(k)) s[k] = toWireString(v);
  }
  const rel = invoiceRelation ?? {};
  const fromRelation: Record<string, string> = {
    Name: rel.name ?? '',
    Street: rel.street ?? '',
    StreetNo: rel.house_number ?? '',
    Email: rel.email ?? '',
    ZIP: rel.postal_code ?? '',
    City: rel.city ?? '',
    ContactPerson: rel.contact ?? '',
    Phone: rel.phone_number ?? '',
    Remark: '',
  };
  for (const f of PARTY_FIELDS) {
    const inv = `Customer${f}Invoice`;
    if (!s[inv]) s[inv] = fromRelation[f] ?? '';
    if (!s[`Customer${f}`]) s[`Customer${f}`] = s[inv];
  }
  const status: WorkorderStatus = input.status ?? 'Klaargezet';
  // Deterministic stand-ins for what the backoffice/tablet would generate.
  const sheet = createHash('md5').update(`werkbon-${rowId}`).digest('hex');
  s.status = status;
  s.OrderNr ||= `WBA${String(rowId).padStart(6, '0')}`;
  s.WorksheetCode ||= sheet;
  s.CreationDate ||= `${dmyToYmd(s.WorkDate) ?? '2025-01-01'} 07:00`;
  s.TypeOfWork ||= 'Service';
  s.PaymentMethod ||= 'op rekening';
  s.Archived ||= '0';
  s.WorkFinished ||= status === 'Compleet' || status === 'Afgehandeld' ? '1' : '0';
  s.WorkDuration ||= '0';
  s.PickupPlanning ||= '0';
  s.WebPlanning ||= '0';
  s.MinimumHours ||= '0.00';
  s.RoundingAmount ||= '0.00';
  return {
    scalars: s,
    Workperiods: (input.Workperiods ?? []).map(buildWorkperiod),
    Materials: (input.Materials ?? []).map(buildMaterial),
  };
}

/** The JSON GetWorkorder(s) returns for one werkbon. */
export function renderWorkorder(rowId: number, w: WireWorkorder): Record<string, unknown> {
  return {
    id: String(rowId),
    ...w.scalars,
    Photos: [],
    Workperiods: w.Workperiods.map((p) => ({ ...p })),
    Materials: w.Materials.map((m) => ({ ...m })),
    Documents: [],
    Forms: [],
    Employees: [],
    WorkObjects: [],
  };
}
