/**
 * The kill soak's end check for eAccounting → Visma.net counts what it should: an order once by its
 * reference and confirmed, a customer once by e-mail, an article once by SKU; a second copy is a
 * duplicate, an absent or unconfirmed one is missing. Canned simulator answers, no servers.
 */
import { eaccountingVismanetSoak } from '../../../src/koppelingen/eaccounting-vismanet/soak';
import { orderReference } from '../../../src/koppelingen/eaccounting-vismanet/domain/orders';
import type { SoakContext } from '../../../src/koppelingen/koppeling';

const o = (Id: string, Number: number, Status: number) => ({ Id, Number, Status });
const ea = {
  orders: [o('a1000000-0000-4000-8000-000000000001', 1, 4), o('a2000000-0000-4000-8000-000000000002', 2, 3), o('a3000000-0000-4000-8000-000000000003', 3, 4), o('a4000000-0000-4000-8000-000000000004', 4, 1)],
  customers: [
    { Id: 'c1', Name: 'A', EmailAddress: 'A@x.nl', ContactPersonEmail: null },
    { Id: 'c2', Name: 'B', EmailAddress: null, ContactPersonEmail: 'b@x.nl' },
    { Id: 'c3', Name: 'C', EmailAddress: 'c@x.nl', ContactPersonEmail: null },
  ],
  articles: [
    { Id: 'p1', Number: 'FIETS-001', IsActive: true },
    { Id: 'p2', Number: 'bel-002', IsActive: true },
    { Id: 'p3', Number: 'OUD', IsActive: false },
  ],
};
const ref = (i: number) => orderReference(ea.orders[i]);

function ctx(vn: { salesorders: unknown[]; customers: unknown[]; inventory: unknown[] }): SoakContext {
  return {
    control: async (system, _method, path) => {
      if (system === 'eaccounting') return (ea as Record<string, unknown>)[path.split('/').pop()!] as never;
      return (vn as Record<string, unknown>)[path.slice(1)] as never;
    },
    random: () => 0.5,
    api: async () => ({}) as never,
    admin: { url: '', key: '' },
  };
}

test('all there once and confirmed: nothing missing or doubled; draft orders and inactive articles are not expected', async () => {
  const r = await eaccountingVismanetSoak.check(
    ctx({
      salesorders: [0, 1, 2].map((i) => ({ orderId: String(i), status: 'Open', customerRefNo: ref(i) })).concat([{ orderId: '9', status: 'Hold', customerRefNo: 'SOMEONE-ELSE' }]),
      customers: [{ number: '1', mainContact: { email: 'a@x.nl' } }, { number: '2', mainContact: { email: 'B@x.nl' } }, { number: '3', mainContact: { email: 'c@x.nl' } }, { number: '4', mainContact: { email: 'other@x.nl' } }],
      inventory: [{ inventoryNumber: 'FIETS-001' }, { inventoryNumber: 'BEL-002' }, { inventoryNumber: 'TEGEL' }],
    }),
  );
  expect(r).toMatchObject({ expected: 8, items: 8, duplicates: 0, missing: 0 });
  expect(r.detail).toContain('3 synced orders, 3 customers, 2 products');
});

test('a doubled order and customer, a missing customer and product, an unconfirmed order: each counted and named', async () => {
  const r = await eaccountingVismanetSoak.check(
    ctx({
      salesorders: [
        { orderId: '1', status: 'Open', customerRefNo: ref(0) },
        { orderId: '2', status: 'Open', customerRefNo: ref(0) },
        { orderId: '3', status: 'Hold', customerRefNo: ref(1) },
        { orderId: '4', status: 'Open', customerRefNo: ref(2) },
      ],
      customers: [{ number: '1', mainContact: { email: 'a@x.nl' } }, { number: '2', mainContact: { email: 'a@x.nl' } }, { number: '3', mainContact: { email: 'b@x.nl' } }],
      inventory: [{ inventoryNumber: 'FIETS-001' }],
    }),
  );
  expect(r).toMatchObject({ expected: 8, items: 8, duplicates: 2, missing: 3 });
  expect(r.detail).toContain(`orders twice or more ${ref(0)} ×2`);
  expect(r.detail).toContain('customers missing c@x.nl');
  expect(r.detail).toContain('products missing BEL-002');
  expect(r.detail).toContain(`orders not confirmed ${ref(1)}`);
});
