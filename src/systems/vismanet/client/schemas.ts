/**
 * Zod schemas of the Visma.net payloads the client reads (contract §1.2, §3.3, §3.6). camelCase as
 * on the wire; records pass other fields through (the datamapper may read any of them).
 */
import { z } from 'zod';

export const tokenResponseSchema = z.object({ access_token: z.string().min(1), token_type: z.string().optional(), expires_in: z.coerce.number().positive().default(3600), scope: z.string().optional() });
export const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** §3.3: the text is in `message`; the older shape used ExceptionMessage. */
export const errorBodySchema = z.union([z.object({ message: z.string() }).passthrough(), z.object({ ExceptionMessage: z.string() }).passthrough().transform((b) => ({ ...b, message: b.ExceptionMessage }))]);

const idRef = z.object({ id: z.union([z.string(), z.number()]).transform(String).optional(), description: z.string().nullish(), name: z.string().nullish() }).passthrough();
const metadata = z.object({ totalCount: z.number().optional(), maxPageSize: z.number().optional() }).passthrough().optional();

export const addressSchema = z.object({ addressLine1: z.string().nullish(), addressLine2: z.string().nullish(), addressLine3: z.string().nullish(), postalCode: z.string().nullish(), city: z.string().nullish(), country: idRef.nullish() }).passthrough();
export const contactSchema = z.object({ contactId: z.number().nullish(), name: z.string().nullish(), attention: z.string().nullish(), email: z.string().nullish(), phone1: z.string().nullish(), phone2: z.string().nullish(), fax: z.string().nullish(), web: z.string().nullish() }).passthrough();

export const customerSchema = z
  .object({
    internalId: z.number().optional(),
    number: z.string(),
    name: z.string(),
    status: z.string().optional(),
    mainAddress: addressSchema.nullish(),
    mainContact: contactSchema.nullish(),
    invoiceAddress: addressSchema.nullish(),
    invoiceContact: contactSchema.nullish(),
    deliveryAddress: addressSchema.nullish(),
    deliveryContact: contactSchema.nullish(),
    customerClass: idRef.nullish(),
    creditTerms: idRef.nullish(),
    currencyId: z.string().nullish(),
    vatRegistrationId: z.string().nullish(),
    corporateId: z.string().nullish(),
    vatZone: idRef.nullish(),
    lastModifiedDateTime: z.string().optional(),
    metadata,
  })
  .passthrough();
export type VismanetCustomer = z.infer<typeof customerSchema>;

export const inventorySchema = z
  .object({
    inventoryId: z.number().optional(),
    inventoryNumber: z.string(),
    status: z.string().optional(),
    type: z.string().optional(),
    description: z.string().nullish(),
    body: z.string().nullish(),
    itemClass: idRef.nullish(),
    postingClass: idRef.nullish(),
    vatCode: idRef.nullish(),
    defaultPrice: z.number().nullish(),
    baseUnit: z.string().nullish(),
    salesUnit: z.string().nullish(),
    purchaseUnit: z.string().nullish(),
    lastModifiedDateTime: z.string().optional(),
    metadata,
  })
  .passthrough();
export type VismanetInventoryItem = z.infer<typeof inventorySchema>;

export const branchSchema = z.object({ branchId: z.number().optional(), number: z.string(), name: z.string().nullish(), isMainBranch: z.boolean().optional(), isActive: z.boolean().optional(), ledger: idRef.nullish(), metadata }).passthrough();
export type VismanetBranch = z.infer<typeof branchSchema>;

export const salesOrderLineSchema = z.object({ lineId: z.number().optional(), inventory: idRef.nullish(), quantity: z.number(), unitPrice: z.number().nullish(), discountPercent: z.number().nullish(), lineAmount: z.number().nullish(), description: z.string().nullish(), warehouseId: z.string().nullish() }).passthrough();
export const salesOrderSchema = z
  .object({
    orderId: z.string(),
    type: z.string(),
    status: z.string(),
    date: z.string().nullish(),
    customer: idRef,
    branchId: z.string().nullish(),
    customerRefNo: z.string().nullish(),
    customerOrder: z.string().nullish(),
    description: z.string().nullish(),
    currency: z.string().nullish(),
    orderLines: z.array(salesOrderLineSchema).default([]),
    orderTotal: z.number().nullish(),
    lastModifiedDateTime: z.string().optional(),
  })
  .passthrough();
export type VismanetSalesOrder = z.infer<typeof salesOrderSchema>;
export const salesOrderListSchema = z.object({ value: z.array(salesOrderSchema), nextPage: z.string().nullish() });

// --- inputs (plain objects; the client wraps the v1 ones in {value}) ---

export interface VismanetAddressInput {
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  postalCode?: string;
  city?: string;
  countryId?: string;
}
export interface VismanetContactInput {
  name?: string;
  attention?: string;
  email?: string;
  phone1?: string;
  phone2?: string;
  fax?: string;
  web?: string;
}
/** CustomerUpdateDto fields (§3.6), unwrapped; other fields pass through to the DTO as they are named. */
export interface VismanetCustomerInput {
  number?: string;
  name?: string;
  status?: string;
  currencyId?: string;
  customerClassId?: string;
  creditTermsId?: string;
  vatRegistrationId?: string;
  corporateId?: string;
  vatZoneId?: string;
  note?: string;
  overrideNumberSeries?: boolean;
  mainAddress?: VismanetAddressInput;
  mainContact?: VismanetContactInput;
  invoiceAddress?: VismanetAddressInput;
  invoiceContact?: VismanetContactInput;
  deliveryAddress?: VismanetAddressInput;
  deliveryContact?: VismanetContactInput;
  [field: string]: unknown;
}
/** InventoryUpdateDto fields (§3.6), unwrapped. */
export interface VismanetInventoryInput {
  inventoryNumber?: string;
  status?: string;
  type?: string;
  description?: string;
  body?: string;
  itemClass?: string;
  postingClass?: string;
  vatCode?: string;
  defaultPrice?: number;
  baseUnit?: string;
  salesUnit?: string;
  purchaseUnit?: string;
  note?: string;
  [field: string]: unknown;
}
/** SalesOrders v3 POST body (§3.6, plain JSON). `customerRefNo` carries the koppeling's external reference. */
export interface VismanetSalesOrderInput {
  /** Default 'SO'. */
  type?: string;
  customer: { id: string };
  branchId?: string;
  customerRefNo?: string;
  customerOrder?: string;
  description?: string;
  date?: string;
  currency?: string;
  hold?: boolean;
  orderLines: Array<{ inventoryId: string; quantity: number; unitPrice?: number; discountPercent?: number; description?: string; warehouseId?: string; [field: string]: unknown }>;
  [field: string]: unknown;
}
