/**
 * The e-Boekhouden simulator reads requests as the real ASMX service does (XmlSerializer): an
 * omitted element is not an error, it gets its type's default (or stays "not specified" when
 * minOccurs=0), and unknown elements are ignored. Hand-written envelopes over HTTP, as published
 * clients send them, each compared with the same request spelling out every element.
 * Truly malformed requests still get a SOAP fault.
 */
import * as soap from 'soap';
import {
  DEMO_SECURITY_CODE_1,
  DEMO_SECURITY_CODE_2,
  DEMO_USERNAME,
  startEboekhoudenSimulator,
  type EboekhoudenSimulator,
} from '../../../src/systems/eboekhouden/simulator';

const NS = 'http://www.e-boekhouden.nl/soap';
let sim: EboekhoudenSimulator;

const env = (inner: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${inner}</soap:Body></soap:Envelope>`;

async function post(op: string, body: string, action: string | null = `"${NS}/${op}"`): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'text/xml; charset=utf-8' };
  if (action !== null) headers.SOAPAction = action;
  const res = await fetch(`${sim.url}/soap.asmx`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

/** `<Op xmlns=ns><SessionID/><SecurityCode2/>…</Op>` in an envelope. */
const call = (op: string, sessionId: string, inner: string) =>
  post(op, env(`<${op} xmlns="${NS}"><SessionID>${sessionId}</SessionID><SecurityCode2>${DEMO_SECURITY_CODE_2}</SecurityCode2>${inner}</${op}>`));

async function control(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.url}/_control${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

async function openSession(): Promise<string> {
  const res = await post(
    'OpenSession',
    env(`<OpenSession xmlns="${NS}"><Username>${DEMO_USERNAME}</Username><SecurityCode1>${DEMO_SECURITY_CODE_1}</SecurityCode1><SecurityCode2>${DEMO_SECURITY_CODE_2}</SecurityCode2><Source>Test</Source></OpenSession>`),
  );
  const id = /<SessionID>([^<]+)<\/SessionID>/.exec(res.text)?.[1];
  if (!id) throw new Error(`OpenSession failed: ${res.text}`);
  return id;
}

/** Every element the WSDL requires, with the value a client means by leaving it out. */
const FULL = {
  addRelatie:
    '<oRel><ID>0</ID><AddDatum>0001-01-01T00:00:00</AddDatum><Code>K0099</Code><Bedrijf>Loodgieter Smit</Bedrijf><Plaats>Zeist</Plaats><BP>B</BP>' +
    '<Gb_ID>0</Gb_ID><GeenEmail>0</GeenEmail><NieuwsbriefgroepenCount>0</NieuwsbriefgroepenCount></oRel>',
  getRelaties: '<cFilter><Trefwoord /><Code>K0099</Code><ID>0</ID></cFilter>',
  addMutatie:
    '<oMut><MutatieNr>0</MutatieNr><Soort>FactuurVerstuurd</Soort><Datum>2025-03-01T00:00:00</Datum><Rekening>1300</Rekening><RelatieCode>K0099</RelatieCode>' +
    '<Factuurnummer>WB-1042</Factuurnummer><Omschrijving>Werkbon 1042</Omschrijving><Betalingstermijn>14</Betalingstermijn><InExBTW>EX</InExBTW><MutatieRegels><cMutatieRegel>' +
    '<BedragInvoer>100.00</BedragInvoer><BedragExclBTW>100.00</BedragExclBTW><BedragBTW>21.00</BedragBTW><BedragInclBTW>121.00</BedragInclBTW>' +
    '<BTWCode>HOOG_VERK_21</BTWCode><BTWPercentage>21</BTWPercentage><TegenrekeningCode>8000</TegenrekeningCode><KostenplaatsID>0</KostenplaatsID>' +
    '</cMutatieRegel></MutatieRegels></oMut>',
  getMutaties: '<cFilter><MutatieNr>0</MutatieNr><Factuurnummer>WB-1042</Factuurnummer><DatumVan>0001-01-01T00:00:00</DatumVan><DatumTm>0001-01-01T00:00:00</DatumTm></cFilter>',
};

/** The same requests as a published client writes them: no ID, AddDatum, KostenplaatsID, MutatieNr, dates, … */
const OMITTED = {
  addRelatie: '<oRel><Code>K0099</Code><Bedrijf>Loodgieter Smit</Bedrijf><Plaats>Zeist</Plaats><BP>B</BP></oRel>',
  getRelaties: '<cFilter><Code>K0099</Code></cFilter>',
  addMutatie:
    '<oMut><Soort>FactuurVerstuurd</Soort><Datum>2025-03-01</Datum><Rekening>1300</Rekening><RelatieCode>K0099</RelatieCode>' +
    '<Factuurnummer>WB-1042</Factuurnummer><Omschrijving>Werkbon 1042</Omschrijving><Betalingstermijn>14</Betalingstermijn><InExBTW>EX</InExBTW><MutatieRegels><cMutatieRegel>' +
    '<BedragInvoer>100.00</BedragInvoer><BedragExclBTW>100.00</BedragExclBTW><BedragBTW>21.00</BedragBTW><BedragInclBTW>121.00</BedragInclBTW>' +
    '<BTWCode>HOOG_VERK_21</BTWCode><BTWPercentage>21</BTWPercentage><TegenrekeningCode>8000</TegenrekeningCode>' +
    // An element the WSDL does not know is ignored, as XmlSerializer does.
    '<Kostenplaats>onbekend</Kostenplaats></cMutatieRegel></MutatieRegels></oMut>',
  getMutaties: '<cFilter><Factuurnummer>WB-1042</Factuurnummer></cFilter>',
};

/** Runs AddRelatie, GetRelaties, AddMutatie, GetMutaties on freshly reset demo data. */
async function scenario(bodies: typeof FULL): Promise<Record<string, { status: number; text: string }>> {
  await control('/reset', { demo: true });
  const sid = await openSession();
  const out: Record<string, { status: number; text: string }> = {};
  out.AddRelatie = await call('AddRelatie', sid, bodies.addRelatie);
  out.GetRelaties = await call('GetRelaties', sid, bodies.getRelaties);
  out.AddMutatie = await call('AddMutatie', sid, bodies.addMutatie);
  out.GetMutaties = await call('GetMutaties', sid, bodies.getMutaties);
  return out;
}

beforeAll(async () => {
  sim = await startEboekhoudenSimulator({ port: 0 });
});
afterAll(() => sim.close());

describe('omitted optional elements (ASMX defaults)', () => {
  it('accepts AddRelatie, GetRelaties, AddMutatie and GetMutaties without them and answers as for the full request', async () => {
    const full = await scenario(FULL);
    const omitted = await scenario(OMITTED);
    for (const op of ['AddRelatie', 'GetRelaties', 'AddMutatie', 'GetMutaties']) {
      expect({ op, status: omitted[op].status }).toEqual({ op, status: 200 });
      expect(omitted[op].text).not.toMatch(/<LastErrorCode>E/);
      expect({ op, text: omitted[op].text }).toEqual({ op, text: full[op].text });
    }
    expect(omitted.AddRelatie.text).toMatch(/<Rel_ID>\d+<\/Rel_ID>/);
    expect(omitted.GetRelaties.text).toContain('<Code>K0099</Code>');
    expect(omitted.AddMutatie.text).toMatch(/<Mutatienummer>\d+<\/Mutatienummer>/);
    expect(omitted.GetMutaties.text).toContain('<Factuurnummer>WB-1042</Factuurnummer>');
    expect(omitted.GetMutaties.text).toContain('<KostenplaatsID>0</KostenplaatsID>');
  });

  it('accepts an empty filter and a filter left out altogether', async () => {
    await control('/reset', { demo: true });
    const sid = await openSession();
    const all = await call('GetRelaties', sid, '<cFilter><ID>0</ID></cFilter>');
    for (const inner of ['<cFilter />', '']) {
      const res = await call('GetRelaties', sid, inner);
      expect(res.status).toBe(200);
      expect(res.text).toBe(all.text);
    }
    expect(all.text).toContain('<Code>K0001</Code>');
    const mutaties = await call('GetMutaties', sid, '<cFilter />');
    expect(mutaties.status).toBe(200);
    expect(mutaties.text).not.toMatch(/<LastErrorCode>E/);
  });

  it('answers a booking date left out in-band, as the service refuses DateTime.MinValue', async () => {
    await control('/reset', { demo: true });
    const sid = await openSession();
    const res = await call('AddMutatie', sid, OMITTED.addMutatie.replace('<Datum>2025-03-01</Datum>', ''));
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<LastErrorCode>E\d{4}<\/LastErrorCode><LastErrorDescription>Datum is verplicht\.<\/LastErrorDescription>/);
  });
});

describe('a generic soap client that leaves elements out, as published clients do', () => {
  it('adds a relatie and a mutatie and finds both again', async () => {
    await control('/reset', { demo: true });
    const c = await soap.createClientAsync(`${sim.url}/soap.asmx?WSDL`);
    const [open] = await c.OpenSessionAsync({ Username: DEMO_USERNAME, SecurityCode1: DEMO_SECURITY_CODE_1, SecurityCode2: DEMO_SECURITY_CODE_2, Source: 'Test' });
    const auth = { SessionID: open.OpenSessionResult.SessionID, SecurityCode2: DEMO_SECURITY_CODE_2 };
    const [rel] = await c.AddRelatieAsync({ ...auth, oRel: { Code: 'K0099', Bedrijf: 'Loodgieter Smit', BP: 'B' } });
    expect(rel.AddRelatieResult.Rel_ID).toBeGreaterThan(0);
    const [found] = await c.GetRelatiesAsync({ ...auth, cFilter: { Code: 'K0099' } });
    expect(found.GetRelatiesResult.Relaties.cRelatie).toEqual([expect.objectContaining({ Code: 'K0099', Bedrijf: 'Loodgieter Smit' })]);
    const regel = { BedragInvoer: 100, BedragExclBTW: 100, BedragBTW: 21, BedragInclBTW: 121, BTWCode: 'HOOG_VERK_21', BTWPercentage: 21, TegenrekeningCode: '8000' };
    const [add] = await c.AddMutatieAsync({
      ...auth,
      oMut: { Soort: 'FactuurVerstuurd', Datum: '2025-03-01', Rekening: '1300', RelatieCode: 'K0099', Factuurnummer: 'WB-7', InExBTW: 'EX', MutatieRegels: { cMutatieRegel: [regel] } },
    });
    expect(add.AddMutatieResult.ErrorMsg.LastErrorCode ?? '').toBe('');
    const [list] = await c.GetMutatiesAsync({ ...auth, cFilter: { Factuurnummer: 'WB-7' } });
    expect(list.GetMutatiesResult.Mutaties.cMutatieList).toEqual([
      expect.objectContaining({ MutatieNr: add.AddMutatieResult.Mutatienummer, Factuurnummer: 'WB-7', RelatieCode: 'K0099' }),
    ]);
    await c.CloseSessionAsync({ SessionID: auth.SessionID });
  });
});

describe('malformed requests still get a SOAP fault', () => {
  const addMutatie = (oMut: string) => env(`<AddMutatie xmlns="${NS}"><SessionID>x</SessionID><SecurityCode2>y</SecurityCode2>${oMut}</AddMutatie>`);
  const cases: Array<[string, string, string, string | null, RegExp]> = [
    ['not XML', 'GetRelaties', 'dit is geen xml', `"${NS}/GetRelaties"`, /Server was unable to read request/],
    ['no SOAP envelope', 'GetRelaties', `<GetRelaties xmlns="${NS}"><SessionID>x</SessionID></GetRelaties>`, `"${NS}/GetRelaties"`, /SOAP version mismatch/],
    ['no Body', 'GetRelaties', '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header /></soap:Envelope>', `"${NS}/GetRelaties"`, /Body/],
    ['wrong envelope namespace', 'GetRelaties', `<soap:Envelope xmlns:soap="urn:wrong"><soap:Body><GetRelaties xmlns="${NS}" /></soap:Body></soap:Envelope>`, `"${NS}/GetRelaties"`, /SOAP version mismatch/],
    ['operation in the wrong namespace', 'GetRelaties', env('<GetRelaties xmlns="urn:other"><SessionID>x</SessionID></GetRelaties>'), `"${NS}/GetRelaties"`, /was not expected/],
    ['unknown operation (SOAPAction)', 'DeleteMutatie', env(`<DeleteMutatie xmlns="${NS}" />`), `"${NS}/DeleteMutatie"`, /did not recognize the value of HTTP Header SOAPAction/],
    ['unknown operation (no SOAPAction)', 'DeleteMutatie', env(`<DeleteMutatie xmlns="${NS}" />`), null, /without a valid action parameter/],
    ['unparsable number', 'AddMutatie', addMutatie('<oMut><Soort>Memoriaal</Soort><Datum>2025-01-01</Datum><MutatieRegels><cMutatieRegel><KostenplaatsID /></cMutatieRegel></MutatieRegels></oMut>'), `"${NS}/AddMutatie"`, /Input string '' was not in a correct format/],
    ['bad enum value', 'AddMutatie', addMutatie('<oMut><Soort>Loon</Soort></oMut>'), `"${NS}/AddMutatie"`, /'Loon' is not a valid value for enMutatieSoorten/],
    ['bad date', 'AddMutatie', addMutatie('<oMut><Datum>31-01-2025</Datum></oMut>'), `"${NS}/AddMutatie"`, /not a valid AllXsd value/],
  ];
  it.each(cases)('%s', async (_name, op, body, action, message) => {
    const res = await post(op, body, action);
    expect(res.status).toBe(500);
    expect(res.text).toContain('<faultcode>soap:Client</faultcode>');
    expect(res.text).toMatch(message);
  });
});
