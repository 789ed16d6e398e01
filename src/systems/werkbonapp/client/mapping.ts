/**
 * Wire records ↔ typed entities. Pure functions; inputs were validated by schemas.ts, so a
 * conversion that throws here means a bug, not bad data.
 */
import {
  durationToMinutes,
  formatDecimalComma,
  formatDecimalDot,
  formatFlag,
  isoToDmy,
  normalizeTime,
  optionalDmyToIso,
  parseDecimal,
  parseFlag,
  parseOptionalDecimal,
} from './convert';
import type {
  WireHourType,
  WireMaterial,
  WireRelation,
  WireWorkorder,
  WireWorkorderMaterial,
  WireWorkperiod,
} from './schemas';
import type {
  HourType,
  HourTypeInput,
  Material,
  MaterialInput,
  Relation,
  RelationInput,
  Workorder,
  WorkorderChanges,
  WorkorderMaterial,
  WorkorderParty,
  Workperiod,
  Workstatus,
} from './types';

export function relationFromWire(w: WireRelation): Relation {
  return {
    debtorNumber: w.debtor_number,
    name: w.name,
    contact: w.contact,
    phoneNumber: w.phone_number,
    email: w.email,
    emailWorkorder: w.email_workorder,
    street: w.street,
    houseNumber: w.house_number,
    postalCode: w.postal_code,
    city: w.city,
    remark: w.remark,
    latitude: parseOptionalDecimal(w.latitude),
    longitude: parseOptionalDecimal(w.longitude),
  };
}

export function relationToWire(r: RelationInput): Record<string, string | null> {
  return {
    name: r.name,
    debtor_number: r.debtorNumber,
    contact: r.contact ?? '',
    phone_number: r.phoneNumber ?? '',
    email: r.email ?? '',
    email_workorder: r.emailWorkorder ?? '',
    street: r.street,
    house_number: r.houseNumber ?? '',
    postal_code: r.postalCode,
    city: r.city,
    remark: r.remark ?? '',
    // Float(10,6) on their side: a plain dot decimal.
    latitude: r.latitude == null ? null : r.latitude.toFixed(6),
    longitude: r.longitude == null ? null : r.longitude.toFixed(6),
  };
}

export function materialFromWire(w: WireMaterial): Material {
  return {
    code: w.code,
    description: w.description,
    price: parseDecimal(w.price),
    unit: w.unit,
    eancode: w.eancode,
    barcode: w.barcode,
    freeFields: [w.freefield1, w.freefield2, w.freefield3, w.freefield4, w.freefield5],
  };
}

export function materialToWire(m: MaterialInput): Record<string, string> {
  const free = m.freeFields ?? [];
  return {
    code: m.code,
    description: m.description,
    price: formatDecimalComma(m.price),
    unit: m.unit,
    eancode: m.eancode ?? '',
    barcode: m.barcode ?? '',
    freefield1: free[0] ?? '',
    freefield2: free[1] ?? '',
    freefield3: free[2] ?? '',
    freefield4: free[3] ?? '',
    freefield5: free[4] ?? '',
  };
}

export function hourTypeFromWire(w: WireHourType): HourType {
  return {
    code: w.code,
    name: w.name,
    costBooking: parseFlag(w.cost_booking),
    saleBooking: parseFlag(w.sale_booking),
    salePrice: parseDecimal(w.sale_price),
    costPrice: parseOptionalDecimal(w.cost_price),
    // An hour type without the flag counts as active (the API's own default).
    active: w.active === '' ? true : parseFlag(w.active),
  };
}

/** Hour types use a dot decimal ("50.00"), unlike materials. */
export function hourTypeToWire(h: HourTypeInput): Record<string, string> {
  const wire: Record<string, string> = {
    code: h.code,
    name: h.name,
    cost_booking: formatFlag(h.costBooking),
    sale_booking: formatFlag(h.saleBooking),
    sale_price: formatDecimalDot(h.salePrice),
    active: formatFlag(h.active ?? true),
  };
  if (h.costPrice != null) wire.cost_price = formatDecimalDot(h.costPrice);
  return wire;
}

export function workstatusFromWire(w: { sta_code: string; sta_name: string }): Workstatus {
  return { code: w.sta_code, name: w.sta_name };
}

function workperiodFromWire(p: WireWorkperiod): Workperiod {
  const totalMinutes = durationToMinutes(p.TotalTime);
  return {
    workDate: optionalDmyToIso(p.WorkDate),
    beginTime: normalizeTime(p.BeginTime),
    endTime: normalizeTime(p.EndTime),
    breakMinutes: parseOptionalDecimal(p.Break) ?? 0,
    totalMinutes,
    hours: totalMinutes / 60,
    travel: parseOptionalDecimal(p.Travel),
    remark: p.WorkRemark,
    hourType: p.HourType,
    employeeNr: p.EmployeeNr,
  };
}

function workorderMaterialFromWire(m: WireWorkorderMaterial): WorkorderMaterial {
  return {
    code: m.MaterialCode,
    name: m.MaterialName,
    quantity: parseDecimal(m.MaterialNr),
    price: parseDecimal(m.MaterialPrice),
    totalPrice: parseOptionalDecimal(m.MaterialTotalPrice),
    unit: m.MaterialUnit,
    type: m.MaterialType,
    freeFields: [m.MaterialFreeField1, m.MaterialFreeField2, m.MaterialFreeField3, m.MaterialFreeField4, m.MaterialFreeField5],
  };
}

function party(w: WireWorkorder, invoice: boolean): WorkorderParty {
  const f = (name: string) => (w as unknown as Record<string, string>)[`Customer${name}${invoice ? 'Invoice' : ''}`] ?? '';
  return {
    name: f('Name'),
    debtorNr: f('DebtorNr'),
    street: f('Street'),
    streetNo: f('StreetNo'),
    email: f('Email'),
    zip: f('ZIP'),
    city: f('City'),
    contactPerson: f('ContactPerson'),
    phone: f('Phone'),
    remark: f('Remark'),
  };
}

export function workorderFromWire(w: WireWorkorder): Workorder {
  return {
    id: w.id,
    workorderNo: w.WorkorderNo,
    orderNr: w.OrderNr,
    worksheetCode: w.WorksheetCode,
    status: w.status,
    workStatus: w.WorkStatus,
    workFinished: parseFlag(w.WorkFinished),
    archived: parseFlag(w.Archived),
    typeOfWork: w.TypeOfWork,
    workDescription: w.WorkDescription,
    internalWorkDescription: w.InternalWorkDescription,
    shortWorkDescription: w.ShortWorkDescription,
    paymentMethod: w.PaymentMethod,
    employeeNr: w.EmployeeNr,
    workDate: optionalDmyToIso(w.WorkDate),
    workTime: normalizeTime(w.WorkTime),
    workEndDate: optionalDmyToIso(w.WorkEndDate),
    workEndTime: normalizeTime(w.WorkEndTime),
    projectNr: w.ProjectNr,
    externProjectNr: w.ExternProjectNr,
    creationDate: w.CreationDate.trim() === '' ? null : w.CreationDate.trim(),
    comment: w.Comment,
    pdfUrl: w.PdfUrl,
    customer: party(w, false),
    invoiceCustomer: party(w, true),
    workperiods: w.Workperiods.map(workperiodFromWire),
    materials: w.Materials.map(workorderMaterialFromWire),
  };
}

/** UpdateWorkorder query parameters for the field changes (status is handled separately). */
export function workorderChangesToParams(c: WorkorderChanges): Record<string, string> {
  const p: Record<string, string> = {};
  if (c.workDate !== undefined) p.workdate = isoToDmy(c.workDate);
  if (c.workTime !== undefined) p.worktime = normalizeTime(c.workTime) ?? '';
  if (c.employeeNr !== undefined) p.employee_nr = c.employeeNr;
  if (c.workstatus !== undefined) p.workstatus = c.workstatus;
  return p;
}

