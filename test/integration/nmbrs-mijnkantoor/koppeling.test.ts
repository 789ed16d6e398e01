/**
 * Nmbrs ↔ Mijn Kantoor end to end: admin API over HTTP → MongoDB → Temporal dev server → worker →
 * the Nmbrs (SOAP) and Mijn Kantoor (REST) simulators, inspected only through their control APIs.
 * The tests build on each other: the first hour files everything once, the second files nothing,
 * a recalculated run becomes a new version, the status filter widens, relation conflicts are
 * reported per relation, and a wrong Tenant Key says so in the seed's words.
 */
import { DEMO_TENANT } from '../../../src/systems/mijnkantoor/simulator/demo';
import { Harness, waitFor } from '../harness';

jest.setTimeout(120_000);

const h = new Harness();
let key: string;
let kid: string;

const SEED_NMBRS = { clientId: 'demo@koppelwerk.nl', clientSecret: 'demo-nmbrs-token', tenantKey: 'demo', tenantName: 'Administratiekantoor De Vries' };
const MK = { token: 'demo-mijnkantoor-token', tenant: DEMO_TENANT };
const DIRS = { loonstroken: 'dir_loonstroken', sepa: 'dir_sepa', loonaangiftes: 'dir_loonaangiftes', jaarwerk: 'dir_jaarwerk' };

interface Item { id: string; customer_id: string; dossier_directory_id: string; name: string; year: number | null; period: string | null; sha256: string }
interface Customer { id: string; number: string; name: string }

beforeAll(async () => {
  await h.start({ simulators: ['nmbrs', 'mijnkantoor'] });
  key = await h.tenant('kantoor');
});
afterAll(() => h.stop());

const items = () => h.control<Item[]>('mijnkantoor', 'GET', `/tenants/${DEMO_TENANT}/items`);
const customers = () => h.control<Customer[]>('mijnkantoor', 'GET', `/tenants/${DEMO_TENANT}/customers`);
const live = async (id: string) => (await h.call('GET', `/koppelingen/${id}`, { key })).body;

async function cycleDone(id: string, n: number) {
  return waitFor(
    async () => {
      const k = await live(id);
      return k.live && k.live.lastCycle?.cycleNo >= n && k.live.state !== 'RUNNING' ? k : undefined;
    },
    60_000,
    `cycle ${n} of ${id}`,
  );
}

async function syncNow(id: string) {
  const before = (await live(id)).live.lastCycle?.cycleNo ?? 0;
  expect((await h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: 'test' }, key })).status).toBe(202);
  return cycleDone(id, before + 1);
}

const body = (over: { settings?: Record<string, unknown>; nmbrs?: Record<string, string> } = {}) => ({
  type: 'nmbrs-mijnkantoor',
  name: 'Nmbrs ↔ Mijn Kantoor',
  settings: { syncFromYear: 2026, directories: DIRS, ...over.settings },
  credentials: { nmbrs: over.nmbrs ?? SEED_NMBRS, mijnkantoor: MK },
  cadence: { kind: 'hourly', from: '07:00', to: '20:00', minute: 0 },
});

test('a directory with subdirectories is refused when saved (400 naming it), as is a full host name as Tenant Key', async () => {
  const res = await h.call('POST', '/koppelingen', { key, body: body({ settings: { directories: { ...DIRS, loonstroken: 'dir_salaris' } } }) });
  expect(res.status).toBe(400);
  expect(res.body.issues).toEqual([{ field: 'settings.directories.loonstroken', reason: expect.stringContaining('"Salarisadministratie" (dir_salaris) heeft submappen') }]);
  const host = await h.call('POST', '/koppelingen', { key, body: body({ nmbrs: { ...SEED_NMBRS, tenantKey: 'demo.nmbrs.nl' } }) });
  expect(host.status).toBe(400);
  expect(host.body.issues.map((i: { field: string }) => i.field)).toEqual(['credentials.nmbrs.domain']);
  const direct = await h.call('POST', '/koppelingen', { key, body: body({ settings: { directSync: true } }) });
  expect(direct.status).toBe(400);
  expect(direct.body.issues[0]).toMatchObject({ field: 'settings.directSync' });
});

test('the first hour files every payslip, SEPA file and locked loonaangifte once, in the right leaf, with recognisable names', async () => {
  const res = await h.call('POST', '/koppelingen', { key, body: body() });
  expect(res.status).toBe(201);
  kid = res.body.id;
  const k = await cycleDone(kid, 1);
  expect(k.live.lastCycle.result).toBe('ok');
  // EB Bedrijf: 10 locked runs (periods 1–9 and the extra run of 9), Bakkerij: 1; loonaangiftes 8 + 2 locked.
  expect(k.live.lastCycle.counts).toMatchObject({ bedrijven: 2, gekoppeld: 2, gearchiveerd: 32, wachtend: 4, contactpersonen: 8 });

  const all = await items();
  expect(all).toHaveLength(32);
  const eb = (await customers()).find((c) => c.number === '0001')!;
  const byName = (n: string) => all.filter((i) => i.name === n);
  expect(byName('Loonstroken 2026-03 run 3.pdf')).toEqual([expect.objectContaining({ customer_id: eb.id, dossier_directory_id: 'dir_loonstroken', year: 2026, period: '3' })]);
  expect(byName('SEPA salarisbetaling 2026-03 run 3.xml')).toEqual([expect.objectContaining({ customer_id: eb.id, dossier_directory_id: 'dir_sepa' })]);
  expect(byName('Loonaangifte 2026-03 (tijdvak maart).xml')).toEqual([expect.objectContaining({ customer_id: eb.id, dossier_directory_id: 'dir_loonaangiftes' })]);
  expect(byName('Loonstroken 2026-01 t/m 02 run 1.pdf')).toHaveLength(1); // the bakery's two-period run
  expect(new Set(all.map((i) => `${i.customer_id}|${i.name}`)).size).toBe(all.length);
  expect(all.some((i) => i.name.startsWith('Loonaangifte 2026-09'))).toBe(false); // status "open"

  const ledger = (await h.call('GET', `/koppelingen/${kid}/ledger?limit=500`, { key })).body.items as Array<{ entity: string; status: string; contentHash: string }>;
  expect(ledger.filter((e) => ['loonstroken', 'sepa', 'loonaangiftes'].includes(e.entity) && e.status === 'posted')).toHaveLength(32);
  const contacts = await h.control<Array<{ customer_ids: string[]; function: string }>>('mijnkantoor', 'GET', `/tenants/${DEMO_TENANT}/contacts`);
  expect(contacts.filter((c) => c.customer_ids.includes(eb.id))).toHaveLength(5);

  // The operator's view: what was filed this hour, what is waiting and why.
  const view = (await h.call('GET', `/koppelingen/${kid}/preview`, { key })).body;
  expect(view.filedLastHour).toHaveLength(32);
  expect(view.nextCycle).toEqual([]);
  expect(view.waitingTotal).toBe(4);
  expect(view.waiting).toEqual(expect.arrayContaining([expect.stringContaining('run 11 (2026-10) is nog niet vergrendeld'), expect.stringContaining('heeft status "open"')]));
});

test('a second hour files nothing and downloads nothing: only list calls', async () => {
  await h.control('nmbrs', 'DELETE', '/stats');
  const k = await syncNow(kid);
  expect(k.live.lastCycle.counts).toMatchObject({ ongewijzigd: 32 });
  expect(k.live.lastCycle.counts.gearchiveerd).toBeUndefined();
  expect(await items()).toHaveLength(32);
  const ops = Object.keys((await h.control<{ operations: Record<string, unknown> }>('nmbrs', 'GET', '/stats')).operations);
  expect(ops.filter((o) => /SalaryDocuments|WageTax_GetXML/.test(o))).toEqual([]);
});

test('a recalculated run yields a new version with a clear name, never an overwrite', async () => {
  await h.control('nmbrs', 'POST', '/runs/41003/recalculate', {});
  const k = await syncNow(kid);
  expect(k.live.lastCycle.counts).toMatchObject({ nieuweVersie: 2 });
  const all = await items();
  expect(all).toHaveLength(34);
  expect(all.filter((i) => i.name.startsWith('Loonstroken 2026-03 run 3')).map((i) => i.name).sort()).toEqual([
    'Loonstroken 2026-03 run 3 (versie 2).pdf',
    'Loonstroken 2026-03 run 3.pdf',
  ]);
  expect(all.some((i) => i.name === 'SEPA salarisbetaling 2026-03 run 3 (versie 2).xml')).toBe(true);
});

test('the status filter: with "open" added, the open loonaangiftes are filed too', async () => {
  const res = await h.call('PUT', `/koppelingen/${kid}`, { key, body: { settings: { syncFromYear: 2026, directories: DIRS, loonaangifteStatuses: ['locked', 'open'] } } });
  expect(res.status).toBe(200);
  await syncNow(kid);
  const all = await items();
  expect(all.filter((i) => i.name.startsWith('Loonaangifte'))).toHaveLength(12);
});

test('relation conflicts are reported per relation, not guessed; the others keep syncing', async () => {
  await h.control('nmbrs', 'POST', '/companies', { id: 1003, debtorId: 501, number: 2, name: 'Bakkerij De Korst Oost' });
  await h.control('nmbrs', 'POST', '/companies', { id: 1004, debtorId: 501, number: 99, name: 'Zonder Relatie B.V.' });
  const k = await syncNow(kid);
  expect(k.live.lastCycle.result).toBe('partial');
  expect(k.live.lastCycle.counts).toMatchObject({ conflicten: 3, gekoppeld: 1 });
  const log = (await h.call('GET', `/koppelingen/${kid}/log?limit=200`, { key })).body.items as Array<{ code: string; message: string }>;
  const conflicts = log.filter((e) => e.code === 'RELATION_CONFLICT').map((e) => e.message);
  expect(conflicts).toEqual(
    expect.arrayContaining([
      expect.stringContaining('Zonder Relatie B.V. (nummer 99) niet gekoppeld: Er is geen relatie met nummer 99 in Mijn Kantoor'),
      expect.stringContaining('Bakkerij De Korst Oost (nummer 2) niet gekoppeld: Nummer 2 komt voor bij 2 bedrijven in Nmbrs'),
    ]),
  );
  expect(log.some((e) => e.code === 'DOCUMENTS_WAITING' && e.message.includes('nog niet vergrendeld'))).toBe(true);
});

test('a wrong Tenant Key waits for new credentials with the seed\'s "Tenant Key niet gevonden" and its fix', async () => {
  const res = await h.call('POST', '/koppelingen', { key, body: { ...body({ nmbrs: { ...SEED_NMBRS, tenantKey: 'kantoor' } }), tenantId: 'kantoor' } });
  expect(res.status).toBe(201);
  const k = await cycleDone(res.body.id, 1);
  expect(k.live.state).toBe('WAITING_REAUTH');
  expect(k.live.lastCycle.error.oorzaak).toContain('Tenant Key niet gevonden');
  expect(k.live.lastCycle.error.oplossing).toContain('het gedeelte vóór .nmbrs.nl');
  expect(k.live.lastCycle.error.oplossing).toContain('"demo"');
});

test('outbound direct sync: the seed\'s warning when switched on; a webhook pushes one changed customer to Nmbrs within seconds, once per event id', async () => {
  const res = await h.call('POST', '/koppelingen', {
    key,
    body: { ...body({ nmbrs: { ...SEED_NMBRS, tenantKey: '' }, settings: { direction: 'outbound', directSync: true, fetch: { loonaangiftes: false, loonstroken: false, sepa: false } } }) },
  });
  expect(res.status).toBe(201);
  expect(res.body.warnings).toEqual([expect.stringContaining('Het kan namelijk zijn dat data wordt overschreven in Nmbrs')]);
  const out = res.body.id as string;
  // Its first hour, outbound: Jansen Advies (17) has no Nmbrs company and gets one; number 2 is on two
  // Nmbrs companies (the previous test) and is reported, not guessed; the person 1005 is no company.
  const first = await cycleDone(out, 1);
  expect(first.live.lastCycle.counts).toMatchObject({ relatiesAangemaakt: 1 });
  type Companies = { companies: Array<{ id: number; name: string; number: number }> };
  expect((await h.control<Companies>('nmbrs', 'GET', '/state')).companies.filter((c) => c.name === 'Jansen Advies')).toHaveLength(1);
  const outLog = (await h.call('GET', `/koppelingen/${out}/log?limit=100`, { key })).body.items as Array<{ code: string; message: string; details?: { relation?: string } }>;
  expect(outLog.some((e) => e.code === 'RELATION_CONFLICT' && e.details?.relation?.startsWith('mijnkantoor:') && e.message.includes('bij 2 bedrijven in Nmbrs'))).toBe(true);

  const mk = await fetch(`${h.mijnkantoor!.url}/v1/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MK.token}`, 'x-tenant': MK.tenant, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Direct B.V.', number: '500', type: 'business', address: { street: 'Kerkstraat', house_number: '5', postal_code: '1234AB', city: 'Ede' } }),
  });
  const customer = ((await mk.json()) as { data: { id: string } }).data;
  const t0 = Date.now();
  const event = { event_id: 'evt-1', event: 'customer.created', data: { customer_id: customer.id } };
  const accepted = await h.call('POST', `/webhooks/mijnkantoor/${out}`, { key, body: event });
  expect(accepted.status).toBe(202);
  type NmbrsState = { companies: Array<{ id: number; name: string }>; addresses: Array<{ id: number; companyId: number; street?: string; city?: string }> };
  const company = await waitFor(async () => (await h.control<NmbrsState>('nmbrs', 'GET', '/state')).companies.find((c) => c.name === 'Direct B.V.'), 15_000, 'company in Nmbrs');
  expect(Date.now() - t0).toBeLessThan(10_000);
  await waitFor(async () => (await h.control<NmbrsState>('nmbrs', 'GET', '/state')).addresses.find((a) => a.companyId === company.id && a.city === 'Ede'), 15_000, 'address in Nmbrs');

  const again = await h.call('POST', `/webhooks/mijnkantoor/${out}`, { key, body: event });
  expect(again.status).toBe(200);
  expect(again.body.duplicate).toBe(true);
  expect((await h.call('POST', `/webhooks/mijnkantoor/${kid}`, { key, body: { ...event, event_id: 'evt-2' } })).status).toBe(409); // inbound koppeling
  expect((await h.control<NmbrsState>('nmbrs', 'GET', '/state')).companies.filter((c) => c.name === 'Direct B.V.')).toHaveLength(1);

  // The hourly outbound cycle also follows Mijn Kantoor: a moved customer moves in Nmbrs (a new address id).
  const before = (await h.control<NmbrsState>('nmbrs', 'GET', '/state')).addresses.find((a) => a.companyId === company.id)!;
  await fetch(`${h.mijnkantoor!.url}/v1/customers/${customer.id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${MK.token}`, 'x-tenant': MK.tenant, 'content-type': 'application/json' },
    body: JSON.stringify({ address: { street: 'Markt', house_number: '1', postal_code: '6711AA', city: 'Wageningen' } }),
  });
  await syncNow(out);
  const moved = (await h.control<NmbrsState>('nmbrs', 'GET', '/state')).addresses.filter((a) => a.companyId === company.id);
  expect(moved).toEqual([expect.objectContaining({ city: 'Wageningen' })]);
  expect(moved[0].id).not.toBe(before.id);
  expect((await h.control<NmbrsState>('nmbrs', 'GET', '/state')).companies.filter((c) => c.name === 'Direct B.V.')).toHaveLength(1);

  // Nmbrs numbered the companies it created itself, so their numbers differ from the customers';
  // the ledger links them: no "geen relatie met nummer" conflict for them in later cycles.
  const created = (await h.control<Companies>('nmbrs', 'GET', '/state')).companies.filter((c) => c.name === 'Jansen Advies' || c.name === 'Direct B.V.');
  const since = new Date().toISOString();
  await syncNow(out);
  const later = (await h.call('GET', `/koppelingen/${out}/log?limit=200`, { key })).body.items as Array<{ code: string; at?: string; message: string; details?: { relation?: string } }>;
  const about = later.filter((e) => e.code === 'RELATION_CONFLICT' && (e.at ?? '') >= since && created.some((c) => e.details?.relation === `nmbrs:${c.id}`));
  expect(about).toEqual([]);
});
