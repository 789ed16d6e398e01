/**
 * Zod schemas for WerkbonApp payloads, one per payload. They check the wire shape and formats
 * (strings, decimal separators, d-m-Y dates); mapping.ts converts to typed values.
 * Scalars are accepted as string, number or null and normalised to a string, because the API
 * documents strings but its examples mix in numbers (row_id) and nulls (latitude, MaterialType).
 */
import { z } from 'zod';
import { isDecimalString, isDmyString, isDurationString, isTimeString } from './convert';

const str = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));

const decimal = str.refine((v) => isDecimalString(v), { message: 'expected a decimal like "4,55"' });
const optionalDecimal = str.refine((v) => v.trim() === '' || isDecimalString(v), { message: 'expected a decimal or ""' });
const optionalDate = str.refine((v) => v.trim() === '' || isDmyString(v), { message: 'expected a d-m-Y date or ""' });
const optionalTime = str.refine((v) => v.trim() === '' || isTimeString(v), { message: 'expected an H:i time or ""' });
const optionalDuration = str.refine((v) => v.trim() === '' || isDurationString(v), { message: 'expected an H:i duration or ""' });
/** Lists: an empty result may come back as `null` (the OutSmart schema marks `response` nullable). */
const listOf = <T extends z.ZodTypeAny>(item: T) => z.array(item).nullish().transform((v) => v ?? []);

const flag = str.refine((v) => v === '' || v === '0' || v === '1', { message: 'expected "0" or "1"' });

/** Every answer: HTTP 200 and this envelope; `code` 200 is success. */
export const envelopeSchema = z.object({
  code: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  messages: z.array(z.string()).nullish().transform((m) => m ?? []),
  response: z.unknown(),
});
export type WireEnvelope = z.infer<typeof envelopeSchema>;

export const wireRelationSchema = z.object({
  name: str,
  debtor_number: str,
  contact: str,
  phone_number: str,
  email: str,
  email_workorder: str,
  street: str,
  house_number: str,
  postal_code: str,
  city: str,
  remark: str,
  latitude: optionalDecimal,
  longitude: optionalDecimal,
});
export type WireRelation = z.infer<typeof wireRelationSchema>;
export const relationListSchema = listOf(wireRelationSchema);

export const wireMaterialSchema = z.object({
  code: str,
  description: str,
  price: decimal,
  unit: str,
  eancode: str,
  barcode: str,
  freefield1: str,
  freefield2: str,
  freefield3: str,
  freefield4: str,
  freefield5: str,
});
export type WireMaterial = z.infer<typeof wireMaterialSchema>;
export const materialListSchema = listOf(wireMaterialSchema);

export const wireHourTypeSchema = z.object({
  code: str,
  name: str,
  cost_booking: flag,
  sale_booking: flag,
  sale_price: decimal,
  cost_price: optionalDecimal,
  active: flag,
});
export type WireHourType = z.infer<typeof wireHourTypeSchema>;
export const hourTypeListSchema = listOf(wireHourTypeSchema);

export const wireWorkstatusSchema = z.object({ sta_code: str, sta_name: str });
export const workstatusListSchema = listOf(wireWorkstatusSchema);

/** POST sync endpoints answer with the number of rows synced. */
export const syncCountSchema = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

/**
 * UpdateWorkorder answers `null` on success. Anything else is accepted too: the update has been
 * applied by then, and failing on the answer's shape would only make the caller retry it.
 */
export const updateWorkorderResponseSchema = z.unknown();

export const wireWorkperiodSchema = z.object({
  WorkDate: optionalDate,
  BeginTime: optionalTime,
  EndTime: optionalTime,
  Break: optionalDecimal,
  TotalTime: optionalDuration,
  Travel: optionalDecimal,
  WorkRemark: str,
  HourType: str,
  EmployeeNr: str,
});
export type WireWorkperiod = z.infer<typeof wireWorkperiodSchema>;

export const wireWorkorderMaterialSchema = z.object({
  MaterialCode: str,
  MaterialNr: decimal,
  MaterialPrice: decimal,
  MaterialTotalPrice: optionalDecimal,
  MaterialName: str,
  MaterialUnit: str,
  MaterialType: str,
  MaterialFreeField1: str,
  MaterialFreeField2: str,
  MaterialFreeField3: str,
  MaterialFreeField4: str,
  MaterialFreeField5: str,
});
export type WireWorkorderMaterial = z.infer<typeof wireWorkorderMaterialSchema>;

export const wireWorkorderSchema = z.object({
  id: str.refine((v) => v !== '', { message: 'id missing' }),
  WorkorderNo: str,
  OrderNr: str,
  WorksheetCode: str,
  status: z.enum(['Klaargezet', 'Opgehaald', 'Compleet', 'Afgehandeld']),
  WorkStatus: str,
  WorkFinished: flag,
  Archived: flag,
  TypeOfWork: str,
  WorkDescription: str,
  InternalWorkDescription: str,
  ShortWorkDescription: str,
  PaymentMethod: str,
  EmployeeNr: str,
  WorkDate: optionalDate,
  WorkTime: optionalTime,
  WorkEndDate: optionalDate,
  WorkEndTime: optionalTime,
  ProjectNr: str,
  ExternProjectNr: str,
  CreationDate: str,
  Comment: str,
  PdfUrl: str,
  Workperiods: listOf(wireWorkperiodSchema),
  Materials: listOf(wireWorkorderMaterialSchema),
  // Work location, then the invoice party (CustomerDebtorNrInvoice = the debtor to bill).
  CustomerName: str,
  CustomerDebtorNr: str,
  CustomerStreet: str,
  CustomerStreetNo: str,
  CustomerEmail: str,
  CustomerZIP: str,
  CustomerCity: str,
  CustomerContactPerson: str,
  CustomerPhone: str,
  CustomerRemark: str,
  CustomerNameInvoice: str,
  CustomerDebtorNrInvoice: str,
  CustomerStreetInvoice: str,
  CustomerStreetNoInvoice: str,
  CustomerEmailInvoice: str,
  CustomerZIPInvoice: str,
  CustomerCityInvoice: str,
  CustomerContactPersonInvoice: str,
  CustomerPhoneInvoice: str,
  CustomerRemarkInvoice: str,
});
export type WireWorkorder = z.infer<typeof wireWorkorderSchema>;
export const workorderListSchema = listOf(wireWorkorderSchema);
