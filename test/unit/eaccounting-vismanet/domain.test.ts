import { customerEmail, debtorKind, defaultCustomer, mapPaymentTerms, matchCustomer } from '../../../src/koppelingen/eaccounting-vismanet/domain/customers';
import { chooseDebtor, orderReference, orderSelected, orderSkus, planOrder } from '../../../src/koppelingen/eaccounting-vismanet/domain/orders';
import { overlay } from '../../../src/koppelingen/eaccounting-vismanet/domain/payload';
import { defaultInventory, planProduct, unsupportedFeatures } from '../../../src/koppelingen/eaccounting-vismanet/domain/products';
import type { SourceArticle, SourceCustomer, SourceOrder } from '../../../src/koppelingen/eaccounting-vismanet/domain/types';
import { eaccountingVismanetSettings } from '../../../src/koppelingen/eaccounting-vismanet/settings';

const article = (x: Partial<SourceArticle> = {}): SourceArticle => ({ Id: 'a1', Number: 'SKU-1', Name: 'Bureaustoel', IsActive: true, NetPrice: 100, GrossPrice: 121, UnitAbbreviation: 'st', ...x });
const company: SourceCustomer = {
  Id: 'c1',
  Name: 'Bakkerij De Korenbloem B.V.',
  IsPrivatePerson: false,
  EmailAddress: 'Inkoop@Korenbloem.nl ',
  ContactPersonName: 'Anna de Vries',
  InvoiceAddress1: 'Dorpsstraat 1',
  InvoicePostalCode: '3511 AA',
  InvoiceCity: 'Utrecht',
  InvoiceCountryCode: 'nl',
  VatNumber: 'NL001234567B01',
};
const person: SourceCustomer = { Id: 'c2', Name: 'Piet Jansen', IsPrivatePerson: true, EmailAddress: 'piet@example.nl', InvoiceCity: 'Gouda' };
const order = (x: Partial<SourceOrder> = {}): SourceOrder => ({
  Id: '7f3a2b10-aaaa-bbbb-cccc-000000000001',
  Number: 1042,
  CustomerId: 'c1',
  OrderDate: '2026-03-02',
  Status: 4,
  CurrencyCode: 'EUR',
  Rows: [
    { LineNumber: 1, ArticleNumber: 'SKU-1', Quantity: 2, UnitPrice: 100, DiscountPercentage: 0.1 },
    { LineNumber: 2, IsTextRow: true, Text: 'Bedankt voor uw bestelling' },
    { LineNumber: 3, ArticleNumber: 'sku-2', Quantity: 1, UnitPrice: 5 },
  ],
  ...x,
});
const orderSettings = { orderType: 'SO', branch: '1', warehouse: 'MAIN' };

describe('settings', () => {
  it('defaults: products and orders on, only invoiced orders, update on, 30 days of activity log', () => {
    const s = eaccountingVismanetSettings.parse({});
    expect(s.flows).toEqual({ products: true, orders: true, customers: false });
    expect(s.orders.statuses).toEqual([4]);
    expect(s.products.update).toBe(true);
    expect(s.activityRetentionDays).toBe(30);
  });
  it('refuses no flow at all and unknown statuses, naming the field', () => {
    const r = eaccountingVismanetSettings.safeParse({ flows: { products: false, orders: false, customers: false } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['flows']);
    const bad = eaccountingVismanetSettings.safeParse({ orders: { statuses: [5] } });
    expect(bad.error?.issues[0].path).toEqual(['orders', 'statuses', 0]);
  });
});

describe('products', () => {
  it('creates a new SKU, updates a changed one, and with update off never overwrites an existing one', () => {
    expect(planProduct({ exists: false, update: false, changed: true })).toEqual({ action: 'create' });
    expect(planProduct({ exists: true, update: true, changed: true })).toEqual({ action: 'update' });
    expect(planProduct({ exists: true, update: true, changed: false }).action).toBe('skip');
    const off = planProduct({ exists: true, update: false, changed: true });
    expect(off).toMatchObject({ action: 'skip' });
    expect(off.action === 'skip' && off.reason).toContain('bijwerken');
  });
  it('says so when an article has images, attributes or categories (simple products only)', () => {
    expect(unsupportedFeatures(article())).toBeUndefined();
    expect(unsupportedFeatures(article({ Images: [], Categories: null }))).toBeUndefined();
    const msg = unsupportedFeatures(article({ Images: ['https://x/1.jpg'], Attributes: { kleur: 'rood' }, Categories: ['Stoelen'] }));
    expect(msg).toContain('SKU-1');
    expect(msg).toMatch(/afbeeldingen.*kenmerken.*categorieën/);
    expect(msg).toContain('eenvoudige producten');
  });
  it('maps name, SKU, price excl. btw and the unit', () => {
    expect(defaultInventory(article())).toMatchObject({ inventoryNumber: 'SKU-1', description: 'Bureaustoel', defaultPrice: 100, status: 'Active', baseUnit: 'st' });
  });
});

describe('customers', () => {
  it('matches by e-mail: none → create, one → update, two → conflict naming both, not guessed', () => {
    expect(matchCustomer('a@b.nl', [])).toEqual({ kind: 'create' });
    expect(matchCustomer(' A@B.nl', [{ number: '10001', email: 'a@b.nl' }])).toEqual({ kind: 'update', number: '10001' });
    const c = matchCustomer('a@b.nl', [
      { number: '10002', email: 'a@b.nl' },
      { number: '10001', email: 'A@B.NL' },
    ]);
    expect(c).toMatchObject({ kind: 'conflict', numbers: ['10001', '10002'] });
    expect(c.kind === 'conflict' && c.message).toContain('10001, 10002');
    // A looser search hit with another address does not count.
    expect(matchCustomer('a@b.nl', [{ number: '10003', email: 'other@b.nl' }])).toEqual({ kind: 'create' });
    expect(matchCustomer('', [])).toEqual({ kind: 'noEmail' });
  });
  it('company name → business debtor with its contact person; none → person debtor', () => {
    expect(debtorKind(company)).toBe('business');
    expect(debtorKind(person)).toBe('person');
    const b = defaultCustomer(company, { businessClass: 'ZAK', personClass: 'PRIV' });
    expect(b).toMatchObject({ name: 'Bakkerij De Korenbloem B.V.', customerClassId: 'ZAK', vatRegistrationId: 'NL001234567B01', mainContact: { name: 'Anna de Vries', email: 'Inkoop@Korenbloem.nl' } });
    expect(b.mainAddress).toEqual({ addressLine1: 'Dorpsstraat 1', postalCode: '3511 AA', city: 'Utrecht', countryId: 'NL' });
    const p = defaultCustomer(person, { businessClass: 'ZAK', personClass: 'PRIV' });
    expect(p).toMatchObject({ name: 'Piet Jansen', customerClassId: 'PRIV', mainContact: { name: 'Piet Jansen', email: 'piet@example.nl' } });
    expect(p.vatRegistrationId).toBeUndefined();
    expect(customerEmail(company)).toBe('inkoop@korenbloem.nl');
  });
  it('maps terms of payment by name or id, with a default, and says when one is unmapped', () => {
    const terms = [{ Id: 't30', Name: '30 dagen' }, { Id: 'tc', Name: 'Contant' }];
    const s = { paymentTerms: { '30 DAGEN': '30D' }, paymentMethods: { tc: 'CASH' }, defaultPaymentMethod: 'BANK' };
    expect(mapPaymentTerms('t30', terms, s)).toEqual({ creditTermsId: '30D', paymentMethodId: 'BANK' });
    expect(mapPaymentTerms('tc', terms, s)).toEqual({ paymentMethodId: 'CASH', unmapped: 'Contant' });
    expect(mapPaymentTerms('tc', terms, { ...s, defaultPaymentTerm: '14D' })).toEqual({ creditTermsId: '14D', paymentMethodId: 'CASH' });
  });
});

describe('orders', () => {
  it('has a deterministic external reference', () => {
    expect(orderReference(order())).toBe('EA-1042-7F3A2B10');
    expect(orderReference(order())).toBe(orderReference({ Id: order().Id, Number: 1042 }));
    expect(orderReference(order({ Id: 'ffffffff-0000' }))).not.toBe(orderReference(order()));
  });
  it('selects only the chosen statuses (and since a date)', () => {
    expect(orderSelected(order(), [4])).toBe(true);
    expect(orderSelected(order({ Status: 2 }), [4])).toBe(false);
    expect(orderSelected(order({ ModifiedUtc: '2026-01-01T10:00:00Z' }), [4], '2026-02-01')).toBe(false);
  });
  it('skips an order already in Visma.net', () => {
    expect(planOrder({ order: order(), exists: true, knownSkus: new Set(), customerNumber: '10001', settings: orderSettings })).toMatchObject({ action: 'skip' });
  });
  it('waits for missing SKUs, listing them, and goes through once they exist', () => {
    const w = planOrder({ order: order(), exists: false, knownSkus: new Set(['SKU-1']), customerNumber: '10001', settings: orderSettings });
    expect(w).toMatchObject({ action: 'wait', missingSkus: ['sku-2'] });
    expect(w.action === 'wait' && w.reason).toContain('sku-2');
    const ok = planOrder({ order: order(), exists: false, knownSkus: new Set(['SKU-1', 'SKU-2']), customerNumber: '10001', settings: orderSettings, payment: { creditTermsId: '30D' } });
    expect(ok).toMatchObject({
      action: 'create',
      reference: 'EA-1042-7F3A2B10',
      payload: {
        type: 'SO',
        customer: { id: '10001' },
        customerRefNo: 'EA-1042-7F3A2B10',
        branchId: '1',
        creditTermsId: '30D',
        orderLines: [
          { inventoryId: 'SKU-1', quantity: 2, unitPrice: 100, discountPercent: 10, warehouseId: 'MAIN' },
          { inventoryId: 'sku-2', quantity: 1, unitPrice: 5, warehouseId: 'MAIN' },
        ],
      },
    });
  });
  it('resolves rows that carry only an article id, and waits on the ones it cannot', () => {
    const o = order({ Rows: [{ ArticleId: 'a9', Quantity: 1 }] });
    expect(orderSkus(o, new Map([['a9', 'SKU-9']]))).toEqual({ skus: ['SKU-9'], unresolved: [] });
    expect(planOrder({ order: o, exists: false, knownSkus: new Set(['SKU-9']), customerNumber: '1', settings: orderSettings })).toMatchObject({ action: 'wait', missingSkus: ['a9'] });
  });
  it('uses the default debtor as configured', () => {
    expect(chooseDebtor(company)).toEqual({ use: 'own', email: 'inkoop@korenbloem.nl' });
    expect(chooseDebtor(person, { number: 'D1', use: 'persons' })).toEqual({ use: 'default', number: 'D1' });
    expect(chooseDebtor(company, { number: 'D1', use: 'persons' })).toMatchObject({ use: 'own' });
    expect(chooseDebtor({ ...person, EmailAddress: '' }, { number: 'D1', use: 'noEmail' })).toEqual({ use: 'default', number: 'D1' });
    expect(chooseDebtor({ ...person, EmailAddress: '' })).toMatchObject({ use: 'none' });
    expect(chooseDebtor(company, { number: 'D1', use: 'always' })).toEqual({ use: 'default', number: 'D1' });
  });
});

describe('payload overlay (datamapper output over the defaults)', () => {
  it('replaces values and merges nested objects and dot paths', () => {
    expect(overlay({ name: 'a', mainContact: { name: 'x', email: 'e' } }, { 'mainContact.name': 'y', note: 'n' })).toEqual({ name: 'a', note: 'n', mainContact: { name: 'y', email: 'e' } });
    expect(overlay({ mainAddress: { city: 'A', postalCode: '1' } }, { mainAddress: { city: 'B' } })).toEqual({ mainAddress: { city: 'B', postalCode: '1' } });
  });
});
