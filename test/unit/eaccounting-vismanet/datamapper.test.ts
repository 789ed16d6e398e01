import { seededRandom } from '../../../src/domain/random';
import {
  applyDatamapper,
  datamapperIssues,
  datamapperSchema,
  DEFAULT_DATAMAPPER,
  describeMappings,
  FLOWS,
  type Datamapper,
} from '../../../src/koppelingen/eaccounting-vismanet/domain/datamapper';
import { formatDate, parsePath, readPath, round, toNumber } from '../../../src/koppelingen/eaccounting-vismanet/domain/datamapper-transforms';

const article = {
  Id: 'a1',
  Number: 'SKU-100',
  Name: 'Koffiebonen 1 kg',
  NetPrice: 12.5,
  GrossPrice: 15.125,
  IsActive: true,
  IsStock: false,
  Barcodes: ['8712345678906'],
  UnitAbbreviation: 'st',
  VatRate: 21,
};

const customer = {
  Id: 'c1',
  Name: 'Bakkerij De Korenschoof B.V.',
  IsPrivatePerson: false,
  IsActive: true,
  EmailAddress: 'Inkoop@Korenschoof.NL',
  InvoiceAddress1: 'Dorpsstraat 12',
  InvoicePostalCode: '1234 AB',
  InvoiceCity: 'Gorinchem',
  InvoiceCountryCode: 'nl',
  ContactPersonName: '',
  Telephone: '0183-123456',
};

const order = {
  Id: 'o1',
  Number: 1042,
  CustomerId: 'c1',
  CustomerName: 'Bakkerij De Korenschoof B.V.',
  CurrencyCode: 'eur',
  OrderDate: '2026-11-30T00:00:00',
  Status: 2,
  InvoiceAddress1: 'Dorpsstraat 12',
  InvoicePostalCode: '1234 AB',
  InvoiceCity: 'Gorinchem',
  InvoiceCountryCode: 'NL',
  DeliveryAddress1: 'Havenweg 3',
  DeliveryPostalCode: '4201 AA',
  DeliveryCity: 'Gorinchem',
  Rows: [
    { LineNumber: 1, ArticleNumber: 'SKU-100', Quantity: 2, UnitPrice: 12.5, Text: 'Koffie' },
    { LineNumber: 2, ArticleNumber: 'SKU-200', Quantity: 1.5, UnitPrice: '3,999', Text: 'Thee' },
  ],
};

describe('datamapper defaults (seed 004)', () => {
  it('maps an article: SKU, name, long description, price excl. VAT, EAN, status, type', () => {
    const r = applyDatamapper(undefined, 'products', article);
    expect(r.errors).toEqual([]);
    expect(r.payload).toEqual({
      inventoryNumber: 'SKU-100',
      description: 'Koffiebonen 1 kg',
      body: 'Koffiebonen 1 kg',
      defaultPrice: 12.5,
      alternateID: '8712345678906',
      status: 'Active',
      type: 'NonStockItem',
    });
  });

  it('maps a customer: address, contact (the name when no contact person), e-mail lower case, defaults', () => {
    const r = applyDatamapper({}, 'customers', customer);
    expect(r.errors).toEqual([]);
    expect(r.payload).toMatchObject({
      name: 'Bakkerij De Korenschoof B.V.',
      status: 'Active',
      currencyId: 'EUR',
      mainAddress: { addressLine1: 'Dorpsstraat 12', postalCode: '1234 AB', city: 'Gorinchem', countryId: 'NL' },
      mainContact: { name: 'Bakkerij De Korenschoof B.V.', email: 'inkoop@korenschoof.nl', phone1: '0183-123456' },
    });
    // Fields the source lacks are left out, never sent empty.
    expect(r.payload).not.toHaveProperty('corporateId');
    expect(r.payload).not.toHaveProperty('deliveryAddress');
  });

  it('maps an order with its rows; the delivery address falls back to the invoice address', () => {
    const r = applyDatamapper(undefined, 'orders', order);
    expect(r.errors).toEqual([]);
    expect(r.payload).toMatchObject({
      type: 'SO',
      date: '2026-11-30',
      currency: 'EUR',
      billingContact: { name: 'Bakkerij De Korenschoof B.V.' },
      billingAddress: { addressLine1: 'Dorpsstraat 12', postalCode: '1234 AB', city: 'Gorinchem', countryId: 'NL' },
      shippingAddress: { addressLine1: 'Havenweg 3', postalCode: '4201 AA', city: 'Gorinchem', countryId: 'NL' },
      orderLines: [
        { inventoryId: 'SKU-100', quantity: 2, unitPrice: 12.5 },
        { inventoryId: 'SKU-200', quantity: 1.5, unitPrice: 4 },
      ],
    });
  });

  it('every default mapping validates', () => {
    expect(datamapperSchema.safeParse(DEFAULT_DATAMAPPER).success).toBe(true);
  });
});

describe('user mappings', () => {
  it('override a default per target, add fields, switch a default off', () => {
    const user: Datamapper = {
      products: [
        { target: 'defaultPrice', source: 'GrossPrice', transforms: [{ type: 'vatInclToExcl', rate: 21 }] },
        { target: 'body', skip: true },
        { target: 'note', source: 'UnitAbbreviation', transforms: [{ type: 'upper' }] },
      ],
    };
    const r = applyDatamapper(user, 'products', article);
    expect(r.errors).toEqual([]);
    expect(r.payload.defaultPrice).toBe(12.5);
    expect(r.payload).not.toHaveProperty('body');
    expect(r.payload.note).toBe('ST');
    expect(describeMappings(datamapperSchema.parse(user), 'products').find((m) => m.target === 'defaultPrice')).toMatchObject({ source: 'GrossPrice', custom: true });
  });

  it('row mappings: constants fill every row, row fields and record fields combine', () => {
    const user: Datamapper = {
      orders: [
        { target: 'orderLines[].operation', transforms: [{ type: 'constant', value: 'Insert' }] },
        { target: 'orderLines[].lineDescription', source: 'Rows[].Text', transforms: [{ type: 'concatenate', sources: ['Rows[].ArticleNumber'], separator: ' / ' }] },
        { target: 'customerRefNo', transforms: [{ type: 'concatenate', sources: ['Number', 'CustomerId'], separator: '-' }] },
      ],
    };
    const r = applyDatamapper(user, 'orders', order);
    expect(r.errors).toEqual([]);
    expect(r.payload.customerRefNo).toBe('1042-c1');
    expect(r.payload.orderLines).toEqual([
      expect.objectContaining({ operation: 'Insert', lineDescription: 'Koffie / SKU-100' }),
      expect.objectContaining({ operation: 'Insert', lineDescription: 'Thee / SKU-200' }),
    ]);
  });

  it('VAT from a rate field (percent or fraction), incl ↔ excl', () => {
    const user: Datamapper = { products: [{ target: 'defaultPrice', source: 'NetPrice', transforms: [{ type: 'vatExclToIncl', rateSource: 'VatRate' }] }] };
    expect(applyDatamapper(user, 'products', article).payload.defaultPrice).toBe(15.13);
    expect(applyDatamapper(user, 'products', { ...article, VatRate: 0.09 }).payload.defaultPrice).toBe(13.63);
  });

  it('lookup with default, substring by code point, date patterns, default from another field', () => {
    const user: Datamapper = {
      customers: [
        { target: 'customerClassId', source: 'InvoiceCountryCode', transforms: [{ type: 'upper' }, { type: 'lookup', table: [{ from: 'NL', to: 'BINNENLAND' }], default: 'BUITENLAND' }] },
        { target: 'name', source: 'Name', transforms: [{ type: 'substring', start: 0, length: 8 }] },
        { target: 'note', source: 'Note', transforms: [{ type: 'defaultWhenEmpty', value: 'geen notitie' }] },
      ],
    };
    const r = applyDatamapper(user, 'customers', customer);
    expect(r.errors).toEqual([]);
    expect(r.payload).toMatchObject({ customerClassId: 'BINNENLAND', name: 'Bakkerij', note: 'geen notitie' });
    expect(applyDatamapper(user, 'customers', { ...customer, InvoiceCountryCode: 'be' }).payload.customerClassId).toBe('BUITENLAND');
    expect(formatDate(new Date('2026-03-29T01:02:03Z'), 'dd-MM-yyyy HH:mm:ss')).toBe('29-03-2026 01:02:03');
    const text = applyDatamapper({ products: [{ target: 'note', source: 'NetPrice', transforms: [{ type: 'numberFormat', decimals: 2, output: 'text', decimalSeparator: ',' }] }] }, 'products', { NetPrice: 1234.5 });
    expect(text.payload.note).toBe('1234,50');
  });
});

describe('transform errors name the target field and never throw', () => {
  it('a number format on text', () => {
    const user: Datamapper = { products: [{ target: 'defaultPrice', source: 'Name', transforms: [{ type: 'numberFormat', decimals: 2 }] }] };
    const r = applyDatamapper(user, 'products', article);
    expect(r.errors).toEqual([{ field: 'defaultPrice', reason: expect.stringContaining('"Koffiebonen 1 kg" is geen getal') }]);
    expect(r.payload).not.toHaveProperty('defaultPrice');
    expect(r.payload.inventoryNumber).toBe('SKU-100'); // the other fields still map
  });

  it('per row, with the row index', () => {
    const r = applyDatamapper(undefined, 'orders', { ...order, Rows: [order.Rows[0], { ...order.Rows[1], Quantity: 'veel' }] });
    expect(r.errors).toEqual([{ field: 'orderLines[1].quantity', reason: expect.stringContaining('"veel" is geen getal') }]);
  });

  it('a date that does not exist, a lookup miss without default, upper on an object', () => {
    const user: Datamapper = {
      orders: [
        { target: 'requestOn', source: 'DeliveryDate', transforms: [{ type: 'dateFormat', pattern: 'yyyy-MM-dd' }] },
        { target: 'status', source: 'Status', transforms: [{ type: 'lookup', table: [{ from: '1', to: 'Hold' }] }] },
        { target: 'description', source: 'Rows', transforms: [{ type: 'upper' }] },
      ],
    };
    const r = applyDatamapper(user, 'orders', { ...order, DeliveryDate: '2026-02-30' });
    expect(r.errors.map((e) => e.field).sort()).toEqual(['description', 'requestOn', 'status']);
    expect(r.errors.find((e) => e.field === 'status')!.reason).toContain('opzoektabel');
  });

  it('an invalid stored mapping gives issues, not a throw', () => {
    const r = applyDatamapper({ products: [{ target: 'x', source: 'a..b' }] } as Datamapper, 'products', article);
    expect(r.payload).toEqual({});
    expect(r.errors[0].field).toBe('datamapper.products[x].source');
  });
});

describe('datamapperSchema: 400s name field and reason', () => {
  const issues = (v: unknown) => {
    const r = datamapperSchema.safeParse(v);
    return r.success ? [] : datamapperIssues(r.error, v);
  };

  it.each([
    [{ products: [{ target: 'a', source: 'b', transforms: [{ type: 'numberFormat', decimals: 9 }] }] }, 'datamapper.products[a].transforms.0.decimals'],
    [{ products: [{ target: 'a', source: 'b', transforms: [{ type: 'shout' }] }] }, 'datamapper.products[a].transforms.0.type'],
    [{ orders: [{ target: 'orderLines[].x', source: 'Number' }] }, 'datamapper.orders[orderLines[].x].source'],
    [{ orders: [{ target: 'x', source: 'Rows[].Quantity' }] }, 'datamapper.orders[x].source'],
    [{ products: [{ target: 'a', source: 'b' }, { target: 'a', source: 'c' }] }, 'datamapper.products[a].target'],
    [{ products: [{ target: 'a', source: 'b' }, { target: 'a.b', source: 'c' }] }, 'datamapper.products[a.b].target'],
    [{ products: [{ target: '__proto__.x', source: 'b' }] }, 'datamapper.products[__proto__.x].target'],
    [{ products: [{ target: 'a' }] }, 'datamapper.products[a].source'],
    [{ products: [{ target: 'a', source: 'b', transforms: [{ type: 'vatInclToExcl' }] }] }, 'datamapper.products[a].transforms.0'],
    [{ products: [{ target: 'a', source: 'b', transforms: [{ type: 'lookup', table: [{ from: 'x', to: 1 }, { from: 'x', to: 2 }] }] }] }, 'datamapper.products[a].transforms.0.table.1.from'],
    [{ invoices: [] }, 'datamapper'],
  ])('%j → %s', (value, field) => {
    const found = issues(value);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((i) => i.field)).toContain(field);
    for (const i of found) expect(i.reason.length).toBeGreaterThan(3);
  });
});

describe('paths and numbers', () => {
  it('reads own properties only, indexes and nothing from prototypes', () => {
    expect(readPath({ a: { b: [1, { c: 'x' }] } }, 'a.b[1].c')).toBe('x');
    expect(readPath({}, 'toString')).toBeUndefined();
    expect('reason' in parsePath('a.__proto__')).toBe(true);
    expect(toNumber('12,50')).toBe(12.5);
    expect(toNumber('1.234,50')).toBeUndefined();
    expect(round(2.675, 2)).toBe(2.68);
    expect(round(-2.675, 2)).toBe(-2.68);
  });
});

// --- properties over seeded random records and mappings -------------------------------------------

function randomValue(rnd: () => number, depth = 0): unknown {
  const k = Math.floor(rnd() * 9);
  switch (k) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return Math.round((rnd() - 0.5) * 1e6) / 100;
    case 3:
      return ['', ' ', 'abc', 'ÄÖü 🍞', '12,5', '2026-02-29', '2026-01-31T10:00:00Z', 'true'][Math.floor(rnd() * 8)];
    case 4:
      return rnd() < 0.5;
    case 5:
      return depth < 2 ? [randomValue(rnd, depth + 1), randomValue(rnd, depth + 1)] : 'x';
    case 6:
      return depth < 2 ? { Name: randomValue(rnd, depth + 1), Quantity: randomValue(rnd, depth + 1) } : 1;
    default:
      return String(Math.floor(rnd() * 1000));
  }
}

const TRANSFORMS = [
  { type: 'upper' },
  { type: 'lower' },
  { type: 'substring', start: 1, length: 3 },
  { type: 'numberFormat', decimals: 2 },
  { type: 'dateFormat', pattern: 'dd-MM-yyyy' },
  { type: 'vatInclToExcl', rate: 21 },
  { type: 'vatExclToIncl', rateSource: 'VatRate' },
  { type: 'defaultWhenEmpty', value: 'leeg' },
  { type: 'lookup', table: [{ from: 'abc', to: 'ABC' }], default: null },
  { type: 'concatenate', sources: ['Name', 'Number'], separator: '|' },
  { type: 'constant', value: 7 },
] as const;

describe('properties (seeded)', () => {
  it('never throws; every error names a mapped target; payload holds no undefined', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = seededRandom(seed);
      const record: Record<string, unknown> = {};
      for (const key of ['Name', 'Number', 'NetPrice', 'VatRate', 'OrderDate', 'IsActive', 'IsStock', 'Barcodes', 'Rows', 'EmailAddress', 'InvoiceCity']) record[key] = randomValue(rnd);
      if (rnd() < 0.5) record.Rows = [{ ArticleNumber: randomValue(rnd), Quantity: randomValue(rnd), UnitPrice: randomValue(rnd) }];
      const flow = FLOWS[seed % 3];
      const user: Datamapper = {
        [flow]: [
          { target: 'custom1', source: 'Name', transforms: [TRANSFORMS[Math.floor(rnd() * TRANSFORMS.length)], TRANSFORMS[Math.floor(rnd() * TRANSFORMS.length)]] },
          { target: 'custom2', source: 'NetPrice', transforms: [TRANSFORMS[Math.floor(rnd() * TRANSFORMS.length)]] },
        ],
      };
      const r = applyDatamapper(user, flow, record);
      const targets = new Set([...DEFAULT_DATAMAPPER[flow].map((m) => m.target), 'custom1', 'custom2']);
      for (const e of r.errors) expect(targets.has(e.field.replace(/\[\d+\]/, '[]'))).toBe(true);
      expect(JSON.stringify(r.payload)).not.toContain('undefined');
      // The payload survives a JSON round trip unchanged: it is what the client sends.
      const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
      expect(strip(r.payload)).toEqual(r.payload);
    }
  });

  it('upper and lower are idempotent; VAT there and back stays within a cent', () => {
    const rnd = seededRandom(42);
    for (let i = 0; i < 500; i++) {
      const price = Math.round(rnd() * 1e6) / 100;
      const rate = [0, 9, 21][i % 3];
      const there = applyDatamapper({ products: [{ target: 'defaultPrice', source: 'NetPrice', transforms: [{ type: 'vatExclToIncl', rate }] }] }, 'products', { NetPrice: price }).payload.defaultPrice as number;
      const back = applyDatamapper({ products: [{ target: 'defaultPrice', source: 'NetPrice', transforms: [{ type: 'vatInclToExcl', rate }] }] }, 'products', { NetPrice: there }).payload.defaultPrice as number;
      expect(Math.abs(back - price)).toBeLessThanOrEqual(0.01);
      const text = String(randomValue(rnd));
      const up = applyDatamapper({ products: [{ target: 'description', source: 'Name', transforms: [{ type: 'upper' }] }] }, 'products', { Name: text }).payload.description;
      const upUp = applyDatamapper({ products: [{ target: 'description', source: 'Name', transforms: [{ type: 'upper' }, { type: 'upper' }] }] }, 'products', { Name: text }).payload.description;
      expect(upUp).toEqual(up);
    }
  });
});
