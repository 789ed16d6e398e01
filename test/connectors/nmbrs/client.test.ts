/**
 * The Nmbrs connector against the simulator over real HTTP: every client method, the error
 * mapping (1001, 1002, 2004, 5xx, dropped connections) and journal recalculation.
 */
import net from 'node:net';
import { isKoppelError, type KoppelError } from '../../../src/domain/errors';
import { createNmbrsClient, type NmbrsClient, type NmbrsJournal } from '../../../src/systems/nmbrs/client';
import { DEMO_RUN_IDS, DEMO_USER, startNmbrsSimulator, type NmbrsSimulator } from '../../../src/systems/nmbrs/simulator';

let sim: NmbrsSimulator;
let client: NmbrsClient;

const credentials = { username: DEMO_USER.username, token: DEMO_USER.token, domain: DEMO_USER.domain };

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function koppelError(p: Promise<unknown>): Promise<KoppelError> {
  try {
    await p;
  } catch (err) {
    if (isKoppelError(err)) return err;
    throw err;
  }
  throw new Error('expected a KoppelError');
}

function totals(journal: NmbrsJournal) {
  return journal.transactions.map((tx) => ({
    debit: tx.lines.filter((l) => l.debitCredit === 'D').reduce((s, l) => s + l.cents, 0),
    credit: tx.lines.filter((l) => l.debitCredit === 'C').reduce((s, l) => s + l.cents, 0),
  }));
}

beforeAll(async () => {
  sim = await startNmbrsSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await control('POST', '/_control/reset', { demo: true });
  client = createNmbrsClient({ baseUrl: sim.url, credentials, timeoutMs: 10_000 });
});

describe('client methods against the simulator', () => {
  test('listCompanies', async () => {
    const companies = await client.listCompanies();
    expect(companies).toEqual([
      { id: 1001, number: 1, name: 'EB Bedrijf', loonaangifteTijdvak: 'Month', kvkNr: '12345678', email: 'salaris@ebbedrijf.example' },
      { id: 1002, number: 2, name: 'Bakkerij De Korst', loonaangifteTijdvak: 'Month', kvkNr: '87654321' },
    ]);
  });

  test('listCompanies for a debtor without companies is empty', async () => {
    await control('POST', '/_control/debtors', { id: 888, name: 'Leeg Kantoor', domain: 'leeg' });
    await control('POST', '/_control/users', { username: 'leeg@kantoor.nl', token: 'leeg-token', domain: 'leeg' });
    const empty = createNmbrsClient({ baseUrl: sim.url, credentials: { username: 'leeg@kantoor.nl', token: 'leeg-token', domain: 'leeg' } });
    await expect(empty.listCompanies()).resolves.toEqual([]);
  });

  test('getCurrentPeriod', async () => {
    await expect(client.getCurrentPeriod(1001)).resolves.toEqual({ year: 2026, period: 10, type: 'M' });
    await expect(client.getCurrentPeriod(1002)).resolves.toEqual({ year: 2026, period: 3, type: 'M' });
  });

  test('listRuns: periods 1..10 plus the extra run of period 9; only the latest open', async () => {
    const runs = await client.listRuns(1001, 2026);
    expect(runs).toHaveLength(11);
    expect(runs[0]).toEqual({
      id: 41001,
      number: 1,
      year: 2026,
      periodStart: 1,
      periodEnd: 1,
      description: 'Salarisrun januari 2026',
      runAt: '2026-01-24T10:15:00',
      isLocked: true,
    });
    expect(runs.filter((r) => !r.isLocked).map((r) => r.id)).toEqual([DEMO_RUN_IDS.ebBedrijf.current]);
    expect(runs.filter((r) => r.periodStart === 9).map((r) => r.id)).toEqual([41009, DEMO_RUN_IDS.ebBedrijf.extraPeriod9]);
    await expect(client.listRuns(1001, 2024)).resolves.toEqual([]);
  });

  test('getJournal: parsed, balanced, dim1 codes from the demo chart', async () => {
    const journal = await client.getJournal(1001, 41001, 2026);
    expect(journal.transactions).toHaveLength(1);
    const [tx] = journal.transactions;
    expect(tx.header).toEqual({ date: '2026-01-31', period: '1/2026' });
    expect(tx.lines[0]).toEqual({
      dim1: '4000',
      dim2: null,
      dim3: null,
      value: 14925,
      cents: 1_492_500,
      debitCredit: 'D',
      description: 'Lonen en salarissen',
    });
    expect(new Set(tx.lines.map((l) => l.dim1))).toEqual(new Set(['4000', '4100', '4110', '1640', '1650', '1660']));
    for (const t of totals(journal)) expect(t.debit).toBe(t.credit);
  });

  test('every demo journal balances; only the extra run uses 4105', async () => {
    for (const companyId of [1001, 1002]) {
      for (const run of await client.listRuns(companyId, 2026)) {
        const journal = await client.getJournal(companyId, run.id, 2026);
        expect(journal.transactions.length).toBe(run.periodEnd - run.periodStart + 1);
        for (const t of totals(journal)) expect(t.debit).toBe(t.credit);
        const codes = journal.transactions.flatMap((tx) => tx.lines.map((l) => l.dim1));
        expect(codes.includes('4105')).toBe(run.id === DEMO_RUN_IDS.ebBedrijf.extraPeriod9);
        for (const line of journal.transactions.flatMap((tx) => tx.lines)) {
          expect(Number.isInteger(line.cents)).toBe(true);
          expect(line.value).toBeCloseTo(line.cents / 100, 10);
        }
      }
    }
  });

  test('getJournal of a run in another year is empty', async () => {
    await expect(client.getJournal(1001, 41001, 2025)).resolves.toEqual({ transactions: [] });
  });

  test('getWageCodes', async () => {
    const codes = await client.getWageCodes(1001);
    expect(codes).toContainEqual({ code: 1, description: 'Salaris' });
    expect(codes).toContainEqual({ code: 420, description: 'Reiskostenvergoeding onbelast' });
  });

  test('getEnvironment (AuthHeader, no domain needed)', async () => {
    const noDomain = createNmbrsClient({ baseUrl: sim.url, credentials: { ...credentials, domain: '' } });
    await expect(noDomain.getEnvironment()).resolves.toEqual({ domain: 'demo.nmbrs.nl', subDomain: 'demo' });
  });
});

describe('error mapping', () => {
  test('1001 with a wrong token → ReauthRequired, token never in the error', async () => {
    const secret = 'wrong-token-that-must-not-leak';
    const bad = createNmbrsClient({ baseUrl: sim.url, credentials: { ...credentials, token: secret } });
    const err = await koppelError(bad.listCompanies());
    expect(err.type).toBe('ReauthRequired');
    expect(err.code).toBe('1001');
    expect(err.oplossing).toContain('Gebruiker Profiel > API-token');
    expect(JSON.stringify({ ...err.toJSON(), stack: err.stack })).not.toContain(secret);
  });

  test('1001 with a wrong domain', async () => {
    const bad = createNmbrsClient({ baseUrl: sim.url, credentials: { ...credentials, domain: 'andere-omgeving' } });
    expect((await koppelError(bad.getCurrentPeriod(1001))).type).toBe('ReauthRequired');
  });

  test('1002 when Journals_GetByRunCompany_v2 is switched off, names the call; works again when on', async () => {
    const path = `/_control/users/${encodeURIComponent(DEMO_USER.username)}/rights/Journals_GetByRunCompany_v2`;
    await control('PUT', path, { active: false });
    const err = await koppelError(client.getJournal(1001, 41001, 2026));
    expect(err.type).toBe('PermissionDenied');
    expect(err.code).toBe('1002');
    expect(err.oplossing).toContain('Activeer de API-call Journals_GetByRunCompany_v2 in de API user template');
    expect(err.oorzaak).toContain('Journals_GetByRunCompany_v2');
    expect(err.retryable).toBe(false);
    // Other calls are unaffected.
    await expect(client.listRuns(1001, 2026)).resolves.toHaveLength(11);

    await control('PUT', path, { active: true });
    await expect(client.getJournal(1001, 41001, 2026)).resolves.toHaveProperty('transactions');
  });

  test("2004 for another debtor's company", async () => {
    await control('POST', '/_control/debtors', { id: 777, name: 'Ander Kantoor', domain: 'ander' });
    await control('POST', '/_control/companies', { id: 7001, debtorId: 777, name: 'Vreemd Bedrijf' });
    const err = await koppelError(client.listRuns(7001, 2026));
    expect(err.type).toBe('PermissionDenied');
    expect(err.code).toBe('2004');
    expect(err.oorzaak).toContain('bedrijf 7001');
    expect((await client.listCompanies()).map((c) => c.id)).toEqual([1001, 1002]);
  });

  test('1003 for a company outside the login tag filter', async () => {
    await control('POST', '/_control/users', { ...DEMO_USER, companyIds: [1001] });
    const err = await koppelError(client.getWageCodes(1002));
    expect([err.type, err.code]).toEqual(['PermissionDenied', '1003']);
  });

  test('injected HTTP 5xx → Transient', async () => {
    await control('POST', '/_control/faults', { errorRate: 1, seed: 7 });
    const err = await koppelError(client.listCompanies());
    expect(err.type).toBe('Transient');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/HTTP 50[03]/);
  });

  test('injected HTTP 429 → RateLimited with the Retry-After', async () => {
    await control('POST', '/_control/faults', { rateLimitRate: 1, retryAfterSeconds: 2 });
    const err = await koppelError(client.listCompanies());
    expect(err.type).toBe('RateLimited');
    expect(err.retryAfterMs).toBe(2_000);
  });

  test('dropped connection → Transient', async () => {
    await control('POST', '/_control/faults', { timeoutRate: 1, timeoutMs: 0 });
    expect((await koppelError(client.listRuns(1001, 2026))).type).toBe('Transient');
  });

  test('truncated body → Transient', async () => {
    await control('POST', '/_control/faults', { malformedRate: 1 });
    expect((await koppelError(client.listCompanies())).type).toBe('Transient');
  });

  test('client timeout → Transient', async () => {
    // A server that accepts and never answers: the outcome does not depend on how long anything takes.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const impatient = createNmbrsClient({ baseUrl: `http://127.0.0.1:${port}`, credentials, timeoutMs: 200 });
      const err = await koppelError(impatient.getCurrentPeriod(1001));
      expect(err.type).toBe('Transient');
      expect(err.message).toContain('ECONNABORTED');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('nothing listening → Transient', async () => {
    const other = await startNmbrsSimulator();
    const url = other.url;
    await other.close();
    const gone = createNmbrsClient({ baseUrl: url, credentials });
    expect((await koppelError(gone.listCompanies())).type).toBe('Transient');
  });
});

describe('run changes through the control API', () => {
  test('recalculate changes the amounts and keeps the journal balanced', async () => {
    const before = await client.getJournal(1001, 41005, 2026);
    const run = await control('POST', '/_control/runs/41005/recalculate', {});
    expect(run.recalculations).toBe(1);
    const after = await client.getJournal(1001, 41005, 2026);
    expect(totals(after)[0].debit).not.toBe(totals(before)[0].debit);
    for (const t of totals(after)) expect(t.debit).toBe(t.credit);
    expect(after.transactions[0].lines.map((l) => l.dim1)).toEqual(before.transactions[0].lines.map((l) => l.dim1));
  });

  test('lock the open run', async () => {
    await control('POST', `/_control/runs/${DEMO_RUN_IDS.ebBedrijf.current}/lock`, { locked: true });
    expect((await client.listRuns(1001, 2026)).every((r) => r.isLocked)).toBe(true);
  });

  test('add a run with its own journal (unbalanced is refused)', async () => {
    const journal = [
      {
        date: '20261130',
        period: '11/2026',
        lines: [
          { dim1: '4000', value: '1000.00', debitCredit: 'D', description: 'Lonen en salarissen' },
          { dim1: '1660', value: 1000, debitCredit: 'C', description: 'Netto lonen' },
        ],
      },
    ];
    const added = await control('POST', '/_control/companies/1001/runs', { id: 41100, year: 2026, periodStart: 11, journal });
    expect(added.number).toBe(12);
    const parsed = await client.getJournal(1001, 41100, 2026);
    expect(parsed.transactions[0].lines.map((l) => [l.dim1, l.value, l.debitCredit])).toEqual([
      ['4000', 1000, 'D'],
      ['1660', 1000, 'C'],
    ]);
    journal[0].lines[1].value = 999;
    await expect(control('POST', '/_control/companies/1001/runs', { year: 2026, periodStart: 11, journal })).rejects.toThrow(/400/);
  });
});
