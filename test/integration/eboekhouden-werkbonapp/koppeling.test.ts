/**
 * Koppeling e-Boekhouden ↔ WerkbonApp end to end: admin API over HTTP → MongoDB (FerretDB) →
 * Temporal dev server → worker → both simulators over HTTP. The simulators' control APIs set the
 * scene and show what arrived; nothing here depends on timing.
 */
import { createEboekhoudenClient } from '../../../src/systems/eboekhouden/client';
import { createWerkbonAppClient } from '../../../src/systems/werkbonapp/client';
import { resolveApiBase } from '../../../src/systems/werkbonapp/client/http';
import { DEMO_FACTUURSJABLOON, DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2, DEMO_USERNAME } from '../../../src/systems/eboekhouden/simulator/demo';
import { DEMO_TOKEN } from '../../../src/systems/werkbonapp/simulator/demo';
import { koppelingWorkflowId } from '../../../workflows/koppeling';
import { Harness, waitFor } from '../harness';

jest.setTimeout(180_000);

const TYPE = 'eboekhouden-werkbonapp';
const h = new Harness();
const started: string[] = [];

beforeAll(async () => {
  await h.start({ simulators: ['eboekhouden', 'werkbonapp'] });
  await h.tenant('acme');
});
afterAll(() => h.stop());
beforeEach(async () => {
  await eb('POST', '/reset', { demo: true });
  await eb('POST', '/faults', {});
  await wba('POST', '/reset', { demo: true });
  await wba('POST', '/faults', {});
});
afterEach(async () => {
  for (const id of started.splice(0)) await h.call('POST', `/koppelingen/${id}/stop`);
});

const eb = (method: string, path: string, body?: unknown) => h.control('eboekhouden', method, path, body);
const wba = (method: string, path: string, body?: unknown) => h.control('werkbonapp', method, path, body);

const goodCredentials = () => ({
  eboekhouden: { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 },
  werkbonapp: { token: DEMO_TOKEN },
});

async function create(exportSettings: Record<string, unknown> = {}, credentials: Record<string, Record<string, string>> = goodCredentials()): Promise<string> {
  const res = await h.call('POST', '/koppelingen', {
    body: {
      tenantId: 'acme',
      type: TYPE,
      name: 'Installatiebedrijf',
      settings: { import: { relaties: true, materialen: true, uursoorten: true }, export: { factuur: true, factuursjabloon: DEMO_FACTUURSJABLOON, betalingstermijn: 14, ...exportSettings } },
      credentials,
    },
  });
  expect(res.status).toBe(201);
  started.push(res.body.id);
  return res.body.id as string;
}

async function live(id: string) {
  return (await h.call('GET', `/koppelingen/${id}`)).body.live;
}

/** Cycle n has finished and the koppeling is idle (or waiting) again. */
async function cycle(id: string, n: number) {
  return waitFor(async () => {
    const l = await live(id);
    return l?.lastCycle?.cycleNo === n && l.state !== 'RUNNING' ? l : undefined;
  }, 90_000, `cycle ${n} of ${id}`);
}

async function sync(id: string, n: number) {
  const res = await h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: 'test' } });
  expect(res.status).toBe(202);
  return cycle(id, n);
}

async function logMessages(id: string): Promise<Array<{ code: string; message: string; level: string; cycleNo?: number }>> {
  return (await h.call('GET', `/koppelingen/${id}/log?limit=500`)).body.items;
}

async function werkbonStatus(): Promise<Record<string, string>> {
  const list: Array<{ id: string; status: string }> = await wba('GET', '/workorders');
  return Object.fromEntries(list.map((w) => [w.id, w.status]));
}

type Factuur = { Factuurnummer: string; Relatiecode: string; Factuursjabloon: string; Betalingstermijn: number; InBoekhoudingPlaatsen: boolean; TotaalExclBTW: number; Regels: Array<Record<string, unknown>> };

test('first cycle: imports relaties, materialen and uursoorten, invoices the released werkbonnen and marks them Afgehandeld', async () => {
  const id = await create();
  const l = await cycle(id, 1);
  expect(l.lastCycle).toMatchObject({ result: 'ok', counts: { relaties: 4, materialen: 6, uursoorten: 3, facturen: 3, afgehandeld: 3, relatiesAangemaakt: 1 } });
  expect(l.lastCycle.summary).toContain('4 relations synchronized 6 materials synchronized 3 hourtypes synchronized');

  // Import: all four relaties, the six materials with their units, the three active hour types.
  const relations: Array<Record<string, string>> = await wba('GET', '/relations');
  expect(relations.map((r) => r.debtor_number).sort()).toEqual(['K0001', 'K0002', 'REL001', 'REL002', 'REL003']);
  expect(relations.find((r) => r.debtor_number === 'REL001')).toMatchObject({ name: 'Van der Berg Vastgoed B.V.', street: 'Keizersgracht', house_number: '112', postal_code: '1015 CV', city: 'Amsterdam' });
  const hourtypes: Array<Record<string, string>> = await wba('GET', '/hourtypes');
  expect(hourtypes.map((x) => [x.code, x.name, x.sale_price, x.active])).toEqual([
    ['ARB', 'Arbeid', '55.00', '1'],
    ['ARBM', 'Arbeid monteur', '62.50', '1'],
    ['SPOED', 'Spoedtarief', '85.00', '1'],
  ]);
  const materials: Array<Record<string, string>> = await wba('GET', '/materials');
  expect(materials.map((m) => [m.code, m.price, m.unit]).sort()).toEqual([
    ['MAT-ALS', '64,50', 'Stuk'],
    ['MAT-KABEL', '2,15', 'Meter'],
    ['MAT-PVC', '0,85', 'Meter'],
    ['MAT-SCHR', '6,40', 'Doos'],
    ['MAT-WAGO', '18,75', 'Doos'],
    ['MAT-WCD', '8,95', 'Stuk'],
  ]);

  // Export: one invoice per released werkbon, with the template, term and processing chosen.
  const facturen: Factuur[] = await eb('GET', '/facturen');
  expect(facturen.map((f) => [f.Factuurnummer, f.Relatiecode, f.Factuursjabloon, f.Betalingstermijn, f.InBoekhoudingPlaatsen])).toEqual([
    ['WB-2025-0101', 'REL001', 'Standaard', 14, true],
    ['WB-2025-0102', 'REL002', 'Standaard', 14, true],
    ['WB-2025-0103', 'REL003', 'Standaard', 14, true],
  ].sort());
  const f1 = facturen.find((f) => f.Factuurnummer === 'WB-2025-0101')!;
  expect(f1.Regels.map((r) => [r.Code, r.Aantal, r.Eenheid, r.PrijsPerEenheid, r.BTWCode, r.TegenrekeningCode])).toEqual([
    ['ARBM', 2.5, 'Uur', 62.5, 'HOOG_VERK_21', '8000'], // 08:00–10:45 minus 15 minutes break
    ['MAT-ALS', 1, 'Stuk', 64.5, 'HOOG_VERK_21', '8100'],
    ['MAT-WCD', 2, 'Stuk', 8.95, 'HOOG_VERK_21', '8100'],
    ['MAT-KABEL', 12.5, 'Meter', 2.15, 'HOOG_VERK_21', '8100'],
  ]);
  expect(f1.TotaalExclBTW).toBe(265.53);
  // 1002: two periods of ARB grouped (4h15 + 2h30), ARBM separately.
  const f2 = facturen.find((f) => f.Factuurnummer === 'WB-2025-0102')!;
  expect(f2.Regels.filter((r) => r.Eenheid === 'Uur').map((r) => [r.Code, r.Aantal])).toEqual([['ARB', 6.75], ['ARBM', 4]]);
  // "Verwerken in de boekhouding": booked, so an open post per invoice.
  const posten: Array<{ MutFactuur: string }> = await eb('GET', '/open-posten');
  expect(posten.map((p) => p.MutFactuur).sort()).toEqual(['WB-2025-0101', 'WB-2025-0102', 'WB-2025-0103']);
  // "Exporteer relaties": REL003 existed only in WerkbonApp and was created first.
  const relaties: Array<Record<string, string>> = await eb('GET', '/relaties');
  expect(relaties.find((r) => r.Code === 'REL003')).toMatchObject({ Bedrijf: 'Huisartsenpraktijk De Linde', Adres: 'Lindelaan 7', Plaats: 'Zeist', BP: 'B' });

  // WerkbonApp: the three invoiced werkbonnen are Afgehandeld; 1004 (not released) and 1005 untouched.
  expect(await werkbonStatus()).toEqual({ '1001': 'Afgehandeld', '1002': 'Afgehandeld', '1003': 'Afgehandeld', '1004': 'Compleet', '1005': 'Opgehaald' });
  const w1004 = await wba('GET', '/workorders/1004');
  expect(w1004.history).toEqual([]); // listing never changed a status

  const log = await logMessages(id);
  const messages = log.map((e) => e.message);
  expect(messages).toContain('4 relations synchronized 6 materials synchronized 3 hourtypes synchronized');
  expect(messages.filter((m) => m.startsWith('Factuur '))).toHaveLength(3);
  expect(messages).toContain('Factuur WB-2025-0101 aangemaakt voor werkbon WB-2025-0101 (Van der Berg Vastgoed B.V., € 265,53 excl. btw, verwerkt in de boekhouding).');
  expect(messages).toContain('Relatie REL003 (Huisartsenpraktijk De Linde) aangemaakt in e-Boekhouden.nl.');

  // The ledger knows every invoice, by werkbon.
  const ledger = await h.deps.ledger.list({ koppelingId: id, entity: 'factuur' });
  expect(ledger.map((e) => [e.sourceKey, e.status, e.targetId])).toEqual([
    ['1001', 'posted', 'WB-2025-0101'],
    ['1002', 'posted', 'WB-2025-0102'],
    ['1003', 'posted', 'WB-2025-0103'],
  ].sort());

  // No credential reaches Temporal: not in the koppeling's history, not in any cycle's, even decoded.
  const secrets = [DEMO_TOKEN, DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2];
  const workflowId = koppelingWorkflowId('acme', id);
  const histories = [await h.client.workflow.getHandle(workflowId).fetchHistory()];
  for await (const child of h.client.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}/cycle-"` })) {
    histories.push(await h.client.workflow.getHandle(child.workflowId, child.runId).fetchHistory());
  }
  const payloads: Array<{ metadata: Record<string, Uint8Array>; data: Uint8Array }> = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.metadata && o.data instanceof Uint8Array) payloads.push(o as never);
    Object.values(o).forEach(walk);
  };
  histories.forEach(walk);
  const decoded = (await h.api.ctx.codec.decode(payloads)).map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
  expect(decoded).toContain('facturen aangemaakt'); // the payloads really were decoded
  for (const secret of secrets) {
    expect(JSON.stringify(histories)).not.toContain(secret);
    expect(decoded).not.toContain(secret);
  }

  // --- a second cycle writes nothing ---------------------------------------------------------------
  await eb('POST', '/stats/reset');
  await wba('DELETE', '/stats');
  const l2 = await sync(id, 2);
  expect(l2.lastCycle).toMatchObject({ result: 'ok', counts: { relaties: 0, materialen: 0, uursoorten: 0, facturen: 0, afgehandeld: 0 } });
  const ebCalls = (await eb('GET', '/stats')).calls as Record<string, number>;
  expect(Object.keys(ebCalls).filter((op) => /^(Add|Update)/.test(op))).toEqual([]);
  const waCalls = (await wba('GET', '/stats')).calls as Record<string, number>;
  expect(Object.keys(waCalls).filter((k) => k.startsWith('POST') || k === 'GET GetWorkorder' || k === 'GET UpdateWorkorder')).toEqual([]);
  expect((await eb('GET', '/facturen')).length).toBe(3);

  // A price change in e-Boekhouden reaches WerkbonApp next cycle, and only that record is sent.
  await eb('POST', '/artikelen', { ArtikelCode: 'MAT-LAMP', ArtikelOmschrijving: 'LED-lamp E27', Eenheid: 'Stuk', VerkoopprijsExclBTW: 4.5, TegenrekeningCode: '8100' });
  const l3 = await sync(id, 3);
  expect(l3.lastCycle.counts).toMatchObject({ relaties: 0, materialen: 1, uursoorten: 0 });
  expect((await logMessages(id)).map((e) => e.message)).toContain('0 relations synchronized 1 materials synchronized 0 hourtypes synchronized');
});

test('without "verwerken in de boekhouding" invoices are only prepared; without "exporteer relaties" a missing relatie fails that werkbon only', async () => {
  const id = await create({ verwerkenInBoekhouding: false, exporteerRelaties: false });
  const l = await cycle(id, 1);
  expect(l.lastCycle).toMatchObject({ result: 'partial', counts: { facturen: 2, afgehandeld: 2, overgeslagen: 1 } });
  const facturen: Factuur[] = await eb('GET', '/facturen');
  expect(facturen.map((f) => [f.Factuurnummer, f.InBoekhoudingPlaatsen])).toEqual([['WB-2025-0101', false], ['WB-2025-0102', false]]);
  expect(await eb('GET', '/open-posten')).toEqual([]); // prepared, not booked
  expect(await eb('GET', '/mutaties')).toEqual([]);
  expect((await eb('GET', '/relaties')).map((r: { Code: string }) => r.Code)).not.toContain('REL003');
  // The werkbon of the missing relatie stays Compleet, the others went on.
  expect(await werkbonStatus()).toMatchObject({ '1001': 'Afgehandeld', '1002': 'Afgehandeld', '1003': 'Compleet' });
  const skipped = (await logMessages(id)).find((e) => e.code === 'WERKBON_OVERGESLAGEN')!;
  expect(skipped.level).toBe('warn');
  expect(skipped.message).toContain('Werkbon WB-2025-0103 overgeslagen: De relatie REL003 bestaat niet in e-Boekhouden.nl.');
  expect(skipped.message).toContain("'Exporteer relaties'");

  // Switching "exporteer relaties" on: the next cycle creates the relatie and invoices the werkbon.
  const put = await h.call('PUT', `/koppelingen/${id}`, {
    body: { settings: { export: { factuur: true, factuursjabloon: DEMO_FACTUURSJABLOON, verwerkenInBoekhouding: false, exporteerRelaties: true } } },
  });
  expect(put.status).toBe(200);
  const l2 = await sync(id, 2);
  expect(l2.lastCycle).toMatchObject({ result: 'ok', counts: { facturen: 1, afgehandeld: 1, relatiesAangemaakt: 1 } });
  expect((await eb('GET', '/facturen')).map((f: Factuur) => f.Factuurnummer)).toEqual(['WB-2025-0101', 'WB-2025-0102', 'WB-2025-0103']);
  expect((await werkbonStatus())['1003']).toBe('Afgehandeld');
});

test('a werkbon that cannot be invoiced is skipped with the reason and retried; the others go on', async () => {
  const period = (hourType: string) => ({ WorkDate: '10-03-2025', BeginTime: '08:00', EndTime: '10:00', HourType: hourType, EmployeeNr: '11' });
  await wba('POST', '/workorders', [
    { WorkorderNo: 'WB-2025-0201', CustomerDebtorNrInvoice: 'REL001', status: 'Compleet', WorkStatus: '1', Workperiods: [period('NACHT')] },
    { WorkorderNo: 'WB-2025-0202', CustomerDebtorNrInvoice: 'REL002', status: 'Compleet', WorkStatus: '1', Workperiods: [period('ARB')] },
  ]);
  const id = await create();
  const l = await cycle(id, 1);
  expect(l.lastCycle).toMatchObject({ result: 'partial', counts: { facturen: 4, afgehandeld: 4, overgeslagen: 1 } });
  const status = await werkbonStatus();
  expect(status['1006']).toBe('Compleet');
  expect(status['1007']).toBe('Afgehandeld');
  const skipped = (await logMessages(id)).filter((e) => e.code === 'WERKBON_OVERGESLAGEN');
  expect(skipped.map((e) => e.message)).toEqual([expect.stringContaining('Werkbon WB-2025-0201 overgeslagen: Werkbon WB-2025-0201 gebruikt uursoort NACHT')]);

  // The office adds the hour type in e-Boekhouden: the next cycle imports it and invoices the werkbon.
  await eb('POST', '/artikelen', { ArtikelCode: 'NACHT', ArtikelOmschrijving: 'Nachttarief', Eenheid: 'Uur', VerkoopprijsExclBTW: 95, TegenrekeningCode: '8000' });
  const l2 = await sync(id, 2);
  expect(l2.lastCycle).toMatchObject({ result: 'ok', counts: { uursoorten: 1, facturen: 1, afgehandeld: 1 } });
  const f = (await eb('GET', '/facturen')).find((x: Factuur) => x.Factuurnummer === 'WB-2025-0201');
  expect(f.Regels).toEqual([expect.objectContaining({ Code: 'NACHT', Aantal: 2, PrijsPerEenheid: 95 })]);
});

test('hour types deleted in WerkbonApp are imported again in the next cycle, and its werkbonnen invoiced', async () => {
  const id = await create();
  await cycle(id, 1);
  // Someone deletes two hour types in WerkbonApp (the documented DeleteEntity call); their products
  // in e-Boekhouden do not change, so only the check on WerkbonApp's own list can notice.
  for (const code of ['ARB', 'SPOED']) {
    const url = `${resolveApiBase(h.werkbonapp!.apiUrl, 8)}/DeleteEntity/?token=${DEMO_TOKEN}&entity=hourtype&key=code&value=${code}`;
    expect(await (await fetch(url)).json()).toMatchObject({ code: 200, response: 1 });
  }
  await wba('POST', '/workorders', { WorkorderNo: 'WB-2025-0401', CustomerDebtorNrInvoice: 'REL001', status: 'Compleet', WorkStatus: '1', Workperiods: [{ WorkDate: '12-03-2025', BeginTime: '08:00', EndTime: '10:00', HourType: 'ARB' }] });
  const l = await sync(id, 2);
  expect(l.lastCycle).toMatchObject({ result: 'ok', counts: { hersteld: 2, uursoorten: 2, facturen: 1 } });
  expect(((await wba('GET', '/hourtypes')) as Array<{ code: string }>).map((x) => x.code).sort()).toEqual(['ARB', 'ARBM', 'SPOED']);
  expect((await logMessages(id)).map((e) => e.message)).toContain('WerkbonApp mist 2 eerder geïmporteerde uursoorten (ARB, SPOED); ze worden opnieuw geïmporteerd.');
  // Back in step: the next cycle finds nothing missing and writes nothing.
  await wba('DELETE', '/stats');
  const l3 = await sync(id, 3);
  expect(l3.lastCycle.counts).toMatchObject({ uursoorten: 0, facturen: 0 });
  expect(l3.lastCycle.counts.hersteld).toBeUndefined();
  expect((await wba('GET', '/stats')).calls['POST hourtypes']).toBeUndefined();
});

test('relaties: WerkbonApp changes reach e-Boekhouden, e-Boekhouden changes reach WerkbonApp, without bouncing back', async () => {
  const id = await create();
  await cycle(id, 1);
  const office = createWerkbonAppClient({ baseUrl: h.werkbonapp!.apiUrl, token: DEMO_TOKEN });
  const ebClient = createEboekhoudenClient({ baseUrl: h.eboekhouden!.url, credentials: goodCredentials().eboekhouden });

  // The office moves Bakkerij Jansen in WerkbonApp and completes a new werkbon for it.
  const rel002 = (await office.getRelations()).find((r) => r.debtorNumber === 'REL002')!;
  await office.upsertRelations([{ ...rel002, street: 'Kerkplein', houseNumber: '3', postalCode: '3731 CD' }]);
  await wba('POST', '/workorders', { WorkorderNo: 'WB-2025-0301', CustomerDebtorNrInvoice: 'REL002', status: 'Compleet', WorkStatus: '1', Workperiods: [{ WorkDate: '11-03-2025', BeginTime: '08:00', EndTime: '09:00', HourType: 'ARB' }] });
  const l2 = await sync(id, 2);
  expect(l2.lastCycle).toMatchObject({ result: 'ok', counts: { relaties: 0, facturen: 1, relatiesBijgewerkt: 1 } });
  const relaties: Array<Record<string, string>> = await eb('GET', '/relaties');
  expect(relaties.find((r) => r.Code === 'REL002')).toMatchObject({ Adres: 'Kerkplein 3', Postcode: '3731 CD', Plaats: 'De Bilt', KvkNummer: '30123459' });
  expect((await logMessages(id)).map((e) => e.message)).toContain('Relatie REL002 bijgewerkt in e-Boekhouden.nl (adres, postcode).');

  // Nothing bounces back: the next cycle neither imports REL002 nor updates it again.
  await eb('POST', '/stats/reset');
  await wba('DELETE', '/stats');
  const l3 = await sync(id, 3);
  expect(l3.lastCycle.counts).toMatchObject({ relaties: 0, facturen: 0 });
  expect((await eb('GET', '/stats')).calls.UpdateRelatie).toBeUndefined();
  expect((await wba('GET', '/stats')).calls['POST relations']).toBeUndefined();

  // The bookkeeper edits REL003 (made by the koppeling) in e-Boekhouden: it reaches WerkbonApp, and
  // what only WerkbonApp keeps (the remark for the technician) survives the upsert.
  await ebClient.withSession((s) => s.updateRelatie({ code: 'REL003', bedrijf: 'Huisartsenpraktijk De Linde', bp: 'B', email: 'administratie@huisartsdelinde.nl' }));
  const l4 = await sync(id, 4);
  expect(l4.lastCycle.counts).toMatchObject({ relaties: 1 });
  const rel003 = (await office.getRelations()).find((r) => r.debtorNumber === 'REL003')!;
  expect(rel003).toMatchObject({ email: 'administratie@huisartsdelinde.nl', remark: 'Ingang via de zijdeur, parkeren achter het gebouw.' });
  expect((await eb('GET', '/stats')).calls.UpdateRelatie).toBe(1); // only the bookkeeper's own edit

  // The bakery moves to the Markt, then straight back to the Kerkplein: the way back is written too
  // (it is not mistaken for the earlier, already posted move to the Kerkplein).
  const move = async (street: string, houseNumber: string, postalCode: string, workorderNo: string, cycleNo: number) => {
    const now = (await office.getRelations()).find((r) => r.debtorNumber === 'REL002')!;
    await office.upsertRelations([{ ...now, street, houseNumber, postalCode }]);
    await wba('POST', '/workorders', { WorkorderNo: workorderNo, CustomerDebtorNrInvoice: 'REL002', status: 'Compleet', WorkStatus: '1', Workperiods: [{ WorkDate: '12-03-2025', BeginTime: '08:00', EndTime: '09:00', HourType: 'ARB' }] });
    const l = await sync(id, cycleNo);
    expect(l.lastCycle.counts).toMatchObject({ facturen: 1, relatiesBijgewerkt: 1 });
    const eb2: Array<Record<string, string>> = await eb('GET', '/relaties');
    return eb2.find((r) => r.Code === 'REL002');
  };
  expect(await move('Markt', '10', '3731 AA', 'WB-2025-0302', 5)).toMatchObject({ Adres: 'Markt 10', Postcode: '3731 AA' });
  expect(await move('Kerkplein', '3', '3731 CD', 'WB-2025-0303', 6)).toMatchObject({ Adres: 'Kerkplein 3', Postcode: '3731 CD' });
});

test('wrong WerkbonApp token or e-Boekhouden codes: WAITING_REAUTH with the Dutch fix; new credentials resume', async () => {
  const badToken = await create({}, { ...goodCredentials(), werkbonapp: { token: 'ingetrokken-token' } });
  const badCodes = await create({}, { ...goodCredentials(), eboekhouden: { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: '00000000-0000-0000-0000-000000000000' } });

  const a = await cycle(badToken, 1);
  expect(a.state).toBe('WAITING_REAUTH');
  expect(a.blockingReason).toContain('WerkbonApp weigert het API-token');
  expect(a.blockingReason).toContain('vul het opnieuw in bij de koppeling');
  const b = await cycle(badCodes, 1);
  expect(b.state).toBe('WAITING_REAUTH');
  expect(b.blockingReason).toContain('e-Boekhouden.nl weigert de inloggegevens');
  expect(b.blockingReason).toContain('Beheer > Inrichting > Instellingen > Koppelingen > API/SOAP');
  expect(await eb('GET', '/facturen')).toEqual([]);
  // While waiting, "start synchronisatie" is refused with the reason.
  const refused = await h.call('POST', `/koppelingen/${badToken}/sync`, { body: {} });
  expect(refused.status).toBe(409);

  const put = await h.call('PUT', `/koppelingen/${badToken}/credentials`, { body: { system: 'werkbonapp', credentials: { token: DEMO_TOKEN } } });
  expect(put.status).toBe(200);
  const a2 = await cycle(badToken, 2);
  expect(a2.state).toBe('ACTIVE');
  expect(a2.lastCycle).toMatchObject({ result: 'ok', counts: { facturen: 3 } });

  await h.call('PUT', `/koppelingen/${badCodes}/credentials`, { body: { system: 'eboekhouden', credentials: goodCredentials().eboekhouden } });
  const b2 = await cycle(badCodes, 2);
  expect(b2.state).toBe('ACTIVE');
  // The werkbonnen were invoiced by the other koppeling meanwhile (same demo accounts): nothing twice.
  expect(b2.lastCycle.result).toBe('ok');
  expect((await eb('GET', '/facturen')).length).toBe(3);
});

test('a missing invoice template fails the cycle with an error naming it; adding the template fixes it', async () => {
  const id = await create({ factuursjabloon: 'Werkbon' });
  const l = await cycle(id, 1);
  expect(l.lastCycle.result).toBe('failed');
  expect(l.lastCycle.error.oorzaak).toBe("Het factuursjabloon 'Werkbon' bestaat niet in e-Boekhouden.nl.");
  expect(l.lastCycle.error.oplossing).toContain('Beheer > Sjablonen > Factuursjablonen');
  expect(l.lastCycle.counts).toMatchObject({ relaties: 4, facturen: 0 }); // the import still happened
  const log = await logMessages(id);
  expect(log.find((e) => e.code === 'WERKBON_FACTUURSJABLOON')?.message).toContain("'Werkbon'");
  expect(Object.values(await werkbonStatus()).filter((s) => s === 'Compleet')).toHaveLength(4);
  expect(await eb('GET', '/facturen')).toEqual([]);

  await eb('POST', '/factuursjablonen', { Naam: 'Werkbon' });
  const l2 = await sync(id, 2);
  expect(l2.lastCycle).toMatchObject({ result: 'ok', counts: { facturen: 3 } });
  expect((await eb('GET', '/facturen')).every((f: Factuur) => f.Factuursjabloon === 'Werkbon')).toBe(true);
});

test('settings are validated: a template name is required when invoices are on', async () => {
  const res = await h.call('POST', '/koppelingen', {
    body: { tenantId: 'acme', type: TYPE, name: 'x', settings: { export: { factuur: true, betalingstermijn: -1 } }, credentials: goodCredentials() },
  });
  expect(res.status).toBe(400);
  expect(res.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['settings.export.betalingstermijn', 'settings.export.factuursjabloon']);
  const res2 = await h.call('POST', '/koppelingen', { body: { tenantId: 'acme', type: TYPE, name: 'x', settings: { export: { factuur: true } }, credentials: goodCredentials() } });
  expect(res2.body.issues).toEqual([{ field: 'settings.export.factuursjabloon', reason: expect.stringContaining('Factuursjablonen') }]);
});
