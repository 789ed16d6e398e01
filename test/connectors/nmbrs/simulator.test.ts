/**
 * Wire-level fidelity of the Nmbrs simulator: WSDL, an unmodified generic `soap` client, raw
 * SOAP 1.1 and 1.2 envelopes, ASMX-style faults, the control API and the demo data.
 */
import os from 'node:os';
import * as soap from 'soap';
import { XMLParser } from 'fast-xml-parser';
import { demoData, DEMO_USER, startNmbrsSimulator, type NmbrsSimulator } from '../../../src/systems/nmbrs/simulator';

const COMPANY_NS = 'https://api.nmbrs.nl/soap/v3/CompanyService';
const DEBTOR_NS = 'https://api.nmbrs.nl/soap/v3/DebtorService';
let sim: NmbrsSimulator;

const authHeader = (token = DEMO_USER.token) =>
  `<AuthHeaderWithDomain xmlns="${COMPANY_NS}"><Username>${DEMO_USER.username}</Username><Token>${token}</Token><Domain>demo</Domain></AuthHeaderWithDomain>`;

async function post11(op: string, body: string, token?: string, action = `${COMPANY_NS}/${op}`) {
  const res = await fetch(`${sim.url}/soap/v3/CompanyService.asmx`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: `"${action}"` },
    body:
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">` +
      `<soap:Header>${authHeader(token)}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`,
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

beforeAll(async () => {
  sim = await startNmbrsSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await fetch(`${sim.url}/_control/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
});

test('serves the WSDL at ?WSDL with its own address', async () => {
  for (const service of ['CompanyService', 'DebtorService']) {
    const res = await fetch(`${sim.url}/soap/v3/${service}.asmx?WSDL`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const text = await res.text();
    expect(text).toContain(`targetNamespace="https://api.nmbrs.nl/soap/v3/${service}"`);
    expect(text).toContain(`<soap:address location="${sim.url}/soap/v3/${service}.asmx" />`);
    expect(text).toContain(`<soap12:address location="${sim.url}/soap/v3/${service}.asmx" />`);
  }
  expect((await fetch(`${sim.url}/soap/v3/CompanyService.asmx?wsdl`)).status).toBe(200);
});

test('a generic soap client works unchanged against ?WSDL', async () => {
  const company = await soap.createClientAsync(`${sim.url}/soap/v3/CompanyService.asmx?WSDL`);
  company.addSoapHeader({ AuthHeaderWithDomain: { Username: DEMO_USER.username, Token: DEMO_USER.token, Domain: 'demo' } }, '', 'tns', COMPANY_NS);

  const [companies] = await company.List_GetAllAsync({});
  expect(companies.List_GetAllResult.Company.map((c: { ID: number }) => c.ID)).toEqual([1001, 1002]);

  const [period] = await company.Company_GetCurrentPeriodAsync({ CompanyId: 1001 });
  expect(period).toEqual({ Company_GetCurrentPeriodResult: '2026-10-M' });

  const [runs] = await company.Run_GetListAsync({ CompanyId: 1002, Year: 2026 });
  expect(runs.Run_GetListResult.RunInfo).toHaveLength(2);
  expect(runs.Run_GetListResult.RunInfo[0]).toMatchObject({ ID: 42001, PeriodStart: 1, PeriodEnd: 2, IsLocked: true });

  const [journal] = await company.Journals_GetByRunCompany_v2Async({ CompanyId: 1001, RunId: 41010, intYear: 2026 });
  expect(typeof journal.Journals_GetByRunCompany_v2Result).toBe('string');
  expect(journal.Journals_GetByRunCompany_v2Result).toMatch(/^<transactions><transaction><header><date>20260930<\/date>/);
  expect(journal.Journals_GetByRunCompany_v2Result).toContain('<dim1>4105</dim1>');

  const [codes] = await company.WageModel_GetWageCodesAsync({ CompanyId: 1001 });
  expect(codes.WageModel_GetWageCodesResult.WageCode[0]).toEqual({ Code: 1, Description: 'Salaris' });

  const debtor = await soap.createClientAsync(`${sim.url}/soap/v3/DebtorService.asmx?WSDL`);
  debtor.addSoapHeader({ AuthHeader: { Username: DEMO_USER.username, Token: DEMO_USER.token } }, '', 'tns', DEBTOR_NS);
  const [env] = await debtor.Environment_GetAsync({});
  expect(env.Environment_GetResult).toEqual({ Domain: 'demo.nmbrs.nl', SubDomain: 'demo' });

  // Faults surface the ASMX text a generic client shows its user.
  await expect(company.Run_GetListAsync({ CompanyId: 4242, Year: 2026 })).rejects.toThrow(
    'soap:Server: Server was unable to process request. ---> 2004: Unauthorized Access',
  );
});

test('the same generic client also speaks SOAP 1.2', async () => {
  const company = await soap.createClientAsync(`${sim.url}/soap/v3/CompanyService.asmx?WSDL`, { forceSoap12Headers: true });
  company.addSoapHeader({ AuthHeaderWithDomain: { Username: DEMO_USER.username, Token: DEMO_USER.token, Domain: 'demo' } }, '', 'tns', COMPANY_NS);
  const [, raw] = await company.Company_GetCurrentPeriodAsync({ CompanyId: 1002 });
  expect(raw).toContain('xmlns:soap="http://www.w3.org/2003/05/soap-envelope"');
  expect(raw).toContain('<Company_GetCurrentPeriodResult>2026-3-M</Company_GetCurrentPeriodResult>');
});

test('SOAP 1.1 response shape: result wrapper in the service namespace, journal escaped', async () => {
  const res = await post11(
    'Journals_GetByRunCompany_v2',
    `<Journals_GetByRunCompany_v2 xmlns="${COMPANY_NS}"><CompanyId>1001</CompanyId><RunId>41001</RunId><intYear>2026</intYear></Journals_GetByRunCompany_v2>`,
  );
  expect(res.status).toBe(200);
  expect(res.type).toBe('text/xml; charset=utf-8');
  expect(res.text).toContain(`<Journals_GetByRunCompany_v2Response xmlns="${COMPANY_NS}"><Journals_GetByRunCompany_v2Result>&lt;transactions&gt;&lt;transaction&gt;&lt;header&gt;&lt;date&gt;20260131&lt;/date&gt;&lt;period&gt;1/2026&lt;/period&gt;`);
  expect(res.text).toContain('&lt;line id="0"&gt;&lt;dim1&gt;4000&lt;/dim1&gt;&lt;dim2 /&gt;&lt;dim3 /&gt;&lt;value&gt;14925.00&lt;/value&gt;&lt;debitcredit&gt;debit&lt;/debitcredit&gt;');
});

test('prefixed request elements are resolved by namespace', async () => {
  const res = await post11('Run_GetList', `<n:Run_GetList xmlns:n="${COMPANY_NS}"><n:CompanyId>1002</n:CompanyId><n:Year>2026</n:Year></n:Run_GetList>`);
  expect(res.status).toBe(200);
  expect(res.text).toContain('<RunInfo><ID>42001</ID><Number>1</Number><Year>2026</Year><PeriodStart>1</PeriodStart><PeriodEnd>2</PeriodEnd>');
  expect(res.text).toContain('<RunAt>2026-02-25T09:00:00</RunAt><IsLocked>true</IsLocked></RunInfo>');
});

test('faults: HTTP 500, soap:Server, ASMX fault string', async () => {
  const res = await post11('List_GetAll', `<List_GetAll xmlns="${COMPANY_NS}" />`, 'nope');
  expect(res.status).toBe(500);
  expect(res.text).toContain(
    '<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Server was unable to process request. ---&gt; 1001: Invalid Authentication</faultstring><detail /></soap:Fault>',
  );
});

test('faults: unknown SOAPAction and wrong body namespace are soap:Client', async () => {
  const unknown = await post11('Nope', `<Nope xmlns="${COMPANY_NS}" />`);
  expect(unknown.status).toBe(500);
  expect(unknown.text).toContain(`<faultcode>soap:Client</faultcode><faultstring>Server did not recognize the value of HTTP Header SOAPAction: ${COMPANY_NS}/Nope.</faultstring>`);
  const wrongNs = await post11('List_GetAll', '<List_GetAll xmlns="https://api.nmbrs.nl/soap/v2.1/CompanyService" />');
  expect(wrongNs.text).toContain('<faultcode>soap:Client</faultcode>');
});

test('SOAP 1.2 envelope and fault', async () => {
  const envelope = (token: string) =>
    `<?xml version="1.0" encoding="utf-8"?><soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Header>${authHeader(token)}</soap12:Header>` +
    `<soap12:Body><Company_GetCurrentPeriod xmlns="${COMPANY_NS}"><CompanyId>1001</CompanyId></Company_GetCurrentPeriod></soap12:Body></soap12:Envelope>`;
  const post = (token: string) =>
    fetch(`${sim.url}/soap/v3/CompanyService.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
      body: envelope(token),
    });
  const ok = await post(DEMO_USER.token);
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toBe('application/soap+xml; charset=utf-8');
  expect(await ok.text()).toContain('<Company_GetCurrentPeriodResult>2026-10-M</Company_GetCurrentPeriodResult>');
  const bad = await post('nope');
  expect(bad.status).toBe(500);
  expect(await bad.text()).toContain(
    '<soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">Server was unable to process request. ---&gt; 1001: Invalid Authentication</soap:Text>',
  );
});

test('Environment_Get takes AuthHeader; other calls do not', async () => {
  const post = (header: string, op: string) =>
    fetch(`${sim.url}/soap/v3/DebtorService.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: `${DEBTOR_NS}/${op}` },
      body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>${header}</soap:Header><soap:Body><${op} xmlns="${DEBTOR_NS}" /></soap:Body></soap:Envelope>`,
    }).then((r) => r.text());
  const v2Header = `<AuthHeader xmlns="${DEBTOR_NS}"><Username>${DEMO_USER.username}</Username><Token>${DEMO_USER.token}</Token></AuthHeader>`;
  expect(await post(v2Header, 'Environment_Get')).toContain('<SubDomain>demo</SubDomain>');
  expect(await post(v2Header, 'List_GetAll')).toContain('1001: Invalid Authentication');
});

test('control API: stats count calls and faults per operation', async () => {
  await fetch(`${sim.url}/_control/stats`, { method: 'DELETE' });
  await post11('List_GetAll', `<List_GetAll xmlns="${COMPANY_NS}" />`);
  await post11('List_GetAll', `<List_GetAll xmlns="${COMPANY_NS}" />`, 'nope');
  const stats: any = await (await fetch(`${sim.url}/_control/stats`)).json();
  expect(stats.operations['CompanyService:List_GetAll']).toEqual({ requests: 2, faults: 1 });
  expect(stats.totals).toEqual({ requests: 2, faults: 1 });
  expect(sim.stats.count('CompanyService', 'List_GetAll').requests).toBe(2);
});

test('control API: replace users', async () => {
  const users = [{ username: 'nieuw@kantoor.nl', token: 't-123456', domain: 'demo', inactiveCalls: ['CompanyService:Run_GetList'] }];
  const res = await fetch(`${sim.url}/_control/users`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ users }) });
  expect(res.status).toBe(200);
  expect((await post11('List_GetAll', `<List_GetAll xmlns="${COMPANY_NS}" />`)).text).toContain('1001: Invalid Authentication');
  expect(sim.state.user('nieuw@kantoor.nl')?.inactiveCalls).toEqual(['CompanyService:Run_GetList']);
});

test('control API: rejects bad input and unknown runs', async () => {
  const res = await fetch(`${sim.url}/_control/runs/99999/lock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(404);
  const bad = await fetch(`${sim.url}/_control/companies`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"x"}' });
  expect(bad.status).toBe(400);
});

test('demo data is deterministic and every journal balances', () => {
  const a = demoData();
  expect(demoData()).toEqual(a);
  for (const run of a.runs) {
    for (const tx of run.journal) {
      const sum = tx.lines.reduce((s, l) => s + (l.debitCredit === 'debit' ? l.cents : -l.cents), 0);
      expect(sum).toBe(0);
      expect(tx.lines.every((l) => Number.isInteger(l.cents) && l.cents > 0)).toBe(true);
    }
  }
  const codes = new Set(a.runs.flatMap((r) => r.journal.flatMap((t) => t.lines.map((l) => l.dim1))));
  expect([...codes].sort()).toEqual(['1640', '1650', '1660', '4000', '4100', '4105', '4110']);
});

test('the escaped journal string is well-formed XML after unescaping', async () => {
  const res = await post11(
    'Journals_GetByRunCompany_v2',
    `<Journals_GetByRunCompany_v2 xmlns="${COMPANY_NS}"><CompanyId>1002</CompanyId><RunId>42001</RunId><intYear>2026</intYear></Journals_GetByRunCompany_v2>`,
  );
  const outer = new XMLParser({ parseTagValue: false, processEntities: true }).parse(res.text);
  const inner: string = outer['soap:Envelope']['soap:Body'].Journals_GetByRunCompany_v2Response.Journals_GetByRunCompany_v2Result;
  const doc = new XMLParser({ parseTagValue: false, isArray: (n) => n === 'transaction' }).parse(inner);
  expect(doc.transactions.transaction.map((t: { header: { period: string } }) => t.header.period)).toEqual(['1/2026', '2/2026']);
});

test('control API refuses non-loopback callers (SOAP stays open)', async () => {
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  if (!external) return; // no second interface on this machine: nothing to prove
  const open = await startNmbrsSimulator({ host: '0.0.0.0' });
  try {
    const base = `http://${external}:${open.port}`;
    expect((await fetch(`${base}/_control/stats`)).status).toBe(403);
    expect((await fetch(`${base}/soap/v3/CompanyService.asmx?WSDL`)).status).toBe(200);
    expect((await fetch(`${open.url}/_control/stats`)).status).toBe(200);
  } finally {
    await open.close();
  }
});
