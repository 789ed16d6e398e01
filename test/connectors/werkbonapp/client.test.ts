/**
 * WerkbonApp connector against the simulator over real HTTP (port 0). No sleeps: every assertion
 * waits on a response, and the one timeout test uses a server that hangs far longer than the client.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KoppelError } from '../../../src/domain/errors';
import type { WerkbonAppClient } from '../../../src/systems/werkbonapp/client';
import { RELEASE_WORKSTATUS_CODE, createWerkbonAppClient } from '../../../src/systems/werkbonapp/client';
import type { WerkbonAppSimulator } from '../../../src/systems/werkbonapp/simulator';
import { DEMO_TOKEN, startWerkbonAppSimulator } from '../../../src/systems/werkbonapp/simulator';

let sim: WerkbonAppSimulator;
let client: WerkbonAppClient;

async function control<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.url}/_control${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function caught(p: Promise<unknown>): Promise<KoppelError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KoppelError);
    return err as KoppelError;
  }
  throw new Error('expected the call to fail');
}

/** Raw Open API answer, for wire-level assertions. */
async function wireBody(res: Response): Promise<any> {
  return res.json();
}

function everyText(err: KoppelError): string {
  return [err.message, err.oorzaak, err.oplossing, err.userMessage, err.stack ?? '', JSON.stringify(err.toJSON())].join('\n');
}

beforeAll(async () => {
  sim = await startWerkbonAppSimulator({ port: 0 });
  client = createWerkbonAppClient({ baseUrl: sim.apiUrl, token: DEMO_TOKEN, timeoutMs: 5_000 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await control('POST', '/reset', { demo: true });
  await control('POST', '/faults', {});
});

describe('master data', () => {
  test('workstatusses include "1 naar E-boekhouden"', async () => {
    const ws = await client.getWorkstatusses();
    expect(ws).toContainEqual({ code: RELEASE_WORKSTATUS_CODE, name: 'naar E-boekhouden' });
  });

  test('relations: upsert by debtor number updates instead of duplicating', async () => {
    const before = (await client.getRelations()).length;
    const rel = { debtorNumber: 'REL001', name: 'Van der Berg Vastgoed B.V.', street: 'Keizersgracht', houseNumber: '112', postalCode: '1015 CV', city: 'Amsterdam' };
    expect(await client.upsertRelations([rel])).toBe(1);
    expect(await client.upsertRelations([{ ...rel, city: 'Amsterdam-Centrum', latitude: 52.370216 }])).toBe(1);

    const stored = await control<Record<string, string | null>[]>('GET', '/relations');
    expect(stored).toHaveLength(before + 1);
    expect(stored.find((r) => r.debtor_number === 'REL001')).toMatchObject({ city: 'Amsterdam-Centrum', latitude: '52.370216' });

    const rels = await client.getRelations();
    expect(rels.find((r) => r.debtorNumber === 'REL001')).toMatchObject({ city: 'Amsterdam-Centrum', latitude: 52.370216, longitude: null, houseNumber: '112' });
  });

  test('materials: prices go out with a decimal comma and come back as numbers', async () => {
    await client.upsertMaterials([
      { code: 'MAT-KABEL', description: 'Installatiekabel YMvK 3x2,5 mm²', price: 2.15, unit: 'Meter' },
      { code: 'MAT-WCD', description: 'Wandcontactdoos dubbel met randaarde', price: 8.9, unit: 'Stuk' },
    ]);
    await client.upsertMaterials([{ code: 'MAT-WCD', description: 'Wandcontactdoos dubbel met randaarde', price: 8.95, unit: 'Stuk' }]);

    const stored = await control<Record<string, string>[]>('GET', '/materials');
    expect(stored).toHaveLength(2);
    expect(stored.find((m) => m.code === 'MAT-WCD')?.price).toBe('8,95');
    expect(stored.find((m) => m.code === 'MAT-KABEL')?.price).toBe('2,15');

    const ms = await client.getMaterials();
    expect(ms.find((m) => m.code === 'MAT-WCD')).toMatchObject({ price: 8.95, unit: 'Stuk' });
  });

  test('hour types: dot decimal and 0/1 flags both ways', async () => {
    const arb = { code: 'ARB', name: 'Arbeid', costBooking: false, saleBooking: true, salePrice: 55 };
    await client.upsertHourTypes([arb, { code: 'SPOED', name: 'Spoedtarief', costBooking: false, saleBooking: true, salePrice: 85 }]);
    await client.upsertHourTypes([{ ...arb, salePrice: 57.5, active: false }]);

    const stored = await control<Record<string, string>[]>('GET', '/hourtypes');
    expect(stored).toHaveLength(2);
    expect(stored.find((h) => h.code === 'ARB')).toMatchObject({ sale_price: '57.50', sale_booking: '1', cost_booking: '0', active: '0' });

    const hs = await client.getHourTypes();
    expect(hs.find((h) => h.code === 'ARB')).toEqual({ code: 'ARB', name: 'Arbeid', costBooking: false, saleBooking: true, salePrice: 57.5, costPrice: 0, active: false });
  });

  test('empty upsert does not call the API', async () => {
    await control('DELETE', '/stats');
    expect(await client.upsertMaterials([])).toBe(0);
    const stats = await control<{ total: number }>('GET', '/stats');
    expect(stats.total).toBe(0);
  });
});

describe('werkbonnen and the status machine', () => {
  test('released Compleet werkbonnen, typed: dates, times, decimal quantities', async () => {
    const bonnen = await client.getWorkorders({ status: 'Compleet', workstatus: RELEASE_WORKSTATUS_CODE, updateStatus: false });
    expect(bonnen.map((b) => b.workorderNo)).toEqual(['WB-2025-0101', 'WB-2025-0102', 'WB-2025-0103']);

    const first = bonnen[0];
    expect(first).toMatchObject({ id: '1001', status: 'Compleet', workStatus: '1', workDate: '2025-03-03', workTime: '08:00', workFinished: true });
    expect(first.invoiceCustomer).toMatchObject({ debtorNr: 'REL001', name: 'Van der Berg Vastgoed B.V.', zip: '1015 CV' });
    expect(first.customer.name).toBe('Fam. de Wit');
    expect(first.workperiods).toEqual([
      expect.objectContaining({ workDate: '2025-03-03', beginTime: '08:00', endTime: '10:45', breakMinutes: 15, totalMinutes: 150, hours: 2.5, hourType: 'ARBM' }),
    ]);
    expect(first.materials).toContainEqual(expect.objectContaining({ code: 'MAT-KABEL', quantity: 12.5, price: 2.15, totalPrice: 26.88, unit: 'Meter' }));

    // The third bon's debtor exists only in WerkbonApp; its invoice fields came from that relation.
    expect(bonnen[2].invoiceCustomer).toMatchObject({ debtorNr: 'REL003', name: 'Huisartsenpraktijk De Linde', city: 'Zeist' });
  });

  test('updateStatus false leaves the status alone; true marks Compleet bonnen Afgehandeld', async () => {
    await client.getWorkorders({ status: 'Compleet', workstatus: '1', updateStatus: false });
    expect((await control('GET', '/workorders/1001')).status).toBe('Compleet');

    const fetched = await client.getWorkorders({ status: 'Alle', updateStatus: true });
    // The answer is the state as read; the change applies afterwards.
    expect(fetched.filter((b) => b.status === 'Compleet')).toHaveLength(4);

    const after = await control<Array<{ WorkorderNo: string; status: string; history: unknown[] }>>('GET', '/workorders');
    expect(Object.fromEntries(after.map((w) => [w.WorkorderNo, w.status]))).toEqual({
      'WB-2025-0101': 'Afgehandeld',
      'WB-2025-0102': 'Afgehandeld',
      'WB-2025-0103': 'Afgehandeld',
      'WB-2025-0104': 'Afgehandeld',
      'WB-2025-0105': 'Opgehaald', // not complete: fetching never hands it off
    });
    expect(after[0].history).toEqual([expect.objectContaining({ from: 'Compleet', to: 'Afgehandeld', via: 'GetWorkorders' })]);
    expect(await client.getWorkorders({ status: 'Compleet' })).toEqual([]);
  });

  test('getWorkorders defaults to updateStatus false', async () => {
    await client.getWorkorders({ status: 'Compleet' });
    expect((await control('GET', '/workorders/1002')).status).toBe('Compleet');
  });

  test('getWorkorder by row id and by werkbon number; unknown → null', async () => {
    const byId = await client.getWorkorder(1002);
    expect(byId?.workorderNo).toBe('WB-2025-0102');
    expect(byId?.workperiods.map((p) => p.totalMinutes)).toEqual([255, 150, 240]);
    expect((await control('GET', '/workorders/1002')).status).toBe('Compleet');

    const byNo = await client.getWorkorder({ workorderNo: 'WB-2025-0102' }, { updateStatus: true });
    expect(byNo?.status).toBe('Compleet');
    expect((await control('GET', '/workorders/1002')).status).toBe('Afgehandeld');

    expect(await client.getWorkorder(999999)).toBeNull();
  });

  test('a new werkbon goes Klaargezet → Compleet via the control API and is then listed', async () => {
    const [added] = await control<Array<{ row_id: number }>>('POST', '/workorders', {
      WorkorderNo: 'WB-2025-0199',
      CustomerDebtorNrInvoice: 'REL003',
      WorkDate: '10-03-2025',
    });
    expect((await client.getWorkorder(added.row_id))?.status).toBe('Klaargezet');
    // Fetching a Klaargezet bon with update_status=true changes nothing.
    await client.getWorkorder(added.row_id, { updateStatus: true });
    expect((await control('GET', `/workorders/${added.row_id}`)).status).toBe('Klaargezet');

    await control('POST', `/workorders/${added.row_id}/complete`, {
      Workperiods: [{ WorkDate: '10-03-2025', BeginTime: '13:00', EndTime: '14:30', HourType: 'ARB', EmployeeNr: '11' }],
      Materials: [{ MaterialCode: 'MAT-PVC', MaterialNr: 7.5, MaterialPrice: 0.85, MaterialName: 'Installatiebuis PVC 16 mm', MaterialUnit: 'Meter' }],
    });
    await control('POST', `/workorders/${added.row_id}/workstatus`, { workstatus: '1' });

    const released = await client.getWorkorders({ status: 'Compleet', workstatus: '1' });
    const bon = released.find((b) => b.id === String(added.row_id));
    expect(bon?.workperiods[0]).toMatchObject({ totalMinutes: 90, hours: 1.5 });
    expect(bon?.materials[0]).toMatchObject({ quantity: 7.5, price: 0.85, totalPrice: 6.38 });
  });

  test('updateWorkorder: workstatus and date go out as d-m-Y; status Afgehandeld via GetWorkorder', async () => {
    await client.updateWorkorder(1004, { workstatus: '1', workDate: '2025-04-01', workTime: '9:15' });
    const stored = await control('GET', '/workorders/1004');
    expect(stored).toMatchObject({ WorkStatus: '1', WorkDate: '01-04-2025', WorkTime: '09:15', status: 'Compleet' });

    // Same values again: WerkbonApp answers 1503 "No data changed", which is fine on a retry.
    await expect(client.updateWorkorder(1004, { workstatus: '1' })).resolves.toBeUndefined();

    await client.updateWorkorder({ workorderNo: 'WB-2025-0104' }, { status: 'Afgehandeld' });
    expect((await control('GET', '/workorders/1004')).status).toBe('Afgehandeld');
    // Idempotent: already Afgehandeld is fine.
    await expect(client.updateWorkorder(1004, { status: 'Afgehandeld' })).resolves.toBeUndefined();
  });

  test('updateWorkorder refuses to hand off a werkbon that is not complete', async () => {
    const err = await caught(client.updateWorkorder(1005, { status: 'Afgehandeld' }));
    expect(err.type).toBe('InvalidData');
    expect(err.oorzaak).toContain('WB-2025-0105');
    expect((await control('GET', '/workorders/1005')).status).toBe('Opgehaald');
  });

  test('updateWorkorder with an unknown workstatus → InvalidData (1504)', async () => {
    const err = await caught(client.updateWorkorder(1001, { workstatus: '99' }));
    expect(err).toMatchObject({ type: 'InvalidData', code: '1504' });
  });

  test('updateWorkorder on an unknown werkbon → InvalidData (1500)', async () => {
    const err = await caught(client.updateWorkorder(424242, { workstatus: '1' }));
    expect(err).toMatchObject({ type: 'InvalidData', code: '1500' });
  });

  test('an impossible date is rejected before anything is sent', async () => {
    await control('DELETE', '/stats');
    const err = await caught(client.updateWorkorder(1001, { workDate: '2025-02-30' }));
    expect(err.type).toBe('InvalidData');
    expect((await control<{ total: number }>('GET', '/stats')).total).toBe(0);
  });
});

describe('errors', () => {
  test('wrong token → ReauthRequired, and the token appears nowhere in the error', async () => {
    const secret = 'geheim-token-8f3a9c';
    const bad = createWerkbonAppClient({ baseUrl: sim.url, token: secret, softwareToken: 'sw-token-77aa' });
    const err = await caught(bad.getRelations());
    expect(err).toMatchObject({ type: 'ReauthRequired', code: '1004', system: 'werkbonapp' });
    expect(err.oplossing).toContain('Instellingen > Koppelingen');
    expect(everyText(err)).not.toContain(secret);
    expect(everyText(err)).not.toContain('sw-token-77aa');
  });

  test('the token stays out of network errors too', async () => {
    const secret = 'geheim-token-unreachable';
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    const offline = createWerkbonAppClient({ baseUrl: 'http://127.0.0.1:9', token: secret, timeoutMs: 2_000 });
    const err = await caught(offline.getMaterials());
    expect(err.type).toBe('Transient');
    expect(everyText(err)).not.toContain(secret);
  });

  test('missing required field → InvalidData naming the field', async () => {
    const err = await caught(client.upsertRelations([{ debtorNumber: 'REL009', name: 'Zonder Adres B.V.', street: '', postalCode: '1234 AB', city: 'Utrecht' }]));
    expect(err).toMatchObject({ type: 'InvalidData', code: '1301' });
    expect(err.details).toMatchObject({ missingFields: ['street'], endpoint: 'relations' });
    expect(err.oorzaak).toContain('street');
    expect(err.oorzaak).toContain('adres');
    expect(err.retryable).toBe(false);
    // All or nothing: the bad batch stored nothing.
    expect((await control<unknown[]>('GET', '/relations')).length).toBe(1);
  });

  test('unparsable body → 1009 → InvalidData', async () => {
    const res = await fetch(`${sim.apiUrl}/materials/?token=${DEMO_TOKEN}`, { method: 'POST', body: '[{"code""":"x"}]' });
    expect(await wireBody(res)).toEqual({ code: 1009, messages: ['Unable to parse body'], response: null });

    const { envelopeError } = await import('../../../src/systems/werkbonapp/client/errors');
    const err = envelopeError(1009, ['Unable to parse body'], { endpoint: 'materials', secrets: [] });
    expect(err).toMatchObject({ type: 'InvalidData', code: '1009' });
  });

  test('injected HTTP 5xx → Transient (retryable)', async () => {
    await control('POST', '/faults', { errorRate: 1, seed: 1 });
    const err = await caught(client.getHourTypes());
    expect(err.type).toBe('Transient');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/HTTP 50[03]/);
  });

  test('injected HTTP 429 → RateLimited with the Retry-After', async () => {
    await control('POST', '/faults', { rateLimitRate: 1, retryAfterSeconds: 3, seed: 1 });
    const err = await caught(client.getHourTypes());
    expect(err.type).toBe('RateLimited');
    expect(err.retryAfterMs).toBe(3_000);
  });

  test('malformed answer → Transient', async () => {
    await control('POST', '/faults', { malformedRate: 1, seed: 1 });
    const err = await caught(client.getWorkorders({ status: 'Compleet' }));
    expect(err.type).toBe('Transient');
    expect(err.message).toContain('not valid JSON');
  });

  test('no answer → Transient after the client timeout', async () => {
    // A server that accepts and never answers (the fault injector's hang would leave a timer behind).
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const impatient = createWerkbonAppClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'hang-token-123', timeoutMs: 200 });
      const err = await caught(impatient.getRelations());
      expect(err.type).toBe('Transient');
      expect(err.message).toContain('no answer within 200 ms');
      expect(everyText(err)).not.toContain('hang-token-123');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('simulator wire protocol', () => {
  test('every answer is HTTP 200 with the envelope, even for unknown endpoints and missing tokens', async () => {
    const unknown = await fetch(`${sim.apiUrl}/nope/?token=${DEMO_TOKEN}`);
    expect(unknown.status).toBe(200);
    expect((await wireBody(unknown)).code).toBe(1001);

    const noToken = await fetch(`${sim.apiUrl}/relations/`);
    expect((await wireBody(noToken)).code).toBe(1002);

    const bad = await fetch(`${sim.apiUrl}/relations/?token=wrong`);
    expect(await wireBody(bad)).toEqual({ code: 1004, messages: ['unauthorized'], response: null });

    const empty = await fetch(`${sim.apiUrl}/hourtypes/?token=${DEMO_TOKEN}`, { method: 'POST' });
    expect((await wireBody(empty)).code).toBe(1008);
  });

  test('DeleteEntity removes one record by its natural key; anything else is 1600 Delete failed', async () => {
    await control('POST', '/reset', { demo: true });
    const del = (q: string) => fetch(`${sim.apiUrl}/DeleteEntity/?token=${DEMO_TOKEN}&${q}`).then(wireBody);
    const code = 'MAT-WEG';
    await client.upsertMaterials([{ code, description: 'Wordt verwijderd', price: 1, unit: 'Stuk' }]);
    expect(await del(`entity=material&key=code&value=${encodeURIComponent(code)}`)).toEqual({ code: 200, messages: [], response: 1 });
    expect((await client.getMaterials()).map((m) => m.code)).not.toContain(code);
    expect(await del(`entity=material&key=code&value=${encodeURIComponent(code)}`)).toEqual({ code: 1600, messages: ['Delete failed'], response: null });
    expect((await del('entity=material&key=description&value=x')).code).toBe(1600);
    expect((await del('entity=workorder&key=workorder_no&value=WB-1')).code).toBe(1600);
  });

  test('werkbon values are strings with decimal commas and d-m-Y dates', async () => {
    const res = await fetch(`${sim.apiUrl}/GetWorkorder/?token=${DEMO_TOKEN}&row_id=1001&update_status=false`);
    const body = await wireBody(res);
    expect(body.code).toBe(200);
    expect(body.response).toMatchObject({ id: '1001', WorkDate: '03-03-2025', status: 'Compleet', WorkStatus: '1' });
    expect(body.response.Materials).toContainEqual(expect.objectContaining({ MaterialCode: 'MAT-KABEL', MaterialNr: '12,5', MaterialPrice: '2,15' }));
    expect(body.response.Workperiods[0]).toMatchObject({ TotalTime: '02:30', Break: '15' });
  });

  test('GetWorkorders without update_status marks Compleet bonnen handled (the wire default)', async () => {
    await fetch(`${sim.apiUrl}/GetWorkorders/?token=${DEMO_TOKEN}&status=Compleet&workstatus=1`);
    expect((await control('GET', '/workorders/1001')).status).toBe('Afgehandeld');
    expect((await control('GET', '/workorders/1004')).status).toBe('Compleet'); // other workstatus
  });

  test('control: tokens can be replaced; stats count calls per endpoint', async () => {
    await control('DELETE', '/stats');
    await control('POST', '/tokens', { tokens: ['tenant-a-token'] });
    try {
      const err = await caught(client.getRelations());
      expect(err.type).toBe('ReauthRequired');
      const tenant = createWerkbonAppClient({ baseUrl: sim.url, token: 'tenant-a-token' });
      await tenant.getRelations();
      await tenant.getWorkorders({ status: 'Alle' });
    } finally {
      await control('POST', '/tokens', { tokens: [DEMO_TOKEN] });
    }
    const stats = await control<{ calls: Record<string, number>; total: number }>('GET', '/stats');
    expect(stats.calls).toEqual({ 'GET relations': 2, 'GET GetWorkorders': 1 });
    expect(stats.total).toBe(3);
  });

  test('control: status transitions follow the machine', async () => {
    const res = await fetch(`${sim.url}/_control/workorders/1001/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'Opgehaald' }),
    });
    expect(res.status).toBe(409);
  });

  test('control API only answers loopback callers', async () => {
    const { isLoopbackAddress } = await import('../../../src/domain/loopback');
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.5')).toBe(false);
    expect(isLoopbackAddress('::ffff:192.168.1.20')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });
});
