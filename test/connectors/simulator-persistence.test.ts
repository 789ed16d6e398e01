/**
 * The simulators' optional `stateFile`: what Koppelwerk (or the control API) changed survives a
 * restart, numbering continues where it stopped, and an unusable file is a clear error naming it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEboekhoudenClient, type MutatieInput } from '../../src/systems/eboekhouden/client';
import { createNmbrsClient } from '../../src/systems/nmbrs/client';
import { createWerkbonAppClient } from '../../src/systems/werkbonapp/client';
import {
  DEMO_SECURITY_CODE_1,
  DEMO_SECURITY_CODE_2,
  DEMO_USERNAME,
  EboekhoudenState,
  loadDemo,
  startEboekhoudenSimulator,
} from '../../src/systems/eboekhouden/simulator';
import { DEMO_RUN_IDS, DEMO_USER, DEMO_YEAR, EB_BEDRIJF_ID, NmbrsState, startNmbrsSimulator } from '../../src/systems/nmbrs/simulator';
import { DEMO_TOKEN, WerkbonAppState, startWerkbonAppSimulator } from '../../src/systems/werkbonapp/simulator';
import { createPersister } from '../../src/systems/simulator-support/persist';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kw-sim-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function control(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}/_control${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Waits (briefly) until the state file contains `text`: the debounced save, before any close(). */
async function fileContains(file: string, text: string): Promise<boolean> {
  for (let i = 0; i < 60; i++) {
    if (existsSync(file) && readFileSync(file, 'utf8').includes(text)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const loonjournaal = (datum: string, omschrijving: string): MutatieInput => ({
  soort: 'Memoriaal',
  datum,
  omschrijving,
  regels: [
    { tegenrekeningCode: '4000', bedragInvoer: 5000 },
    { tegenrekeningCode: '1660', bedragInvoer: -5000 },
  ],
});

describe('e-Boekhouden simulator', () => {
  const credentials = { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 };

  it('keeps mutaties, facturen, numbering and control-API changes across a restart', async () => {
    const file = join(dir, 'simulators', 'eboekhouden.json');
    let sim = await startEboekhoudenSimulator({ stateFile: file });
    expect(existsSync(file)).toBe(true); // written at first start, with the demo data
    let client = createEboekhoudenClient({ baseUrl: sim.url, credentials, timeoutMs: 10_000 });
    const [nr, factuurnummer] = await client.withSession(async (s) => [
      await s.addMutatie(loonjournaal('2026-03-31', 'Loonjournaalpost 2026-03')),
      await s.addFactuur({
        relatiecode: 'REL001',
        datum: '2026-04-02',
        betalingstermijn: 14,
        factuursjabloon: 'Standaard',
        inBoekhoudingPlaatsen: true,
        regels: [{ aantal: 2, omschrijving: 'Arbeid', prijsPerEenheid: 55, btwCode: 'HOOG_VERK_21', tegenrekeningCode: '8000' }],
      }),
    ]);
    await control(sim.url, 'PUT', '/closed-period', { afgeslotenTm: '2025-12-31' });
    await control(sim.url, 'POST', '/users', { username: 'tweede', securityCode1: 'c1', securityCode2: 'c2' });
    // Saved after the requests, without waiting for close().
    expect(await fileContains(file, 'Loonjournaalpost 2026-03')).toBe(true);
    expect(await fileContains(file, '"AfgeslotenTm":"2025-12-31"')).toBe(true);
    await sim.close();

    sim = await startEboekhoudenSimulator({ stateFile: file });
    try {
      client = createEboekhoudenClient({ baseUrl: sim.url, credentials, timeoutMs: 10_000 });
      const { mutaties, facturen, next } = await client.withSession(async (s) => ({
        mutaties: await s.getMutaties({ datumVan: '2026-01-01', datumTm: '2026-12-31' }),
        facturen: await s.getFacturen({}),
        next: await s.addMutatie(loonjournaal('2026-04-30', 'Loonjournaalpost 2026-04')),
      }));
      expect(mutaties.map((m) => m.omschrijving)).toContain('Loonjournaalpost 2026-03');
      expect(mutaties.find((m) => m.mutatieNr === nr)?.omschrijving).toBe('Loonjournaalpost 2026-03');
      expect(facturen.map((f) => f.factuurnummer)).toEqual([factuurnummer]);
      // Numbering continues: the invoice's mutation was nr + 1.
      expect(next).toBe(nr + 2);
      expect(await control(sim.url, 'GET', '/closed-period')).toMatchObject({ afgeslotenTm: '2025-12-31' });
      expect((await control(sim.url, 'GET', '/users')).map((u: { username: string }) => u.username)).toEqual([DEMO_USERNAME, 'tweede']);
      expect((await control(sim.url, 'GET', '/open-posten')).map((p: { MutFactuur: string }) => p.MutFactuur)).toEqual([factuurnummer]);
    } finally {
      await sim.close();
    }
  });

  it('round-trips a snapshot through JSON', () => {
    const state = new EboekhoudenState();
    loadDemo(state);
    state.upsertUser({ username: 'tweede', securityCode1: 'a', securityCode2: 'b' });
    const before = state.snapshot();
    const copy = new EboekhoudenState();
    copy.load(JSON.parse(JSON.stringify(before)));
    expect(copy.snapshot()).toEqual(before);
    expect(copy.administraties.size).toBe(2);
  });
});

describe('WerkbonApp simulator', () => {
  it('keeps werkbon status changes, master data, tokens and row ids across a restart', async () => {
    const file = join(dir, 'werkbonapp.json');
    let sim = await startWerkbonAppSimulator({ stateFile: file });
    let client = createWerkbonAppClient({ baseUrl: sim.apiUrl, token: DEMO_TOKEN, timeoutMs: 5_000 });
    await client.updateWorkorder({ workorderNo: 'WB-2025-0101' }, { status: 'Afgehandeld' });
    await client.upsertRelations([{ debtorNumber: 'REL900', name: 'Nieuw B.V.', street: 'Laan', houseNumber: '1', postalCode: '1234 AB', city: 'Utrecht' }]);
    const [added] = await control(sim.url, 'POST', '/workorders', { WorkorderNo: 'WB-2025-0900', CustomerDebtorNrInvoice: 'REL900' });
    await control(sim.url, 'POST', '/tokens', { tokens: [DEMO_TOKEN, 'second-token'] });
    expect(await fileContains(file, 'second-token')).toBe(true);
    await sim.close();

    sim = await startWerkbonAppSimulator({ stateFile: file });
    try {
      client = createWerkbonAppClient({ baseUrl: sim.apiUrl, token: 'second-token', timeoutMs: 5_000 });
      const bon = await control(sim.url, 'GET', '/workorders/WB-2025-0101');
      expect(bon.status).toBe('Afgehandeld');
      expect(bon.history).toEqual([expect.objectContaining({ from: 'Compleet', to: 'Afgehandeld', via: 'GetWorkorder' })]);
      expect((await client.getWorkorder({ workorderNo: 'WB-2025-0900' }))?.id).toBe(String(added.row_id));
      expect((await client.getRelations()).map((r) => r.debtorNumber)).toContain('REL900');
      const [next] = await control(sim.url, 'POST', '/workorders', { WorkorderNo: 'WB-2025-0901', CustomerDebtorNrInvoice: 'REL900' });
      expect(next.row_id).toBe(added.row_id + 1);
      const afgehandeld = await client.getWorkorders({ status: 'Afgehandeld' });
      expect(afgehandeld.map((w) => w.workorderNo)).toEqual(['WB-2025-0101']);
    } finally {
      await sim.close();
    }
  });

  it('round-trips a snapshot (Maps and Sets) through JSON', () => {
    const state = new WerkbonAppState({ tokens: ['t1', 't2'] });
    const w = state.findByAnyId('WB-2025-0102')!;
    state.transition(w, 'Afgehandeld', 'control');
    const before = state.snapshot();
    const copy = new WerkbonAppState({ demo: false, tokens: [] });
    copy.load(JSON.parse(JSON.stringify(before)));
    expect(copy.snapshot()).toEqual(before);
    expect([...copy.tokens]).toEqual(['t1', 't2']);
    expect(copy.entities.relations.size).toBe(state.entities.relations.size);
    expect(copy.statusOf(copy.findByAnyId('WB-2025-0102')!)).toBe('Afgehandeld');
  });
});

describe('Nmbrs simulator', () => {
  const credentials = { username: DEMO_USER.username, token: DEMO_USER.token, domain: DEMO_USER.domain };
  const current = DEMO_RUN_IDS.ebBedrijf.current;

  it('keeps runs locked and recalculated through the control API across a restart', async () => {
    const file = join(dir, 'nmbrs.json');
    let sim = await startNmbrsSimulator({ stateFile: file });
    const client = createNmbrsClient({ baseUrl: sim.url, credentials });
    expect((await client.listRuns(EB_BEDRIJF_ID, DEMO_YEAR)).find((r) => r.id === current)?.isLocked).toBe(false);
    await control(sim.url, 'POST', `/runs/${current}/lock`, { locked: true });
    await control(sim.url, 'POST', `/runs/${current}/recalculate`, { factor: 1.1 });
    await control(sim.url, 'PUT', `/users/${DEMO_USER.username}/rights/Run_GetList`, { active: false });
    await control(sim.url, 'PUT', `/users/${DEMO_USER.username}/rights/Run_GetList`, { active: true });
    const journalBefore = await client.getJournal(EB_BEDRIJF_ID, current, DEMO_YEAR);
    await sim.close();

    sim = await startNmbrsSimulator({ stateFile: file });
    try {
      const again = createNmbrsClient({ baseUrl: sim.url, credentials });
      expect((await again.listRuns(EB_BEDRIJF_ID, DEMO_YEAR)).find((r) => r.id === current)?.isLocked).toBe(true);
      expect(await again.getJournal(EB_BEDRIJF_ID, current, DEMO_YEAR)).toEqual(journalBefore);
      expect(sim.state.run(current)?.recalculations).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('round-trips a snapshot through JSON', () => {
    const state = new NmbrsState();
    state.lockRun(current);
    const before = state.snapshot();
    const copy = new NmbrsState();
    copy.reset(false);
    copy.load(JSON.parse(JSON.stringify(before)));
    expect(copy.snapshot()).toEqual(before);
  });
});

describe('unusable state files', () => {
  const starters = {
    nmbrs: (stateFile: string) => startNmbrsSimulator({ stateFile }),
    eboekhouden: (stateFile: string) => startEboekhoudenSimulator({ stateFile }),
    werkbonapp: (stateFile: string) => startWerkbonAppSimulator({ stateFile }),
  };

  it.each(Object.keys(starters) as Array<keyof typeof starters>)('%s: a corrupt file is an error naming the file, and is left alone', async (name) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, '{"simulator": "' + name + '", "version": 1, "state": {');
    await expect(starters[name](file)).rejects.toThrow(file);
    await expect(starters[name](file)).rejects.toThrow(/unusable/);
    expect(readFileSync(file, 'utf8')).toContain('"state": {');

    writeFileSync(file, JSON.stringify({ simulator: name, version: 1, state: { garbage: true } }));
    await expect(starters[name](file)).rejects.toThrow(file);

    writeFileSync(file, JSON.stringify({ simulator: 'someone-else', version: 1, state: {} }));
    await expect(starters[name](file)).rejects.toThrow(`${file} is unusable: written by simulator "someone-else"`);
  });
});

describe('persister', () => {
  it('debounces, skips unchanged state and never writes after close()', async () => {
    const file = join(dir, 'p.json');
    let value = 1;
    let snapshots = 0;
    const p = createPersister('test', file, () => (snapshots++, { value }), { delayMs: 20 });
    p.flush();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ simulator: 'test', version: 1, state: { value: 1 } });
    for (let i = 0; i < 10; i++) p.schedule();
    value = 2;
    await new Promise((r) => setTimeout(r, 60));
    expect(snapshots).toBe(2); // ten schedules, one save
    expect(JSON.parse(readFileSync(file, 'utf8')).state).toEqual({ value: 2 });
    value = 3;
    p.schedule();
    p.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).state).toEqual({ value: 3 });
    value = 4;
    p.schedule();
    p.flush();
    await new Promise((r) => setTimeout(r, 60));
    expect(JSON.parse(readFileSync(file, 'utf8')).state).toEqual({ value: 3 });
  });
});
