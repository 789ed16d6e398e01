/**
 * The datamapper of eAccounting ↔ Visma.net (seed 004, "Datamapper"): per flow a list of field
 * mappings from an eAccounting record (contract §2.5, PascalCase) to a plain Visma.net write
 * object (contract §3.6, camelCase; the client wraps each field in `{ value }`). The seed's default
 * mapping is DEFAULT_DATAMAPPER; the user's own mappings replace a default per target field, add
 * new ones, or switch a default off (`skip`). Pure: `applyDatamapper` never throws, a transform
 * that cannot work on a value is an error naming the target field and why.
 *
 * Paths: `InvoiceAddress1`, `Barcodes[0]`, and `Rows[].Quantity` for every order row. A `[]`
 * source needs a `[]` target (`orderLines[].quantity`): row i of the source fills element i of the
 * target list. A `[]` target without a source (a constant) fills every element the rows made.
 */
import { z } from 'zod';
import {
  applyTransform,
  eachPrefix,
  isEachPath,
  isEmpty,
  parsePath,
  readEach,
  readPath,
  checkedTransformSchema,
  transformSchema,
  writePath,
  type Transform,
} from './datamapper-transforms';

export { type Transform } from './datamapper-transforms';

export const FLOWS = ['products', 'customers', 'orders'] as const;
export type Flow = (typeof FLOWS)[number];

const MAX_MAPPINGS_PER_FLOW = 200;

const pathString = z
  .string()
  .min(1)
  .max(200)
  .superRefine((p, ctx) => {
    const parsed = parsePath(p);
    if ('reason' in parsed) ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.reason });
  });

const targetString = pathString
  .refine((p) => !/\[\d+\]/.test(p), 'een doelveld heeft geen [n]; gebruik [] voor orderregels')
  .refine((p) => !p.endsWith('[]'), 'na [] volgt het veld van de regel, bijvoorbeeld orderLines[].quantity');

/** The other source paths a transform reads. */
function transformPaths(t: z.output<typeof transformSchema>): string[] {
  if (t.type === 'concatenate') return t.sources;
  if (t.type === 'defaultWhenEmpty' && t.source) return [t.source];
  if ((t.type === 'vatInclToExcl' || t.type === 'vatExclToIncl') && t.rateSource) return [t.rateSource];
  return [];
}

export const fieldMappingSchema = z
  .object({
    /** Visma.net field, e.g. `description`, `mainAddress.city`, `orderLines[].quantity`. */
    target: targetString,
    /** eAccounting field, e.g. `Name`, `Barcodes[0]`, `Rows[].ArticleNumber`. */
    source: pathString.optional(),
    transforms: z.array(checkedTransformSchema).max(20).default([]),
    /** Switch a default mapping of this target off: the field is not sent. */
    skip: z.boolean().optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const each = isEachPath(m.target);
    if (m.source && isEachPath(m.source) !== each) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['source'],
        message: each ? `doelveld ${m.target} is per orderregel: de bron heeft dan ook [] nodig` : `bron ${m.source} is per orderregel: het doelveld heeft dan ook [] nodig`,
      });
    }
    m.transforms.forEach((t, i) => {
      if ((t.type === 'vatInclToExcl' || t.type === 'vatExclToIncl') && (t.rate === undefined) === (t.rateSource === undefined)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['transforms', i], message: 'geef precies één van rate (percentage) of rateSource (veld met het tarief)' });
      }
      const paths = transformPaths(t);
      for (const p of paths) {
        const sameList = m.source ? eachPrefix(p) === eachPrefix(m.source) : true;
        if (isEachPath(p) && (!each || !sameList)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['transforms', i], message: `${p} is per orderregel en past alleen bij een mapping per orderregel met dezelfde lijst` });
        }
      }
    });
    if (!m.skip && !m.source && !m.transforms.some((t) => t.type === 'constant' || t.type === 'concatenate' || t.type === 'defaultWhenEmpty')) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['source'], message: 'zonder bron is een vaste waarde (constant), samenvoegen (concatenate) of standaardwaarde (defaultWhenEmpty) nodig' });
    }
  });
export type FieldMapping = z.input<typeof fieldMappingSchema>;
type ParsedMapping = z.output<typeof fieldMappingSchema>;

const flowMappings = z
  .array(fieldMappingSchema)
  .max(MAX_MAPPINGS_PER_FLOW)
  .superRefine((list, ctx) => {
    const byTarget = new Map<string, number>();
    list.forEach((m, i) => {
      const prev = byTarget.get(m.target);
      if (prev !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'target'], message: `${m.target} staat al in mapping ${prev}` });
      byTarget.set(m.target, i);
    });
    // `a` and `a.b` cannot both be written: one would overwrite the other.
    const targets = [...byTarget.keys()];
    list.forEach((m, i) => {
      const clash = targets.find((t) => t !== m.target && m.target.startsWith(`${t}.`));
      if (clash) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'target'], message: `${m.target} ligt binnen ${clash}, dat ook gemapt wordt` });
    });
  });

/** A stored datamapper: the user's own mappings per flow (the defaults apply underneath). */
export const datamapperSchema = z
  .object({
    products: flowMappings.optional(),
    customers: flowMappings.optional(),
    orders: flowMappings.optional(),
  })
  .strict();
export type Datamapper = z.input<typeof datamapperSchema>;
export type ParsedDatamapper = z.output<typeof datamapperSchema>;

/**
 * Zod issues of a datamapper as `{ field, reason }`, with the mapping named by its target where
 * it has one (`orders[orderLines[].quantity].transforms.0`), so a 400 says which field is wrong.
 */
export function datamapperIssues(err: z.ZodError, input: unknown, prefix = 'datamapper'): { field: string; reason: string }[] {
  return err.issues.map((i) => {
    const [flow, index, ...rest] = i.path;
    let head = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    if (typeof flow === 'string' && typeof index === 'number') {
      const target = (input as Record<string, { target?: unknown }[] | undefined>)?.[flow]?.[index]?.target;
      if (typeof target === 'string' && target.length <= 200) head = [prefix, `${flow}[${target}]`, ...rest.map(String)].filter(Boolean).join('.');
    }
    return { field: head || '(datamapper)', reason: i.message };
  });
}

// --- the seed's default mapping ----------------------------------------------------------------

const bool = (t: string, f: string): Transform => ({ type: 'lookup', table: [{ from: 'true', to: t }, { from: 'false', to: f }], default: t });
const date: Transform = { type: 'dateFormat', pattern: 'yyyy-MM-dd' };
const money: Transform = { type: 'numberFormat', decimals: 2 };

/**
 * The defaults (seed 004 "Datamapper": products name/title, SKU, long and short description,
 * price, quantity, EAN/GTIN, currency; orders customer name, invoice and delivery address,
 * SKU, quantity, price; customers the same create-or-update fields).
 *
 * INFERRED (the contract is silent; correct here):
 * - Article has no description fields: the name is both the short (`description`) and the long
 *   description (`body`); a user maps another field onto `body` or skips it.
 * - Price: `NetPrice` is the price excl. VAT and goes to `defaultPrice`; to send incl. VAT, map
 *   `GrossPrice` (optionally with vatInclToExcl).
 * - EAN/GTIN: the first of `Barcodes` → `alternateID` (Visma.net's alternate id, also a filter on
 *   GET /inventory).
 * - Quantity (`StockBalance`) and currency have no field in InventoryUpdateDto (stock moves by
 *   receipts; an item's price is in the company currency): not mapped for products.
 * - Article `IsActive` → `status` Active/Inactive; `IsStock` → `type` FinishedGoodItem/NonStockItem.
 * - Customer and order addresses: `addressLine1/2`, `postalCode`, `city`, `countryId` (as in
 *   CustomerUpdateDto); the house number is part of `Address1` in eAccounting (no own field).
 * - Orders follow the SalesOrders v3 write shape: `type` SO, `orderLines[]` with `inventoryId`,
 *   `quantity`, `unitPrice`; the invoice and delivery address as `billingAddress`/`shippingAddress`
 *   with `billingContact.name`/`shippingContact.name` (the v3 names beyond those in §3.6 are guesses).
 *   The customer id, branch and external reference are set by the koppeling, not mapped.
 * - Customer contact person: `ContactPersonName`, else the customer name; phone `Telephone`.
 */
export const DEFAULT_DATAMAPPER: Record<Flow, FieldMapping[]> = {
  products: [
    { target: 'inventoryNumber', source: 'Number' },
    { target: 'description', source: 'Name' },
    { target: 'body', source: 'Name' },
    { target: 'defaultPrice', source: 'NetPrice', transforms: [money] },
    { target: 'alternateID', source: 'Barcodes[0]' },
    { target: 'status', source: 'IsActive', transforms: [bool('Active', 'Inactive')] },
    { target: 'type', source: 'IsStock', transforms: [bool('FinishedGoodItem', 'NonStockItem')] },
  ],
  customers: [
    { target: 'name', source: 'Name' },
    { target: 'status', source: 'IsActive', transforms: [bool('Active', 'Inactive')] },
    { target: 'currencyId', source: 'CurrencyCode', transforms: [{ type: 'defaultWhenEmpty', value: 'EUR' }, { type: 'upper' }] },
    { target: 'corporateId', source: 'CorporateIdentityNumber' },
    { target: 'vatRegistrationId', source: 'VatNumber' },
    { target: 'mainAddress.addressLine1', source: 'InvoiceAddress1' },
    { target: 'mainAddress.addressLine2', source: 'InvoiceAddress2' },
    { target: 'mainAddress.postalCode', source: 'InvoicePostalCode' },
    { target: 'mainAddress.city', source: 'InvoiceCity' },
    { target: 'mainAddress.countryId', source: 'InvoiceCountryCode', transforms: [{ type: 'defaultWhenEmpty', value: 'NL' }, { type: 'upper' }] },
    { target: 'mainContact.name', source: 'ContactPersonName', transforms: [{ type: 'defaultWhenEmpty', source: 'Name' }] },
    { target: 'mainContact.email', source: 'EmailAddress', transforms: [{ type: 'lower' }] },
    { target: 'mainContact.phone1', source: 'Telephone', transforms: [{ type: 'defaultWhenEmpty', source: 'MobilePhone' }] },
    { target: 'deliveryAddress.addressLine1', source: 'DeliveryAddress1' },
    { target: 'deliveryAddress.addressLine2', source: 'DeliveryAddress2' },
    { target: 'deliveryAddress.postalCode', source: 'DeliveryPostalCode' },
    { target: 'deliveryAddress.city', source: 'DeliveryCity' },
    { target: 'deliveryAddress.countryId', source: 'DeliveryCountryCode', transforms: [{ type: 'upper' }] },
    { target: 'note', source: 'Note' },
  ],
  orders: [
    { target: 'type', transforms: [{ type: 'constant', value: 'SO' }] },
    { target: 'date', source: 'OrderDate', transforms: [date] },
    { target: 'currency', source: 'CurrencyCode', transforms: [{ type: 'defaultWhenEmpty', value: 'EUR' }, { type: 'upper' }] },
    { target: 'billingContact.name', source: 'InvoiceCustomerName', transforms: [{ type: 'defaultWhenEmpty', source: 'CustomerName' }] },
    { target: 'billingAddress.addressLine1', source: 'InvoiceAddress1' },
    { target: 'billingAddress.addressLine2', source: 'InvoiceAddress2' },
    { target: 'billingAddress.postalCode', source: 'InvoicePostalCode' },
    { target: 'billingAddress.city', source: 'InvoiceCity' },
    { target: 'billingAddress.countryId', source: 'InvoiceCountryCode', transforms: [{ type: 'upper' }] },
    { target: 'shippingContact.name', source: 'DeliveryCustomerName', transforms: [{ type: 'defaultWhenEmpty', source: 'InvoiceCustomerName' }] },
    { target: 'shippingAddress.addressLine1', source: 'DeliveryAddress1', transforms: [{ type: 'defaultWhenEmpty', source: 'InvoiceAddress1' }] },
    { target: 'shippingAddress.addressLine2', source: 'DeliveryAddress2' },
    { target: 'shippingAddress.postalCode', source: 'DeliveryPostalCode', transforms: [{ type: 'defaultWhenEmpty', source: 'InvoicePostalCode' }] },
    { target: 'shippingAddress.city', source: 'DeliveryCity', transforms: [{ type: 'defaultWhenEmpty', source: 'InvoiceCity' }] },
    { target: 'shippingAddress.countryId', source: 'DeliveryCountryCode', transforms: [{ type: 'defaultWhenEmpty', source: 'InvoiceCountryCode' }, { type: 'upper' }] },
    { target: 'orderLines[].inventoryId', source: 'Rows[].ArticleNumber' },
    { target: 'orderLines[].quantity', source: 'Rows[].Quantity', transforms: [{ type: 'numberFormat', decimals: 4 }] },
    { target: 'orderLines[].unitPrice', source: 'Rows[].UnitPrice', transforms: [money] },
  ],
};

// --- applying ------------------------------------------------------------------------------------

/** The mappings that apply to a flow: the defaults, each replaced by the user's one for the same target, then the user's new ones. */
let parsedDefaults: Record<Flow, ParsedMapping[]> | undefined;

export function effectiveMappings(user: ParsedDatamapper | undefined, flow: Flow): ParsedMapping[] {
  parsedDefaults ??= datamapperSchema.parse(DEFAULT_DATAMAPPER) as Record<Flow, ParsedMapping[]>;
  const defaults = parsedDefaults[flow];
  const own = user?.[flow] ?? [];
  const byTarget = new Map(own.map((m) => [m.target, m]));
  const merged = defaults.map((d) => byTarget.get(d.target) ?? d);
  const seen = new Set(defaults.map((d) => d.target));
  for (const m of own) if (!seen.has(m.target)) merged.push(m);
  return merged.filter((m) => !m.skip);
}

export interface MappingError {
  field: string;
  reason: string;
}

export interface DatamapperResult {
  payload: Record<string, unknown>;
  errors: MappingError[];
}

function runTransforms(m: ParsedMapping, value: unknown, row: unknown, root: unknown): { value: unknown } | { reason: string } {
  let v = value;
  for (const [i, t] of m.transforms.entries()) {
    const r = applyTransform(t, v, row, root);
    if ('reason' in r) return { reason: `${t.type} (transform ${i}): ${r.reason}` };
    v = r.value;
  }
  // Every Visma.net write field is one value (the client wraps it in { value }): never a list or object.
  if (v !== null && typeof v === 'object') return { reason: `de bron geeft een ${Array.isArray(v) ? 'lijst' : 'object'}, het doelveld verwacht één waarde (kies bijvoorbeeld ${m.source ?? 'het veld'}[0] of een dieper veld)` };
  return { value: v };
}

/**
 * Map one eAccounting record for a flow. `mappings`: the user's stored datamapper (validated or
 * raw; raw input that does not validate gives errors, no payload). Fields whose value ends up
 * empty (undefined) are left out, so an update never blanks a field the source does not have.
 */
export function applyDatamapper(mappings: Datamapper | ParsedDatamapper | undefined, flow: Flow, source: unknown): DatamapperResult {
  const parsed = datamapperSchema.safeParse(mappings ?? {});
  if (!parsed.success) return { payload: {}, errors: datamapperIssues(parsed.error, mappings) };
  const payload: Record<string, unknown> = {};
  const errors: MappingError[] = [];
  const lists = new Map<string, Record<string, unknown>[]>();
  const list = (target: string, len: number) => {
    const prefix = eachPrefix(target)!;
    let l = lists.get(prefix);
    if (!l) lists.set(prefix, (l = []));
    while (l.length < len) l.push({});
    return l;
  };
  const all = effectiveMappings(parsed.data, flow);
  const rowFirst = [...all.filter((m) => isEachPath(m.target) && m.source), ...all.filter((m) => isEachPath(m.target) && !m.source)];
  for (const m of all.filter((x) => !isEachPath(x.target))) {
    const r = runTransforms(m, m.source ? readPath(source, m.source) : undefined, source, source);
    if ('reason' in r) errors.push({ field: m.target, reason: r.reason });
    else if (r.value !== undefined) writePath(payload, m.target, r.value);
  }
  for (const m of rowFirst) {
    const rows = m.source ? readEach(source, m.source) : [];
    const rowRecords = m.source ? readEach(source, `${eachPrefix(m.source)}[]`) : [];
    const elements = list(m.target, rows.length);
    const rest = m.target.slice(eachPrefix(m.target)!.length + 2).replace(/^\./, '');
    elements.forEach((el, i) => {
      if (m.source && i >= rows.length) return;
      const r = runTransforms(m, m.source ? rows[i] : undefined, m.source ? rowRecords[i] : undefined, source);
      const field = `${eachPrefix(m.target)}[${i}]${rest ? `.${rest}` : ''}`;
      if ('reason' in r) errors.push({ field, reason: r.reason });
      else if (r.value !== undefined) {
        if (rest) writePath(el, rest, r.value);
      }
    });
  }
  for (const [prefix, elements] of lists) {
    const err = writePath(payload, prefix, elements);
    if (err) errors.push({ field: prefix, reason: err });
  }
  return { payload, errors };
}

/** For the preview and the log: which targets a flow maps and from where (defaults merged). */
export function describeMappings(user: ParsedDatamapper | undefined, flow: Flow): { target: string; source?: string; transforms: string[]; custom: boolean }[] {
  const own = new Set((user?.[flow] ?? []).map((m) => m.target));
  return effectiveMappings(user, flow).map((m) => ({ target: m.target, source: m.source, transforms: m.transforms.map((t) => t.type), custom: own.has(m.target) }));
}

export { isEmpty };
