/**
 * Nmbrs → Visma eAccounting end to end: admin API → MongoDB → Temporal → worker → the Nmbrs and
 * eAccounting simulators, and the authorisation exactly as a browser does it (redirects, login
 * form, consent form, company picker, our callback page). The tests build on each other.
 */
import { DEMO_COMPANIES, DEMO_EMAIL, DEMO_PASSWORD } from '../../../src/systems/eaccounting/simulator';
import { freePort } from '../../../src/dev/processes';
import { createEaccountingClient } from '../../../src/systems/eaccounting/client';
import { Browser } from '../../../src/dev/browser';
import { Harness, waitFor } from '../harness';

jest.setTimeout(180_000);

const h = new Harness();
let key: string;
let connEb: string;
let connBakkerij: string;
let kid: string;
let kidBakkerij: string;

const NMBRS_CREDS = { username: 'demo@koppelwerk.nl', token: 'demo-nmbrs-token', domain: 'demo' };

interface Voucher {
  Id: string;
  VoucherDate: string;
  VoucherText: string;
  NumberAndNumberSeries: string;
  Rows: Array<{ AccountNumber: number; DebitAmount: number; CreditAmount: number; TransactionText: string | null }>;
}

beforeAll(async () => {
  const port = await freePort();
  await h.start({ simulators: ['nmbrs', 'eaccounting'], env: { PORT: String(port), KOPPELWERK_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  key = await h.tenant('ebbedrijf');
});
afterAll(() => h.stop());

const ea = <T = any>(method: string, path: string, body?: unknown) => h.control<T>('eaccounting', method, path, body);
const vouchers = (company: string = DEMO_COMPANIES.ebBedrijf) => ea<Voucher[]>('GET', `/companies/${company}/vouchers`);
const live = async (id: string) => (await h.call('GET', `/koppelingen/${id}`, { key })).body;
const connection = async (id: string) => (await h.call('GET', `/connections/${id}`, { key })).body;
const logOf = async (id: string): Promise<Array<{ level: string; code: string; message: string; details?: any }>> => (await h.call('GET', `/koppelingen/${id}/log?limit=500`, { key })).body.items;
const ledgerOf = async (id: string): Promise<Array<{ _id: string; entity: string; status: string; reference: string; targetId?: string; links: Record<string, string>; meta: any }>> =>
  (await h.call('GET', `/koppelingen/${id}/ledger`, { key })).body.items;

async function cycleDone(id: string, n: number) {
  return waitFor(
    async () => {
      const k = await live(id);
      return k.live && k.live.lastCycle?.cycleNo >= n && k.live.state !== 'RUNNING' ? k : undefined;
    },
    90_000,
    `cycle ${n} of ${id}`,
  );
}

/** A later cycle than `cycleNo` ended ok and the koppeling is ACTIVE again. */
async function resumedAfter(id: string, cycleNo: number) {
  let seen: unknown;
  return waitFor(
    async () => {
      const v = (await live(id)).live;
      seen = v;
      return v?.state === 'ACTIVE' && v.lastCycle?.cycleNo > cycleNo && v.lastCycle.result === 'ok' ? v : undefined;
    },
    90_000,
    `${id} resumed after cycle ${cycleNo}`,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}; last seen: ${JSON.stringify(seen)}`);
  });
}

async function syncNow(id: string) {
  const before = (await live(id)).live?.lastCycle?.cycleNo ?? 0;
  const res = await h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: 'test' }, key });
  expect(res.status).toBe(202);
  return cycleDone(id, before + 1);
}

/** The user's trip: our authorise link → Visma login → consent ("Toestaan") → company → our callback page. */
async function authorizeInBrowser(connectionId: string, company: string, opts: { password?: string } = {}) {
  const b = new Browser();
  const login = await b.go(`${h.url}/connections/${connectionId}/authorize`, { headers: { 'x-api-key': key } });
  expect(login.url).toContain('/account/login');
  expect(login.html).toContain('type="password"');
  const consent = await b.submit(login, { Email: DEMO_EMAIL, Password: opts.password ?? DEMO_PASSWORD });
  expect(consent.url).toContain('/consent');
  expect(consent.html).toContain('Toestaan');
  const picker = await b.submit(consent, {}, { name: 'consent', value: 'allow' });
  expect(picker.url).toContain('/account/selectcompany');
  const done = await b.submit(picker, { CompanyId: company });
  expect(done.url).toContain('/oauth/callback');
  return done;
}

function expectBalancedAndShort(vs: Voucher[]) {
  for (const v of vs) {
    const cents = v.Rows.reduce((s, r) => s + Math.round(r.DebitAmount * 100) - Math.round(r.CreditAmount * 100), 0);
    expect(cents).toBe(0);
    for (const r of v.Rows) expect((r.TransactionText ?? '').length).toBeLessThanOrEqual(60);
  }
}

test('Accounts: a Visma connection is grey until authorised in the browser (login, Toestaan, company), then authorised at once', async () => {
  const created = await h.call('POST', '/connections', { key, body: { system: 'eaccounting', name: 'Visma EB Bedrijf' } });
  expect(created.status).toBe(201);
  connEb = created.body.id;
  expect(created.body.health).toMatchObject({ authorized: false, logo: 'grey' });

  // A wrong password shows the login page again with a message, and nothing is authorised.
  const b = new Browser();
  const login = await b.go(`${h.url}/connections/${connEb}/authorize`, { headers: { 'x-api-key': key } });
  const again = await b.submit(login, { Email: DEMO_EMAIL, Password: 'fout' });
  expect(again.url).toContain('/account/login');
  expect(again.html).toContain('Onjuist e-mailadres of wachtwoord');

  const done = await authorizeInBrowser(connEb, DEMO_COMPANIES.ebBedrijf);
  expect(done.status).toBe(200);
  expect(done.html).toContain('Autorisatie gelukt');
  expect(done.html).not.toMatch(/at_|rt_/);
  // No F5: the API shows the new state immediately.
  expect((await connection(connEb)).health).toMatchObject({ authorized: true, logo: 'colour' });
});

test('Administrations: Nmbrs company 1001 → the company of this authorisation; a second mapping onto it is refused naming the first', async () => {
  const res = await h.call('POST', '/koppelingen', {
    key,
    body: {
      type: 'nmbrs-eaccounting',
      name: 'EB Bedrijf → eAccounting',
      settings: { nmbrsCompanyId: 1001, syncFromYear: 2026, syncFromPeriod: 1 },
      credentials: { nmbrs: NMBRS_CREDS },
      connections: { eaccounting: connEb },
    },
  });
  expect(res.status).toBe(201);
  kid = res.body.id;
  const twin = await h.call('POST', '/koppelingen', {
    key,
    body: { type: 'nmbrs-eaccounting', name: 'Tweede', settings: { nmbrsCompanyId: 1002, syncFromYear: 2026 }, credentials: { nmbrs: NMBRS_CREDS }, connections: { eaccounting: connEb } },
  });
  expect(twin.status).toBe(409);
  expect(twin.body.error).toContain(kid);
});

test('first cycle sends every processed run as balanced vouchers; the run overview shows them red, the open run grey', async () => {
  const k = await cycleDone(kid, 1);
  expect(k.live.lastCycle.result).toBe('ok');
  const vs = await vouchers();
  // Runs 41001–41009 and the extra run 41010 are processed; 41011 is open.
  expect(vs).toHaveLength(10);
  expectBalancedAndShort(vs);
  expect(vs.map((v) => v.VoucherText.split(' ')[0]).sort()).toEqual([41001, 41002, 41003, 41004, 41005, 41006, 41007, 41008, 41009, 41010].map((r) => `NMBRS-1001-2026-${r}`));
  expect(vs[0].VoucherText).toContain('EB Bedrijf');
  const runs = (await h.call('GET', `/koppelingen/${kid}/runs`, { key })).body.runs as Array<{ runId: number; sent: boolean; logo: string; vouchers: Array<{ voucherId: string; number: string }> }>;
  expect(runs.filter((r) => r.sent)).toHaveLength(10);
  const open = runs.find((r) => r.runId === 41011)!;
  expect(open).toMatchObject({ sent: false, logo: 'grey' });
  const r5 = runs.find((r) => r.runId === 41005)!;
  expect(r5.logo).toBe('red');
  expect(r5.vouchers[0].voucherId).toBe(vs.find((v) => v.VoucherText.startsWith('NMBRS-1001-2026-41005 '))!.Id);
  expect(r5.vouchers[0].number).toMatch(/^A\d+$/);
});

test('a second cycle sends nothing', async () => {
  const posts = (await ea('GET', '/stats')).voucherPosts;
  const k = await syncNow(kid);
  expect(k.live.lastCycle.result).toBe('ok');
  expect(k.live.lastCycle.summary).toContain('niets nieuws');
  expect((await ea('GET', '/stats')).voucherPosts).toBe(posts);
  expect(await vouchers()).toHaveLength(10);
});

test('a recalculated run gets an exact reversal and a new version, linked in the ledger', async () => {
  await h.control('nmbrs', 'POST', '/runs/41005/recalculate', { factor: 1.02 });
  const k = await syncNow(kid);
  expect(k.live.lastCycle.result).toBe('ok');
  const vs = await vouchers();
  expect(vs).toHaveLength(12);
  const original = vs.find((v) => v.VoucherText.startsWith('NMBRS-1001-2026-41005 '))!;
  const reversal = vs.find((v) => v.VoucherText.startsWith('NMBRS-1001-2026-41005-TB '))!;
  const v2 = vs.find((v) => v.VoucherText.startsWith('NMBRS-1001-2026-41005-V2 '))!;
  expect(reversal.Rows.map((r) => [r.AccountNumber, r.DebitAmount, r.CreditAmount])).toEqual(original.Rows.map((r) => [r.AccountNumber, r.CreditAmount, r.DebitAmount]));
  expect(reversal.VoucherDate).toBe(original.VoucherDate);
  expectBalancedAndShort([reversal, v2]);
  const ledger = await ledgerOf(kid);
  const byRef = (ref: string) => ledger.find((d) => d.reference === ref)!;
  expect(byRef('NMBRS-1001-2026-41005').links).toMatchObject({ reversedBy: byRef('NMBRS-1001-2026-41005-TB')._id, replacedBy: byRef('NMBRS-1001-2026-41005-V2')._id });
  expect(byRef('NMBRS-1001-2026-41005-TB').links.reverses).toBe(byRef('NMBRS-1001-2026-41005')._id);
  expect((await logOf(kid)).some((l) => l.code === 'RUN_CORRECTED' && l.message.includes('tegengeboekt'))).toBe(true);
});

test('two authorisations of one Visma account for two companies; a missing fiscal year is reported, then sent once it is created', async () => {
  const created = await h.call('POST', '/connections', { key, body: { system: 'eaccounting', name: 'Visma Bakkerij' } });
  connBakkerij = created.body.id;
  expect((await authorizeInBrowser(connBakkerij, DEMO_COMPANIES.bakkerij)).html).toContain('Autorisatie gelukt');
  const res = await h.call('POST', '/koppelingen', {
    key,
    body: { type: 'nmbrs-eaccounting', name: 'Bakkerij → eAccounting', settings: { nmbrsCompanyId: 1002, syncFromYear: 2026 }, credentials: { nmbrs: NMBRS_CREDS }, connections: { eaccounting: connBakkerij } },
  });
  expect(res.status).toBe(201);
  kidBakkerij = res.body.id;
  const k = await cycleDone(kidBakkerij, 1);
  expect(k.live.lastCycle.result).toBe('partial');
  expect(k.live.state).toBe('ACTIVE');
  expect(k.live.lastCycle.error.oorzaak).toContain('boekjaar');
  expect(k.live.lastCycle.error.oplossing).toContain('maak het boekjaar aan');
  expect(await vouchers(DEMO_COMPANIES.bakkerij)).toHaveLength(0);
  // The EB Bedrijf company got nothing of the bakery's.
  expect(await vouchers()).toHaveLength(12);

  await ea('POST', `/companies/${DEMO_COMPANIES.bakkerij}/fiscalyears`, { year: 2026 });
  const after = await syncNow(kidBakkerij);
  expect(after.live.lastCycle.result).toBe('ok');
  const vs = await vouchers(DEMO_COMPANIES.bakkerij);
  // Run 42001 covers two periods: two transactions, two vouchers.
  expect(vs.map((v) => v.VoucherText.split(' ')[0]).sort()).toEqual(['NMBRS-1002-2026-42001-T1', 'NMBRS-1002-2026-42001-T2']);
});

test('manual sending (autoSend off): a processed run waits until it is sent by hand through the API', async () => {
  const put = await h.call('PUT', `/koppelingen/${kidBakkerij}`, { key, body: { settings: { nmbrsCompanyId: 1002, syncFromYear: 2026, autoSend: false } } });
  expect(put.status).toBe(200);
  await h.control('nmbrs', 'POST', '/runs/42002/lock', { locked: true });
  const k = await syncNow(kidBakkerij);
  expect(k.live.lastCycle.summary).toContain('1 wacht op handmatig versturen');
  expect(await vouchers(DEMO_COMPANIES.bakkerij)).toHaveLength(2);
  const grey = (await h.call('GET', `/koppelingen/${kidBakkerij}/runs`, { key })).body.runs.find((r: { runId: number }) => r.runId === 42002);
  expect(grey).toMatchObject({ processed: true, sent: false, logo: 'grey' });

  expect((await h.call('POST', `/koppelingen/${kidBakkerij}/runs/99999/send`, { key, body: {} })).status).toBe(400);
  const before = k.live.lastCycle.cycleNo;
  const send = await h.call('POST', `/koppelingen/${kidBakkerij}/runs/42002/send`, { key, body: {} });
  expect(send.status).toBe(202);
  await cycleDone(kidBakkerij, before + 1);
  const red = (await h.call('GET', `/koppelingen/${kidBakkerij}/runs`, { key })).body.runs.find((r: { runId: number }) => r.runId === 42002);
  expect(red).toMatchObject({ sent: true, logo: 'red', sendRequested: false });
  expect((await vouchers(DEMO_COMPANIES.bakkerij)).map((v) => v.VoucherText.split(' ')[0])).toContain('NMBRS-1002-2026-42002');
});

test('tokens expired before a cycle with four changed runs: the first call meets 401, one refresh, everything sent', async () => {
  const before = await ea('GET', '/stats');
  await ea('POST', '/tokens/expire', {});
  for (const run of [41002, 41003, 41004, 41006]) await h.control('nmbrs', 'POST', `/runs/${run}/recalculate`, { factor: 1.01 });
  const k = await syncNow(kid);
  expect(k.live.lastCycle.result).toBe('ok');
  const stats = await ea('GET', '/stats');
  expect(stats.refreshGrants - before.refreshGrants).toBe(1);
  expect(stats.refreshAttempts - before.refreshAttempts).toBe(1);
  expect(await vouchers()).toHaveLength(20);
});

test('API module not activated: the koppeling waits with the seed\'s cause and fix, and resumes after a new authorisation', async () => {
  await ea('PUT', `/companies/${DEMO_COMPANIES.ebBedrijf}`, { modules: [] });
  await h.control('nmbrs', 'POST', '/runs/41008/recalculate', { factor: 1.01 });
  const k = await syncNow(kid);
  expect(k.live.state).toBe('WAITING_REAUTH');
  expect(k.live.lastCycle.error.oorzaak).toContain('De API module is nog niet geactiveerd');
  expect(k.live.lastCycle.error.oplossing).toContain("standaardbedrijf");
  await ea('PUT', `/companies/${DEMO_COMPANIES.ebBedrijf}`, { modules: ['api_standard'] });
  await authorizeInBrowser(connEb, DEMO_COMPANIES.ebBedrijf);
  await resumedAfter(kid, k.live.lastCycle.cycleNo);
  expect((await vouchers()).filter((v) => v.VoucherText.startsWith('NMBRS-1001-2026-41008'))).toHaveLength(3);
});

test('a locked period is reported once and not retried', async () => {
  await ea('PUT', `/companies/${DEMO_COMPANIES.ebBedrijf}`, { accountingLockedTo: '2026-12-31' });
  await h.control('nmbrs', 'POST', '/runs/41007/recalculate', { factor: 1.01 });
  const posts = (await ea('GET', '/stats')).voucherPosts;
  const k = await syncNow(kid);
  expect(k.live.state).toBe('ACTIVE');
  expect(k.live.lastCycle.summary).toContain('vergrendelde periode');
  const warned = (await logOf(kid)).filter((l) => l.code === 'RUN_PERIOD_LOCKED');
  expect(warned).toHaveLength(1);
  const again = await syncNow(kid);
  expect(again.live.lastCycle.summary).toContain('eerder gemeld als vergrendeld');
  expect((await logOf(kid)).filter((l) => l.code === 'RUN_PERIOD_LOCKED')).toHaveLength(1);
  expect((await ea('GET', '/stats')).voucherPosts).toBe(posts);
  await ea('PUT', `/companies/${DEMO_COMPANIES.ebBedrijf}`, { accountingLockedTo: null });
});

test('pre-flight against the accounts: blocked for manual booking, then missing, each BLOCKED_MAPPING naming it; sent once the mapping is fixed', async () => {
  // 1300 Debiteuren is blocked for manual booking in the demo chart.
  expect((await h.call('PUT', `/koppelingen/${kid}/mapping`, { key, body: { mapping: { '4105': '1300' } } })).status).toBe(200);
  await h.control('nmbrs', 'POST', '/runs/41010/recalculate', { factor: 1.01 });
  const posts = (await ea('GET', '/stats')).voucherPosts;
  const k = await syncNow(kid);
  expect(k.live.state).toBe('BLOCKED_MAPPING');
  expect(k.live.lastCycle.missingCodes).toEqual(['1300']);
  expect(k.live.lastCycle.error.oorzaak).toContain('geblokkeerd voor handmatig boeken');
  const before = k.live.lastCycle.cycleNo;
  expect((await h.call('PUT', `/koppelingen/${kid}/mapping`, { key, body: { mapping: { '4105': '4999' } } })).status).toBe(200);
  const missing = await cycleDone(kid, before + 1);
  expect(missing.live.state).toBe('BLOCKED_MAPPING');
  expect(missing.live.lastCycle.missingCodes).toEqual(['4999']);
  expect(missing.live.lastCycle.error.oorzaak).toContain('ontbreekt in eAccounting');
  expect((await ea('GET', '/stats')).voucherPosts).toBe(posts); // nothing sent half
  expect((await h.call('PUT', `/koppelingen/${kid}/mapping`, { key, body: { mapping: { '4105': '4000' } } })).status).toBe(200);
  await resumedAfter(kid, before + 1);
  const v2 = (await vouchers()).find((v) => v.VoucherText.startsWith('NMBRS-1001-2026-41010-V2 '))!;
  expect(v2.Rows.some((r) => r.AccountNumber === 4105)).toBe(false);
});

test('token expiry with 20 concurrent voucher posts through the koppeling\'s token provider: one refresh, 20 vouchers', async () => {
  const before = await ea('GET', '/stats');
  await ea('POST', '/tokens/expire', {});
  const client = createEaccountingClient({
    baseUrl: h.config.EACCOUNTING_BASE_URL,
    token: {
      get: async () => (await h.deps.credentials.read<{ accessToken: string }>(kid, 'eaccounting'))!.accessToken,
      refused: (t) => h.deps.credentials.refusedToken(kid, 'eaccounting', t),
    },
  });
  const rows = [
    { AccountNumber: 4000, DebitAmount: 1, CreditAmount: 0 },
    { AccountNumber: 1660, DebitAmount: 0, CreditAmount: 1 },
  ];
  const posted = await Promise.all(Array.from({ length: 20 }, (_, i) => client.createVoucher({ VoucherDate: '2026-11-30', VoucherText: `PARALLEL-${i} test`, Rows: rows })));
  expect(new Set(posted.map((v) => v.Id)).size).toBe(20);
  const stats = await ea('GET', '/stats');
  expect(stats.refreshGrants - before.refreshGrants).toBe(1);
  expect(stats.refreshAttempts - before.refreshAttempts).toBe(1);
});

test('refresh token revoked (password changed): WAITING_REAUTH with the authorise link, then re-authorised and resumed', async () => {
  await ea('POST', `/users/${encodeURIComponent(DEMO_EMAIL)}/password`, { password: 'nieuw-wachtwoord' });
  await h.control('nmbrs', 'POST', '/runs/41009/recalculate', { factor: 1.01 });
  const k = await syncNow(kid);
  expect(k.live.state).toBe('WAITING_REAUTH');
  expect(k.live.lastCycle.error.oplossing).toContain(`/connections/${connEb}/authorize`);
  expect((await connection(connEb)).health).toMatchObject({ authorized: false, logo: 'red' });
  await authorizeInBrowser(connEb, DEMO_COMPANIES.ebBedrijf, { password: 'nieuw-wachtwoord' });
  await resumedAfter(kid, k.live.lastCycle.cycleNo);
  expect((await vouchers()).filter((v) => v.VoucherText.startsWith('NMBRS-1001-2026-41009'))).toHaveLength(3);
  const refs = (await vouchers()).map((v) => v.VoucherText.split(' ')[0]);
  expect(new Set(refs).size).toBe(refs.length); // every voucher once
});
