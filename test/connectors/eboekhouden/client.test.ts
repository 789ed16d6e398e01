/**
 * e-Boekhouden connector against the SOAP simulator over real HTTP. The simulator's control API
 * resets data, expires sessions and injects faults; nothing here waits on wall-clock time.
 */
import * as soap from 'soap';
import { KoppelError } from '../../../src/domain/errors';
import { createEboekhoudenClient, type EboekhoudenClient, type MutatieInput } from '../../../src/systems/eboekhouden/client';
import { loopbackOnly } from '../../../src/systems/eboekhouden/simulator/control';
import {
  DEMO_ADMINISTRATIE_GUID,
  DEMO_SECURITY_CODE_1,
  DEMO_SECURITY_CODE_2,
  DEMO_USERNAME,
  startEboekhoudenSimulator,
  type EboekhoudenSimulator,
} from '../../../src/systems/eboekhouden/simulator';

const demo = { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 };
let sim: EboekhoudenSimulator;
let client: EboekhoudenClient;

async function control(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.url}/_control${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function failure(p: Promise<unknown>): Promise<KoppelError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KoppelError);
    return e as KoppelError;
  }
  throw new Error('expected a KoppelError');
}

/** A balanced payroll journal (memoriaal): costs debet, liabilities credit. */
function loonjournaal(datum: string, lines: Array<[string, number]> = [['4000', 5000], ['4100', 900], ['4110', 400], ['1640', -1500], ['1650', -400], ['1660', -4400]]): MutatieInput {
  return {
    soort: 'Memoriaal',
    datum,
    omschrijving: `Loonjournaalpost ${datum.slice(0, 7)}`,
    regels: lines.map(([tegenrekeningCode, bedragInvoer]) => ({ tegenrekeningCode, bedragInvoer })),
  };
}

beforeAll(async () => {
  sim = await startEboekhoudenSimulator({ port: 0 });
  client = createEboekhoudenClient({ baseUrl: sim.url, credentials: demo, timeoutMs: 10_000 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await control('/reset', { demo: true });
  await control('/faults', {});
});

describe('sessions', () => {
  it('opens one session, runs the work and always closes it', async () => {
    const admins = await client.withSession(async (s) => {
      await s.getGrootboekrekeningen();
      return s.getAdministraties();
    });
    expect(admins).toEqual([{ bedrijf: 'Demo Installatietechniek B.V.', plaats: 'Utrecht', guid: DEMO_ADMINISTRATIE_GUID, startBoekjaar: '2020' }]);
    await expect(client.withSession(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const stats = await control('/stats');
    expect(stats.calls.OpenSession).toBe(2);
    expect(stats.calls.CloseSession).toBe(2);
    expect(stats.sessions.open).toBe(0);
  });

  it('maps bad security codes and usernames to ReauthRequired without leaking the codes', async () => {
    const wrong = { ...demo, securityCode2: 'ffffffff-1111-2222-3333-444444444444' };
    const err = await failure(createEboekhoudenClient({ baseUrl: sim.url, credentials: wrong }).withSession(async (s) => s.getAdministraties()));
    expect(err.type).toBe('ReauthRequired');
    expect(err.code).toBe('E0001');
    expect(err.oplossing).toContain('Beheer > Inrichting > Instellingen > Koppelingen > API/SOAP');
    expect(err.oplossing).toMatch(/beveiligingscodes 1 en 2/);
    const text = JSON.stringify({ ...err.toJSON(), stack: err.stack });
    for (const secret of [wrong.securityCode1, wrong.securityCode2, DEMO_SECURITY_CODE_2]) expect(text).not.toContain(secret);

    const unknownUser = await failure(createEboekhoudenClient({ baseUrl: sim.url, credentials: { ...demo, username: 'niemand' } }).withSession(async () => 1));
    expect(unknownUser.type).toBe('ReauthRequired');
    expect((await control('/stats')).sessions.open).toBe(0);
  });

  it('reopens the session once when it expired mid-use (E0023) and retries the call', async () => {
    const rekeningen = await client.withSession(async (s) => {
      await s.getAdministraties();
      expect((await control('/sessions/expire', {})).expired).toBe(1);
      return s.getGrootboekrekeningen({ code: '4000' });
    });
    expect(rekeningen.map((g) => g.code)).toEqual(['4000']);
    const stats = await control('/stats');
    expect(stats.calls.OpenSession).toBe(2);
    expect(stats.calls.GetGrootboekrekeningen).toBe(2);
    expect(stats.calls.CloseSession).toBe(1);
    expect(stats.sessions.open).toBe(0);
  });

  it('recovers parallel calls that meet E0023 with a single reopen', async () => {
    const [a, b] = await client.withSession(async (s) => {
      await s.getAdministraties();
      await control('/sessions/expire', {});
      return Promise.all([s.getArtikelen(), s.getRelaties()]);
    });
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    const stats = await control('/stats');
    expect(stats.calls.OpenSession).toBe(2);
    expect(stats.sessions.open).toBe(0);
  });

  it('keeps tenants apart: a user added through the control API gets its own administration', async () => {
    const added = await control('/users', { username: 'tenant2', securityCode1: 'a'.repeat(32), securityCode2: '11111111-2222-3333-4444-555555555555' });
    expect(added.administraties).toHaveLength(1);
    await control(`/closed-period?username=tenant2`, { afgeslotenTm: '2025-06-30' });
    const tenant = createEboekhoudenClient({ baseUrl: sim.url, credentials: { username: 'tenant2', securityCode1: 'a'.repeat(32), securityCode2: '11111111-2222-3333-4444-555555555555' } });
    const err = await failure(tenant.withSession((s) => s.addMutatie(loonjournaal('2025-06-30'))));
    expect(err.type).toBe('PeriodClosed');
    await expect(tenant.withSession((s) => s.addMutatie(loonjournaal('2025-07-31')))).resolves.toBe(1);
    await expect(client.withSession((s) => s.addMutatie(loonjournaal('2025-06-30')))).resolves.toBe(1); // demo is still open
    expect(await control('/mutaties?username=tenant2')).toHaveLength(1);
    expect(await control('/mutaties')).toHaveLength(1);
  });

  it('expires idle sessions by the simulator clock, and gives up after one reopen', async () => {
    let clock = Date.UTC(2025, 0, 1);
    let step = 0;
    const timed = await startEboekhoudenSimulator({ sessionIdleMs: 60_000, now: () => new Date((clock += step)) });
    try {
      const c = createEboekhoudenClient({ baseUrl: timed.url, credentials: demo });
      const count = await c.withSession(async (s) => {
        await s.getAdministraties();
        clock += 61_000; // idle longer than the timeout
        return (await s.getArtikelen()).length;
      });
      expect(count).toBeGreaterThan(0);
      expect(timed.state.sessionStats).toMatchObject({ opened: 2, expired: 1, closed: 1 });
      expect(timed.state.openSessionCount).toBe(0);

      step = 61_000; // every clock reading is a minute later: each session is stale at first use
      const err = await failure(c.withSession(async (s) => s.getArtikelen()));
      expect(err.type).toBe('Transient');
      expect(err.code).toBeUndefined();
    } finally {
      await timed.close();
    }
  });
});

describe('grootboekrekeningen and mutaties', () => {
  it('lists the chart with filters; 4105 is deliberately absent', async () => {
    const { all, vw, one } = await client.withSession(async (s) => ({
      all: await s.getGrootboekrekeningen(),
      vw: await s.getGrootboekrekeningen({ categorie: 'VW' }),
      one: await s.getGrootboekrekeningen({ code: '1640' }),
    }));
    const codes = all.map((g) => g.code);
    expect(codes).toEqual(expect.arrayContaining(['4000', '4100', '4110', '1640', '1650', '1660', '8000', '1300', '1100', '1500']));
    expect(codes).not.toContain('4105');
    expect(vw.every((g) => g.categorie === 'VW')).toBe(true);
    expect(one).toEqual([{ id: expect.any(Number), code: '1640', omschrijving: 'Af te dragen loonheffing', categorie: 'BAL', groep: '' }]);
  });

  it('books a balanced memoriaal and reads it back with filters', async () => {
    const { nr, byNr, byRange, byDate, invoice } = await client.withSession(async (s) => {
      const nr = await s.addMutatie(loonjournaal('2025-01-31'));
      await s.addMutatie(loonjournaal('2025-02-28'));
      await s.addMutatie({
        soort: 'FactuurVerstuurd', datum: '2025-03-05', rekening: '1300', relatieCode: 'K0001', factuurnummer: 'WB-1042', betalingstermijn: 14,
        omschrijving: 'Werkbon 1042', regels: [{ tegenrekeningCode: '8000', bedragInvoer: 100, btwCode: 'HOOG_VERK_21' }],
      });
      return {
        nr,
        byNr: await s.getMutaties({ mutatieNr: nr }),
        byRange: await s.getMutaties({ mutatieNrVan: 2, mutatieNrTm: 3 }),
        byDate: await s.getMutaties({ datumVan: '2025-02-01', datumTm: '2025-02-28' }),
        invoice: await s.getMutaties({ factuurnummer: 'WB-1042' }),
      };
    });
    expect(nr).toBe(1);
    expect(byNr).toHaveLength(1);
    expect(byNr[0]).toMatchObject({ mutatieNr: 1, soort: 'Memoriaal', datum: '2025-01-31', omschrijving: 'Loonjournaalpost 2025-01' });
    expect(byNr[0].regels.map((r) => [r.tegenrekeningCode, r.bedragInvoer])).toEqual([['4000', 5000], ['4100', 900], ['4110', 400], ['1640', -1500], ['1650', -400], ['1660', -4400]]);
    expect(byRange.map((m) => m.mutatieNr)).toEqual([3, 2]);
    expect(byDate.map((m) => m.datum)).toEqual(['2025-02-28']);
    expect(invoice).toHaveLength(1);
    expect(invoice[0].regels[0]).toMatchObject({ bedragExclBtw: 100, bedragBtw: 21, bedragInclBtw: 121, btwPercentage: 21, factuurnummer: 'WB-1042' });
    const posten = await client.withSession((s) => s.getOpenPosten('Debiteuren'));
    expect(posten).toEqual([{ mutDatum: '2025-03-05', factuurnummer: 'WB-1042', relatieCode: 'K0001', relatieBedrijf: 'Bakkerij De Gouden Korst', bedrag: 121, voldaan: 0, openstaand: 121 }]);
  });

  it('refuses a mutation in a closed period with PeriodClosed and the closed-through date', async () => {
    await control('/closed-period', { afgeslotenTm: '2025-01-31' });
    const err = await failure(client.withSession((s) => s.addMutatie(loonjournaal('2025-01-31'))));
    expect(err.type).toBe('PeriodClosed');
    expect(err.details).toEqual({ closedThrough: '2025-01-31', datum: '2025-01-31' });
    expect(err.oorzaak).toContain('afgesloten');
    // The day after is open.
    await expect(client.withSession((s) => s.addMutatie(loonjournaal('2025-02-01')))).resolves.toBe(1);
  });

  it('refuses an unbalanced memoriaal with InvalidData', async () => {
    const err = await failure(client.withSession((s) => s.addMutatie(loonjournaal('2025-01-31', [['4000', 5000], ['1660', -4999]]))));
    expect(err.type).toBe('InvalidData');
    expect(err.oorzaak).toMatch(/niet in balans/);
    expect(await control('/mutaties')).toEqual([]);
  });

  it('maps unknown grootboekrekeningen to MappingIncomplete listing exactly the missing codes', async () => {
    const err = await failure(client.withSession((s) => s.addMutatie(loonjournaal('2025-01-31', [['4000', 100], ['4105', 50], ['4999', 25], ['1660', -175]]))));
    expect(err.type).toBe('MappingIncomplete');
    expect(err.details).toEqual({ missingCodes: ['4105', '4999'] });
    expect(err.oorzaak).toContain('4105');
  });

  it('returns at most the 500 most recent mutations, after filtering', async () => {
    const bulk = Array.from({ length: 600 }, (_, i) => ({
      Soort: 'Memoriaal', Datum: '2025-01-15', Omschrijving: `m${i + 1}`, Factuurnummer: i === 9 ? 'OUD-10' : '',
      MutatieRegels: [
        { BedragInvoer: 10, BedragExclBTW: 10, BedragBTW: 0, BedragInclBTW: 10, BTWCode: 'GEEN', TegenrekeningCode: '4000' },
        { BedragInvoer: -10, BedragExclBTW: -10, BedragBTW: 0, BedragInclBTW: -10, BTWCode: 'GEEN', TegenrekeningCode: '1660' },
      ],
    }));
    expect((await control('/mutaties', bulk)).mutatienummers).toHaveLength(600);
    const { all, old } = await client.withSession(async (s) => ({ all: await s.getMutaties(), old: await s.getMutaties({ factuurnummer: 'OUD-10' }) }));
    expect(all).toHaveLength(500);
    expect(all[0].mutatieNr).toBe(600);
    expect(all[499].mutatieNr).toBe(101);
    expect(old.map((m) => m.mutatieNr)).toEqual([10]);
    expect(await control('/mutaties')).toHaveLength(600); // the control API is not capped
  });
});

describe('relaties and artikelen', () => {
  it('adds, finds and updates relaties; a duplicate code is refused', async () => {
    const result = await client.withSession(async (s) => {
      const id = await s.addRelatie({ code: 'K0100', bedrijf: 'Loodgietersbedrijf Van Dam', bp: 'B', plaats: 'Houten', email: 'info@vandam.example', vrijeVelden: ['werkbon'] });
      const dup = await failure(s.addRelatie({ code: 'k0100', bedrijf: 'Ander bedrijf', bp: 'P' }));
      await s.updateRelatie({ code: 'K0100', bedrijf: 'Loodgietersbedrijf Van Dam B.V.', bp: 'B', plaats: 'Nieuwegein' });
      const missing = await failure(s.updateRelatie({ code: 'BESTAATNIET', bedrijf: 'X', bp: 'B' }));
      return { id, dup, missing, byCode: await s.getRelaties({ code: 'K0100' }), byWord: await s.getRelaties({ trefwoord: 'gouden' }), all: await s.getRelaties() };
    });
    expect(result.id).toBeGreaterThan(0);
    expect(result.dup.type).toBe('InvalidData');
    expect(result.dup.details).toEqual({ duplicate: true });
    expect(result.missing.type).toBe('InvalidData');
    expect(result.byCode).toHaveLength(1);
    expect(result.byCode[0]).toMatchObject({ id: result.id, code: 'K0100', bedrijf: 'Loodgietersbedrijf Van Dam B.V.', bp: 'B', plaats: 'Nieuwegein', email: 'info@vandam.example' });
    expect(result.byCode[0].vrijeVelden[0]).toBe('werkbon'); // fields not given to updateRelatie are kept
    expect(result.byWord.map((r) => r.code)).toEqual(['K0001']);
    expect(result.all.length).toBe(5);
  });

  it('lists artikelen with units and the active flag', async () => {
    const artikelen = await client.withSession((s) => s.getArtikelen());
    const uren = artikelen.filter((a) => a.eenheid === 'Uur');
    expect(uren.filter((a) => a.actief).map((a) => [a.omschrijving, a.verkoopprijsExclBtw])).toEqual([
      ['Arbeid', 55],
      ['Arbeid monteur', 62.5],
      ['Spoedtarief', 85],
    ]);
    expect(uren.filter((a) => !a.actief)).toHaveLength(1);
    expect(new Set(artikelen.filter((a) => a.actief && a.eenheid !== 'Uur').map((a) => a.eenheid))).toEqual(new Set(['Stuk', 'Doos', 'Meter']));
    const byCode = await client.withSession((s) => s.getArtikelen({ code: 'ARBM' }));
    expect(byCode).toEqual([expect.objectContaining({ code: 'ARBM', eenheid: 'Uur', btwCode: 'HOOG_VERK_21', verkoopprijsInclBtw: 75.63, actief: true })]);
  });
});

describe('facturen', () => {
  const factuur = (over: Record<string, unknown> = {}) => ({
    relatiecode: 'K0002', datum: '2025-03-10', betalingstermijn: 14, factuursjabloon: 'Standaard', inBoekhoudingPlaatsen: true,
    regels: [
      { aantal: 3.5, eenheid: 'Uur', code: 'ARB-MON', omschrijving: 'Arbeid monteur', prijsPerEenheid: 62.5, btwCode: 'HOOG_VERK_21', tegenrekeningCode: '8000' },
      { aantal: 2, eenheid: 'Stuk', code: 'KK15', omschrijving: 'Koperen knelkoppeling 15 mm', prijsPerEenheid: 3.95, btwCode: 'HOOG_VERK_21', tegenrekeningCode: '8100' },
    ],
    ...over,
  });

  it('books an invoice with InBoekhoudingPlaatsen: mutation and open post', async () => {
    const { nr, facturen, posten } = await client.withSession(async (s) => ({
      nr: await s.addFactuur({ ...factuur(), factuurnummer: 'WB-2001' }),
      facturen: await s.getFacturen({ factuurnummer: 'WB-2001' }),
      posten: await s.getOpenPosten(),
    }));
    expect(nr).toBe('WB-2001');
    expect(facturen).toHaveLength(1);
    expect(facturen[0]).toMatchObject({ factuurnummer: 'WB-2001', relatiecode: 'K0002', datum: '2025-03-10', betalingstermijn: 14, totaalExclBtw: 226.65, totaalBtw: 47.6, totaalInclBtw: 274.25, totaalOpenstaand: 274.25 });
    expect(facturen[0].regels.map((r) => r.eenheid)).toEqual(['Uur', 'Stuk']);
    expect(posten).toEqual([expect.objectContaining({ factuurnummer: 'WB-2001', relatieCode: 'K0002', bedrag: 274.25, openstaand: 274.25 })]);
    const mutaties = await control('/mutaties');
    expect(mutaties).toEqual([expect.objectContaining({ Soort: 'FactuurVerstuurd', Rekening: '1300', Factuurnummer: 'WB-2001', RelatieCode: 'K0002' })]);
  });

  it('only prepares the invoice without InBoekhoudingPlaatsen: no mutation, no open post', async () => {
    const { nr, posten, facturen } = await client.withSession(async (s) => ({
      nr: await s.addFactuur(factuur({ inBoekhoudingPlaatsen: false })),
      posten: await s.getOpenPosten('Debiteuren'),
      facturen: await s.getFacturen({ relatiecode: 'K0002', datumVan: '2025-03-01', datumTm: '2025-03-31' }),
    }));
    expect(nr).toBe('2025001'); // numbered by e-Boekhouden
    expect(posten).toEqual([]);
    expect(facturen.map((f) => f.factuurnummer)).toEqual(['2025001']);
    expect(await control('/mutaties')).toEqual([]);
    expect(await control('/facturen')).toEqual([expect.objectContaining({ Factuurnummer: '2025001', InBoekhoudingPlaatsen: false })]);
  });

  it('names a missing invoice template and where to create it', async () => {
    const err = await failure(client.withSession((s) => s.addFactuur(factuur({ factuursjabloon: 'Werkbon' }))));
    expect(err.type).toBe('InvalidData');
    expect(err.oorzaak).toContain("'Werkbon'");
    expect(err.oplossing).toContain('Beheer > Sjablonen > Factuursjablonen');
    expect(err.details).toEqual({ factuursjabloon: 'Werkbon' });
    // Adding the template through the control API fixes it.
    await control('/factuursjablonen', { Naam: 'Werkbon' });
    await expect(client.withSession((s) => s.addFactuur(factuur({ factuursjabloon: 'Werkbon' })))).resolves.toBe('2025001');
  });

  it('refuses an invoice dated in a closed period only when it is booked', async () => {
    await control('/closed-period', { afgeslotenTm: '2025-03-31' });
    const err = await failure(client.withSession((s) => s.addFactuur(factuur())));
    expect(err.type).toBe('PeriodClosed');
    expect(err.details).toMatchObject({ closedThrough: '2025-03-31' });
    await expect(client.withSession((s) => s.addFactuur(factuur({ inBoekhoudingPlaatsen: false })))).resolves.toBeTruthy();
  });
});

describe('transport failures', () => {
  it('maps injected HTTP 5xx to Transient', async () => {
    await control('/faults', { errorRate: 1 });
    const err = await failure(client.withSession((s) => s.getAdministraties()));
    expect(err.type).toBe('Transient');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/OpenSession: HTTP 50[03]/);
  });

  it('maps a truncated (unparsable) answer to Transient', async () => {
    await control('/faults', { malformedRate: 1 });
    const err = await failure(client.withSession((s) => s.getAdministraties()));
    expect(err.type).toBe('Transient');
  });

  it('maps a request timeout to Transient', async () => {
    await control('/faults', { timeoutRate: 1, timeoutMs: 60_000 }); // the server hangs far longer than the client waits
    const impatient = createEboekhoudenClient({ baseUrl: sim.url, credentials: demo, timeoutMs: 200 });
    const err = await failure(impatient.withSession(async () => 1));
    expect(err.type).toBe('Transient');
    expect(err.message).toMatch(/^OpenSession: /);
  });

  it('maps an unreachable server to Transient', async () => {
    const gone = await startEboekhoudenSimulator();
    await gone.close();
    const err = await failure(createEboekhoudenClient({ baseUrl: gone.url, credentials: demo }).withSession(async () => 1));
    expect(err.type).toBe('Transient');
  });

  it('refuses malformed input before sending it', async () => {
    const err = await failure(client.withSession((s) => s.addMutatie(loonjournaal('31-01-2025'))));
    expect(err.type).toBe('InvalidData');
    expect((await control('/stats')).calls.AddMutatie).toBeUndefined();
  });
});

describe('wire protocol', () => {
  it('works with the generic soap package, unchanged, from the served WSDL', async () => {
    const c = await soap.createClientAsync(`${sim.url}/soap.asmx?WSDL`);
    const [open] = await c.OpenSessionAsync({ Username: DEMO_USERNAME, SecurityCode1: DEMO_SECURITY_CODE_1, SecurityCode2: DEMO_SECURITY_CODE_2, Source: 'Test' });
    const SessionID = open.OpenSessionResult.SessionID;
    expect(SessionID).toMatch(/^[0-9A-F]{32}$/);
    const [gb] = await c.GetGrootboekrekeningenAsync({ SessionID, SecurityCode2: DEMO_SECURITY_CODE_2, cFilter: { ID: 0, Code: '4000', Categorie: '' } });
    expect(gb.GetGrootboekrekeningenResult.Rekeningen.cGrootboekrekening).toEqual([expect.objectContaining({ Code: '4000', Omschrijving: 'Lonen en salarissen' })]);
    const regel = (code: string, bedrag: number) => ({
      BedragInvoer: bedrag, BedragExclBTW: bedrag, BedragBTW: 0, BedragInclBTW: bedrag, BTWCode: 'GEEN', BTWPercentage: 0, TegenrekeningCode: code, KostenplaatsID: 0,
    });
    const [add] = await c.AddMutatieAsync({
      SessionID, SecurityCode2: DEMO_SECURITY_CODE_2,
      oMut: { MutatieNr: 0, Soort: 'Memoriaal', Datum: '2025-04-30T00:00:00', Omschrijving: 'Loonjournaalpost april', InExBTW: 'EX', MutatieRegels: { cMutatieRegel: [regel('4000', 250.5), regel('1660', -250.5)] } },
    });
    expect(add.AddMutatieResult.Mutatienummer).toBe(1);
    expect(add.AddMutatieResult.ErrorMsg.LastErrorCode ?? '').toBe('');
    const [bad] = await c.AddMutatieAsync({
      SessionID, SecurityCode2: DEMO_SECURITY_CODE_2,
      oMut: { MutatieNr: 0, Soort: 'Memoriaal', Datum: '2025-04-30', MutatieRegels: { cMutatieRegel: [regel('4105', 1), regel('1660', -1)] } },
    });
    expect(bad.AddMutatieResult.ErrorMsg).toEqual({ LastErrorCode: 'E0030', LastErrorDescription: 'Grootboekrekening 4105 bestaat niet in deze administratie.' });
    await c.CloseSessionAsync({ SessionID });
    expect(await control('/mutaties')).toEqual([expect.objectContaining({ MutatieNr: 1, Datum: '2025-04-30', Omschrijving: 'Loonjournaalpost april' })]);
    expect((await control('/stats')).sessions.open).toBe(0);
  });

  it('serves the WSDL at ?WSDL and ?wsdl with its own address', async () => {
    for (const q of ['WSDL', 'wsdl']) {
      const text = await (await fetch(`${sim.url}/soap.asmx?${q}`)).text();
      expect(text).toContain('targetNamespace="http://www.e-boekhouden.nl/soap"');
      expect(text).toContain(`<soap:address location="${sim.url}/soap.asmx" />`);
    }
  });

  it('answers unreadable requests with a SOAP fault and session errors in-band', async () => {
    const post = (body: string, action: string) =>
      fetch(`${sim.url}/soap.asmx`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: `"http://www.e-boekhouden.nl/soap/${action}"` }, body });
    const env = (inner: string) => `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${inner}</soap:Body></soap:Envelope>`;

    const badEnum = await post(env('<AddMutatie xmlns="http://www.e-boekhouden.nl/soap"><SessionID>x</SessionID><oMut><MutatieNr>0</MutatieNr><Soort>Loon</Soort><Datum>2025-01-01</Datum></oMut></AddMutatie>'), 'AddMutatie');
    expect(badEnum.status).toBe(500);
    expect(await badEnum.text()).toMatch(/<faultcode>soap:Client<\/faultcode>.*'Loon' is not a valid value for enMutatieSoorten/);

    const broken = await post('<soap:Envelope><oops>', 'GetAdministraties');
    expect(broken.status).toBe(500);

    const expired = await post(env('<GetAdministraties xmlns="http://www.e-boekhouden.nl/soap"><SessionID>ONBEKEND</SessionID><SecurityCode2>x</SecurityCode2></GetAdministraties>'), 'GetAdministraties');
    expect(expired.status).toBe(200);
    expect(await expired.text()).toContain('<LastErrorCode>E0023</LastErrorCode>');

    const soap12 = await fetch(`${sim.url}/soap.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml; charset=utf-8; action="http://www.e-boekhouden.nl/soap/CloseSession"' },
      body: '<soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Body><CloseSession xmlns="http://www.e-boekhouden.nl/soap"><SessionID>x</SessionID></CloseSession></soap12:Body></soap12:Envelope>',
    });
    expect(soap12.status).toBe(200);
    expect(soap12.headers.get('content-type')).toContain('application/soap+xml');
  });

  it('serves the control API to loopback callers only', () => {
    const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
    const next = jest.fn();
    loopbackOnly({ socket: { remoteAddress: '192.168.1.20' } } as never, res as never, next);
    expect(res.status).toHaveBeenCalledWith(403);
    expect(next).not.toHaveBeenCalled();
    loopbackOnly({ socket: { remoteAddress: '::ffff:127.0.0.1' } } as never, res as never, next);
    expect(next).toHaveBeenCalled();
  });
});
