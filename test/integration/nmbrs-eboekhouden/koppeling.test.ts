/**
 * Nmbrs → e-Boekhouden end to end: admin API over HTTP → MongoDB (FerretDB) → Temporal dev server
 * → worker → both simulators over SOAP. The simulators are driven and inspected only through their
 * control APIs. The tests build on each other: one koppeling (company 1001 from 2026 period 3)
 * goes through first sync, idle cycle, recalculation, closed periods, auth trouble and relinking.
 */
import { Harness, waitFor } from '../harness';

jest.setTimeout(180_000);

const h = new Harness();
let key: string;
let kid: string;

const NMBRS_CREDS = { username: 'demo@koppelwerk.nl', token: 'demo-nmbrs-token', domain: 'demo' };
const EB_CREDS = { username: 'demo', securityCode1: 'de5c1000000000000000000000000000', securityCode2: 'de5c2000-0000-0000-0000-000000000000' };

interface EbMutatie {
  MutatieNr: number;
  Soort: string;
  Datum: string;
  Boekstuk: string;
  Factuurnummer: string;
  Omschrijving: string;
  MutatieRegels: Array<{ BedragInclBTW: number; TegenrekeningCode: string }>;
}

beforeAll(async () => {
  await h.start({ simulators: ['nmbrs', 'eboekhouden'] });
  key = await h.tenant('ebbedrijf');
});
afterAll(() => h.stop());

const control = <T = any>(sim: 'nmbrs' | 'eboekhouden', method: string, path: string, body?: unknown) => h.control<T>(sim, method, path, body);

/** Our memorialen in e-Boekhouden (the demo administration unless a user is named). */
async function memorialen(username?: string): Promise<EbMutatie[]> {
  const all = await control<EbMutatie[]>('eboekhouden', 'GET', `/mutaties${username ? `?username=${username}` : ''}`);
  return all.filter((m) => m.Boekstuk.startsWith('NMBRS-'));
}

function expectEachOnce(muts: EbMutatie[]): void {
  const refs = muts.map((m) => m.Boekstuk);
  expect(new Set(refs).size).toBe(refs.length);
}

const cents = (euros: number) => Math.round(euros * 100);

/** Net amount per grootboekrekening booked for one run (all versions and reversals together). */
function bookedNet(muts: EbMutatie[], runId: number): Record<string, number> {
  const net: Record<string, number> = {};
  for (const m of muts.filter((x) => x.Boekstuk.startsWith(`NMBRS-1001-2026-${runId}`))) {
    for (const r of m.MutatieRegels) net[r.TegenrekeningCode] = (net[r.TegenrekeningCode] ?? 0) + cents(r.BedragInclBTW);
  }
  return Object.fromEntries(Object.entries(net).filter(([, v]) => v !== 0));
}

/** What the run's current Nmbrs journal says, per grootboekrekening after the mapping. */
async function journalNet(runId: number, mapping: Record<string, string> = {}): Promise<Record<string, number>> {
  const state = await control<{ runs: Array<{ id: number; journal: Array<{ lines: Array<{ dim1: string; cents: number; debitCredit: string }> }> }> }>('nmbrs', 'GET', '/state');
  const run = state.runs.find((r) => r.id === runId)!;
  const net: Record<string, number> = {};
  for (const tx of run.journal) {
    for (const l of tx.lines) {
      const code = mapping[l.dim1] ?? l.dim1;
      net[code] = (net[code] ?? 0) + (l.debitCredit === 'debit' ? l.cents : -l.cents);
    }
  }
  return Object.fromEntries(Object.entries(net).filter(([, v]) => v !== 0));
}

async function live(id: string) {
  return (await h.call('GET', `/koppelingen/${id}`, { key })).body;
}

/** Cycle n has finished (the workflow is out of RUNNING). */
async function cycleDone(id: string, n: number, timeoutMs = 90_000) {
  return waitFor(
    async () => {
      const k = await live(id);
      return k.live && k.live.lastCycle?.cycleNo >= n && k.live.state !== 'RUNNING' ? k : undefined;
    },
    timeoutMs,
    `cycle ${n} of ${id}`,
  );
}

async function syncNow(id: string) {
  const before = (await live(id)).live.lastCycle?.cycleNo ?? 0;
  const res = await h.call('POST', `/koppelingen/${id}/sync`, { body: { reason: 'test' }, key });
  expect(res.status).toBe(202);
  return cycleDone(id, before + 1);
}

async function logOf(id: string): Promise<Array<{ level: string; code: string; message: string; details?: any; cycleNo?: number }>> {
  return (await h.call('GET', `/koppelingen/${id}/log?limit=500`, { key })).body.items;
}

async function ledgerOf(id: string): Promise<Array<{ _id: string; entity: string; status: string; reference: string; targetId?: string; links: Record<string, string>; meta: any }>> {
  return (await h.call('GET', `/koppelingen/${id}/ledger`, { key })).body.items;
}

async function ebCalls(): Promise<Record<string, number>> {
  return (await control<{ calls: Record<string, number> }>('eboekhouden', 'GET', '/stats')).calls;
}

async function createKoppeling(over: { settings?: Record<string, unknown>; mapping?: Record<string, string>; eboekhouden?: Record<string, string> } = {}) {
  const res = await h.call('POST', '/koppelingen', {
    key,
    body: {
      type: 'nmbrs-eboekhouden',
      name: 'EB Bedrijf loonjournaal',
      settings: { nmbrsCompanyId: 1001, syncFromYear: 2026, syncFromPeriod: 3, ...over.settings },
      ...(over.mapping ? { mapping: over.mapping } : {}),
      credentials: { nmbrs: NMBRS_CREDS, eboekhouden: over.eboekhouden ?? EB_CREDS },
      cadence: { kind: 'daily', at: '06:00' },
    },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

test('bad settings and credentials are refused with every field named', async () => {
  const res = await h.call('POST', '/koppelingen', {
    key,
    body: {
      type: 'nmbrs-eboekhouden',
      name: 'x',
      settings: { nmbrsCompanyId: 0, syncFromYear: 2026, syncFromPeriod: 99 },
      credentials: { nmbrs: { ...NMBRS_CREDS, username: 'geen-email' }, eboekhouden: { ...EB_CREDS, securityCode1: 'kort' } },
    },
  });
  expect(res.status).toBe(400);
  expect(res.body.issues.map((i: { field: string }) => i.field)).toEqual(
    expect.arrayContaining(['settings.nmbrsCompanyId', 'settings.syncFromPeriod', 'credentials.nmbrs.username', 'credentials.eboekhouden.securityCode1']),
  );
});

test('first sync from a start period books every locked run once, and blocks on the missing grootboekrekening 4105', async () => {
  kid = await createKoppeling();
  const k = await cycleDone(kid, 1);
  expect(k.live.state).toBe('BLOCKED_MAPPING');
  expect(k.live.missingCodes).toEqual(['4105']);
  expect(k.live.lastCycle.result).toBe('blocked_mapping');
  expect(k.live.lastCycle.counts).toMatchObject({ geboekt: 7, geblokkeerd: 1, nietVergrendeld: 1, memorialen: 7 });
  expect(k.live.blockingReason).toContain('4105');
  // Mirrored in MongoDB (the workflow writes it right after changing state).
  await waitFor(async () => (await live(kid)).status.missingCodes?.[0] === '4105', 30_000, 'missingCodes in MongoDB');

  const muts = await memorialen();
  expectEachOnce(muts);
  expect(muts.map((m) => m.Boekstuk).sort()).toEqual([41003, 41004, 41005, 41006, 41007, 41008, 41009].map((r) => `NMBRS-1001-2026-${r}`));
  for (const m of muts) {
    expect(m.Soort).toBe('Memoriaal');
    expect(m.Factuurnummer).toBe(m.Boekstuk);
    expect(m.MutatieRegels.reduce((s, r) => s + cents(r.BedragInclBTW), 0)).toBe(0);
  }
  const maart = muts.find((m) => m.Boekstuk === 'NMBRS-1001-2026-41003')!;
  expect(maart.Datum.slice(0, 10)).toBe('2026-03-31');
  expect(maart.Omschrijving).toContain('Nmbrs loonjournaal 2026-03 run 3');
  for (const runId of [41003, 41006, 41009]) expect(bookedNet(muts, runId)).toEqual(await journalNet(runId));

  const log = await logOf(kid);
  const posted = log.find((e) => e.code === 'RUN_POSTED' && e.message.startsWith('Run 2026-03 (run 3)'))!;
  expect(posted.message).toMatch(new RegExp(`^Run 2026-03 \\(run 3\\): \\d+ regels geboekt als memoriaal ${maart.MutatieNr} \\(debet € [\\d.]+,\\d\\d\\)\\.$`));
  const skipped = log.find((e) => e.code === 'RUN_MAPPING_MISSING')!;
  expect(skipped.level).toBe('warn');
  expect(skipped.message).toBe('Run 2026-09 (run 10) overgeslagen: grootboekrekening 4105 ontbreekt in e-Boekhouden.');
  const cycleLine = log.find((e) => e.code === 'CYCLE_BLOCKED_MAPPING')!;
  expect(cycleLine.message).toContain('7 geboekt');

  const ledger = (await ledgerOf(kid)).filter((e) => e.entity === 'memoriaal');
  expect(ledger).toHaveLength(7);
  for (const e of ledger) expect(muts.find((m) => m.Boekstuk === e.reference)?.MutatieNr).toBe(Number(e.targetId));
});

test('after the mapping is fixed (PUT mapping) the blocked run is booked', async () => {
  const res = await h.call('PUT', `/koppelingen/${kid}/mapping`, { body: { mapping: { '4105': '4000' } }, key });
  expect(res.status).toBe(200);
  const k = await cycleDone(kid, 2);
  expect(k.live.state).toBe('ACTIVE');
  expect(k.live.lastCycle).toMatchObject({ result: 'ok', counts: { geboekt: 1, ongewijzigd: 7 } });
  const muts = await memorialen();
  expectEachOnce(muts);
  expect(muts).toHaveLength(8);
  expect(bookedNet(muts, 41010)).toEqual(await journalNet(41010, { '4105': '4000' }));
});

test('a second cycle writes nothing and does not even open an e-Boekhouden session', async () => {
  await control('eboekhouden', 'POST', '/stats/reset');
  const k = await syncNow(kid);
  expect(k.live.lastCycle).toMatchObject({ result: 'ok', counts: { ongewijzigd: 8, nietVergrendeld: 1 } });
  expect(k.live.lastCycle.summary).toContain('niets nieuws te boeken');
  expect(await memorialen()).toHaveLength(8);
  const calls = await ebCalls();
  expect(calls.AddMutatie ?? 0).toBe(0);
  expect(calls.GetMutaties ?? 0).toBe(0);
  expect(calls.OpenSession ?? 0).toBe(0);
});

test('a recalculated journal gets an exact reversal and the new version, linked in the ledger and the log', async () => {
  await control('nmbrs', 'POST', '/runs/41005/recalculate', { factor: 1.02 });
  const k = await syncNow(kid);
  expect(k.live.lastCycle).toMatchObject({ result: 'ok', counts: { gecorrigeerd: 1, memorialen: 1, tegenboekingen: 1 } });

  const muts = await memorialen();
  expectEachOnce(muts);
  const orig = muts.find((m) => m.Boekstuk === 'NMBRS-1001-2026-41005')!;
  const tb = muts.find((m) => m.Boekstuk === 'NMBRS-1001-2026-41005-TB')!;
  const v2 = muts.find((m) => m.Boekstuk === 'NMBRS-1001-2026-41005-V2')!;
  expect(tb.Datum).toBe(orig.Datum); // its period is open: the first open period is its own
  expect(tb.MutatieRegels.map((r) => [r.TegenrekeningCode, cents(r.BedragInclBTW)])).toEqual(orig.MutatieRegels.map((r) => [r.TegenrekeningCode, -cents(r.BedragInclBTW)]));
  expect(bookedNet(muts, 41005)).toEqual(await journalNet(41005, { '4105': '4000' }));
  expect(bookedNet([v2], 41005)).toEqual(await journalNet(41005, { '4105': '4000' }));

  const ledger = await ledgerOf(kid);
  const byRef = (ref: string) => ledger.find((e) => e.reference === ref)!;
  const [lo, ltb, lv2] = [byRef(orig.Boekstuk), byRef(tb.Boekstuk), byRef(v2.Boekstuk)];
  expect(lo.links).toEqual({ reversedBy: ltb._id, replacedBy: lv2._id });
  expect(ltb.links).toEqual({ reverses: lo._id });
  expect(lv2.links).toEqual({ replaces: lo._id });
  expect([lo, ltb, lv2].map((e) => Number(e.targetId))).toEqual([orig.MutatieNr, tb.MutatieNr, v2.MutatieNr]);

  const corrected = (await logOf(kid)).find((e) => e.code === 'RUN_CORRECTED')!;
  expect(corrected.message).toContain(`Run 2026-05 (run 5) is gewijzigd in Nmbrs: memoriaal ${orig.MutatieNr} tegengeboekt als memoriaal ${tb.MutatieNr}; versie 2`);
  expect(corrected.message).toContain(`geboekt als memoriaal ${v2.MutatieNr}`);
});

test('a change in a period closed by the periodClosed signal is not booked but warned about once, with run and amounts', async () => {
  const closed = await h.call('POST', `/koppelingen/${kid}/closed-periods`, { body: { administration: 'e-Boekhouden', year: 2026, period: 4 }, key });
  expect(closed.status).toBe(200);
  await control('nmbrs', 'POST', '/runs/41004/recalculate', { factor: 1.01 });
  const before = await memorialen();
  let k = await syncNow(kid);
  expect(k.live.lastCycle).toMatchObject({ result: 'ok', counts: { afgeslotenPeriode: 1 } });
  expect(await memorialen()).toHaveLength(before.length);
  const warnings = (await logOf(kid)).filter((e) => e.code === 'PERIOD_CLOSED_CHANGE');
  expect(warnings).toHaveLength(1);
  expect(warnings[0].level).toBe('warn');
  expect(warnings[0].message).toMatch(/^Run 2026-04 \(run 4\) is gewijzigd in Nmbrs, maar periode 2026-04 is afgesloten in e-Boekhouden: de wijziging is niet geboekt\. Geboekt staat debet € [\d.]+,\d\d, volgens Nmbrs nu debet € [\d.]+,\d\d \(verschil € [\d.]+,\d\d\)\.$/);
  expect(warnings[0].details.newDebetCents).toBeGreaterThan(warnings[0].details.bookedDebetCents);
  expect(warnings[0].details.differences.length).toBeGreaterThan(0);

  k = await syncNow(kid);
  expect(k.live.lastCycle.counts).toMatchObject({ eerderOvergeslagen: 1 });
  expect((await logOf(kid)).filter((e) => e.code === 'PERIOD_CLOSED_CHANGE')).toHaveLength(1);
});

test('a period closed in e-Boekhouden itself (PeriodClosed on write) is skipped with a warning, nothing half booked', async () => {
  await control('eboekhouden', 'PUT', '/closed-period', { afgeslotenTm: '2026-06-30' });
  try {
    await control('nmbrs', 'POST', '/runs/41006/recalculate', { factor: 0.99 });
    const before = await memorialen();
    const k = await syncNow(kid);
    expect(k.live.lastCycle).toMatchObject({ result: 'ok', counts: { afgeslotenPeriode: 1 } });
    expect(await memorialen()).toHaveLength(before.length);
    const warning = (await logOf(kid)).find((e) => e.code === 'PERIOD_CLOSED_CHANGE' && e.message.startsWith('Run 2026-06 (run 6)'))!;
    expect(warning.details.closedThrough).toBe('2026-06-30');
    expect(warning.message).toContain('verschil € -');
  } finally {
    await control('eboekhouden', 'PUT', '/closed-period', { afgeslotenTm: null });
  }
});

test('with changesInClosedPeriod = firstOpenPeriod a change in a closed period is booked in the first open period', async () => {
  const settings = { nmbrsCompanyId: 1001, syncFromYear: 2026, syncFromPeriod: 3 };
  expect((await h.call('PUT', `/koppelingen/${kid}`, { body: { settings: { ...settings, changesInClosedPeriod: 'firstOpenPeriod' } }, key })).status).toBe(200);
  try {
    await h.call('POST', `/koppelingen/${kid}/closed-periods`, { body: { administration: 'e-Boekhouden', year: 2026, period: 5 }, key });
    await control('nmbrs', 'POST', '/runs/41005/recalculate', { factor: 1.01 });
    const k = await syncNow(kid);
    expect(k.live.lastCycle).toMatchObject({ result: 'ok', counts: { gecorrigeerd: 1 } });
    const muts = await memorialen();
    expectEachOnce(muts);
    const tb = muts.find((m) => m.Boekstuk === 'NMBRS-1001-2026-41005-V2-TB')!;
    const v3 = muts.find((m) => m.Boekstuk === 'NMBRS-1001-2026-41005-V3')!;
    expect([tb.Datum.slice(0, 10), v3.Datum.slice(0, 10)]).toEqual(['2026-06-01', '2026-06-01']);
    expect(bookedNet(muts, 41005)).toEqual(await journalNet(41005, { '4105': '4000' }));
    const line = (await logOf(kid)).find((e) => e.code === 'RUN_CORRECTED' && e.message.includes('versie 3'))!;
    expect(line.level).toBe('warn');
    expect(line.message).toContain('Gedateerd op 2026-06-01: de eerste open periode (2026-05 is afgesloten).');
  } finally {
    await h.call('PUT', `/koppelingen/${kid}`, { body: { settings }, key });
  }
});

test('preview shows what the next cycle would book without writing; mapping check lists every dim1', async () => {
  await control('nmbrs', 'POST', '/runs/41007/recalculate', {});
  const calls = await ebCalls();
  const preview = await h.call('GET', `/koppelingen/${kid}/preview`, { key });
  expect(preview.status).toBe(200);
  const run = (id: number) => preview.body.runs.find((r: { runId: number }) => r.runId === id);
  expect(run(41007).status).toBe('gewijzigd: tegenboeking en nieuwe versie');
  expect(run(41007).mutaties.map((m: { reference: string; kind: string }) => [m.kind, m.reference])).toEqual([
    ['tegenboeking', 'NMBRS-1001-2026-41007-TB'],
    ['boeking', 'NMBRS-1001-2026-41007-V2'],
  ]);
  expect(run(41007).totals.debetCents).toBe(run(41007).totals.creditCents);
  expect(run(41007).lines.length).toBeGreaterThan(3);
  expect(run(41003).status).toBe('ongewijzigd: al geboekt');
  expect(run(41004).status).toBe('eerder overgeslagen: periode afgesloten');
  expect(run(41011).status).toMatch(/niet vergrendeld/);
  expect(run(41010).lines.find((l: { dim1: string }) => l.dim1 === '4105').grootboekrekening).toBe('4000');
  expect(preview.body.summary).toMatchObject({ mutaties: 1, tegenboekingen: 1, missingCodes: [] });
  expect((await ebCalls()).AddMutatie).toBe(calls.AddMutatie); // a preview writes nothing

  const check = await h.call('GET', `/koppelingen/${kid}/mapping-check`, { key });
  expect(check.status).toBe(200);
  expect(check.body.ok).toBe(true);
  const dims = check.body.codes.map((c: { dim1: string }) => c.dim1);
  expect(dims).toEqual(expect.arrayContaining(['1640', '1650', '1660', '4000', '4100', '4105', '4110']));
  expect(check.body.codes.find((c: { dim1: string }) => c.dim1 === '4105')).toMatchObject({ grootboekrekening: '4000', viaMapping: true, bestaat: true, omschrijvingEboekhouden: 'Lonen en salarissen' });

  // A koppeling without the override: the check names 4105 and what to do.
  const other = await createKoppeling({ settings: { active: false } });
  await cycleDone(other, 1);
  const bad = await h.call('GET', `/koppelingen/${other}/mapping-check`, { key });
  expect(bad.body).toMatchObject({ ok: false, missingCodes: ['4105'] });
  expect(bad.body.advies).toContain('4105');
  const badPreview = await h.call('GET', `/koppelingen/${other}/preview`, { key });
  expect(badPreview.body.missingCodes).toEqual(['4105']);
  expect(badPreview.body.runs.find((r: { runId: number }) => r.runId === 41010).status).toBe('overgeslagen: grootboekrekening 4105 ontbreekt in e-Boekhouden');
  expect((await h.call('POST', `/koppelingen/${other}/stop`, { key })).status).toBe(200);
});

test('a second active koppeling from the same Nmbrs company into the same administration is refused: it would book everything twice', async () => {
  const twin = await h.call('POST', '/koppelingen', {
    key,
    body: { type: 'nmbrs-eboekhouden', name: 'Dubbel', settings: { nmbrsCompanyId: 1001, syncFromYear: 2026 }, credentials: { nmbrs: NMBRS_CREDS, eboekhouden: EB_CREDS } },
  });
  expect(twin.status).toBe(409);
  expect(twin.body.error).toContain('Nmbrs-bedrijf 1001');
  expect(twin.body.error).toContain(kid);
  expect(twin.body.error).toContain('dubbel boeken');
  // Switched off it may exist (it books nothing), but switching it on is refused while the first is linked.
  const off = await createKoppeling({ settings: { active: false } });
  const on = await h.call('PUT', `/koppelingen/${off}`, { key, body: { settings: { nmbrsCompanyId: 1001, syncFromYear: 2026, syncFromPeriod: 3 } } });
  expect(on.status).toBe(409);
  // Another Nmbrs company is another source: allowed.
  expect((await h.call('PUT', `/koppelingen/${off}`, { key, body: { settings: { nmbrsCompanyId: 2002, syncFromYear: 2026 } } })).status).toBe(200);
  expect((await h.call('POST', `/koppelingen/${off}/stop`, { key })).status).toBe(200);
});

test('Nmbrs 1002 gives the actionable message and waits; it resumes after the right is switched on and reauthorized', async () => {
  await control('nmbrs', 'PUT', '/users/demo@koppelwerk.nl/rights/Journals_GetByRunCompany_v2', { active: false });
  const before = (await live(kid)).live.lastCycle.cycleNo;
  await h.call('POST', `/koppelingen/${kid}/sync`, { body: {}, key });
  let k = await cycleDone(kid, before + 1);
  expect(k.live.state).toBe('WAITING_REAUTH');
  expect(k.live.lastCycle.error).toMatchObject({ type: 'PermissionDenied', system: 'nmbrs', code: '1002' });
  expect(k.live.blockingReason).toContain("Activeer de API-call Journals_GetByRunCompany_v2 in de API user template");
  expect(k.live.blockingReason).toContain("'Actief'");
  expect((await h.call('POST', `/koppelingen/${kid}/sync`, { body: {}, key })).status).toBe(409);

  await control('nmbrs', 'PUT', '/users/demo@koppelwerk.nl/rights/Journals_GetByRunCompany_v2', { active: true });
  const creds = await h.call('PUT', `/koppelingen/${kid}/credentials`, { body: { system: 'nmbrs', credentials: NMBRS_CREDS }, key });
  expect(creds.status).toBe(200);
  k = await cycleDone(kid, before + 2);
  expect(k.live.state).toBe('ACTIVE');
  // The change to run 41007 that waited meanwhile is booked now.
  expect(k.live.lastCycle).toMatchObject({ result: 'ok', counts: { gecorrigeerd: 1 } });
  expectEachOnce(await memorialen());
});

test('an e-Boekhouden session that expires mid-cycle is reopened; every run is still booked once', async () => {
  for (const run of [41003, 41008, 41009]) await control('nmbrs', 'POST', `/runs/${run}/recalculate`, {});
  await control('eboekhouden', 'POST', '/faults', { latencyMs: 250 });
  try {
    const before = (await live(kid)).live.lastCycle.cycleNo;
    await control('eboekhouden', 'POST', '/stats/reset');
    await h.call('POST', `/koppelingen/${kid}/sync`, { body: {}, key });
    // A run's activity has read the chart; its next call arrives 250 ms later: expire the sessions now.
    const deadline = Date.now() + 60_000;
    while (((await ebCalls()).GetGrootboekrekeningen ?? 0) < 1) {
      if (Date.now() > deadline) throw new Error('no chart read within 60 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    const expired = await control<{ expired: number }>('eboekhouden', 'POST', '/sessions/expire');
    expect(expired.expired).toBeGreaterThanOrEqual(1);
    const k = await cycleDone(kid, before + 1);
    expect(k.live.lastCycle).toMatchObject({ result: 'ok', counts: { gecorrigeerd: 3 } });
    // Reopened inside the activity: an expired session is never closed, so opens exceed closes by the reopens.
    const calls = await ebCalls();
    expect(calls.OpenSession - calls.CloseSession).toBeGreaterThanOrEqual(1);
  } finally {
    await control('eboekhouden', 'POST', '/faults', {});
  }
  const muts = await memorialen();
  expectEachOnce(muts);
  for (const run of [41003, 41008, 41009]) expect(bookedNet(muts, run)).toEqual(await journalNet(run, { '4105': '4000' }));
});

test('unlinking ends the workflow and keeps the ledger; linking again continues without re-posting', async () => {
  const ledgerBefore = await ledgerOf(kid);
  const mutsBefore = await memorialen();
  expect((await h.call('POST', `/koppelingen/${kid}/stop`, { key })).status).toBe(200);
  await waitFor(async () => (await live(kid)).status.state === 'STOPPED', 30_000, 'STOPPED');
  expect((await live(kid)).live).toBeNull();
  expect(await ledgerOf(kid)).toHaveLength(ledgerBefore.length);

  expect((await h.call('POST', `/koppelingen/${kid}/start`, { key })).status).toBe(200);
  const k = await cycleDone(kid, 1);
  expect(k.live.lastCycle.result).toBe('ok');
  expect(k.live.lastCycle.counts.geboekt ?? 0).toBe(0);
  expect(k.live.lastCycle.counts.gecorrigeerd ?? 0).toBe(0);
  expect(await memorialen()).toHaveLength(mutsBefore.length);
  expect(await ledgerOf(kid)).toHaveLength(ledgerBefore.length);
});

test('with 20 % injected 5xx and timeouts on both sides the cycles converge and book nothing twice', async () => {
  // Its own e-Boekhouden user and administration (demo chart), so its bookings start at zero.
  const user = { username: 'storing', securityCode1: 'ab12000000000000000000000000cdef', securityCode2: '5708a000-0000-4000-8000-000000000001' };
  await control('eboekhouden', 'POST', '/users', user);
  const faults = { errorRate: 0.1, timeoutRate: 0.1, timeoutMs: 1_200 };
  await control('nmbrs', 'POST', '/faults', { ...faults, seed: 2026 });
  await control('eboekhouden', 'POST', '/faults', { ...faults, seed: 7 });
  let id = '';
  /** A cycle that ran out of retries reports `failed` (the entity would retry in 5 minutes): ask again. */
  const converge = async (first?: Promise<any>) => {
    let k = first ? await first : await syncNow(id);
    for (let i = 0; i < 4 && k.live.lastCycle.result !== 'ok'; i++) k = await syncNow(id);
    expect(k.live.lastCycle.result).toBe('ok');
    return k;
  };
  try {
    // Short connector timeouts, so a hanging request costs under a second.
    id = await createKoppeling({ settings: { syncFromPeriod: 1, nmbrsTimeoutMs: 800, eboekhoudenTimeoutMs: 800 }, mapping: { '4105': '4000' }, eboekhouden: user });
    await converge(cycleDone(id, 1)); // the first sync: ten new runs
    for (const run of [41002, 41005, 41008, 41010]) await control('nmbrs', 'POST', `/runs/${run}/recalculate`, {});
    await converge(); // four corrections
    const k = await syncNow(id); // still faulty: nothing left to do
    expect(k.live.lastCycle.counts.geboekt ?? 0).toBe(0);
    const injected = await control<{ injected: { errors: number; timeouts: number } }>('eboekhouden', 'GET', '/faults');
    expect(injected.injected.errors + injected.injected.timeouts).toBeGreaterThan(0);
  } finally {
    await control('nmbrs', 'POST', '/faults', {});
    await control('eboekhouden', 'POST', '/faults', {});
  }
  const muts = await memorialen('storing');
  expectEachOnce(muts);
  for (const run of [41001, 41002, 41003, 41004, 41005, 41006, 41007, 41008, 41009, 41010]) {
    expect(bookedNet(muts, run)).toEqual(await journalNet(run, { '4105': '4000' }));
  }
  const ledger = (await ledgerOf(id)).filter((e) => e.entity === 'memoriaal' && e.status === 'posted');
  expect(ledger.map((e) => Number(e.targetId)).sort((a, b) => a - b)).toEqual(muts.map((m) => m.MutatieNr).sort((a, b) => a - b));
});
