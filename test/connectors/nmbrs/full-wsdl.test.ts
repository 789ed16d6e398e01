/**
 * The Nmbrs simulator serves each service's full WSDL (every operation the contract lists, not
 * only the client's subset), so a generic SOAP client loads it; operations the simulator does not
 * implement answer a clear SOAP fault, not a 404 or an Nmbrs error code.
 */
import * as soap from 'soap';
import { DEMO_USER, startNmbrsSimulator, type NmbrsSimulator } from '../../../src/systems/nmbrs/simulator';
import { OPERATIONS, SERVICES, type ServiceName } from '../../../src/systems/nmbrs/simulator/operations';
import { CATALOGUE } from '../../../src/systems/nmbrs/simulator/wsdl-catalogue';
import { parseXml } from '../../../src/systems/simulator-support/xml';

let sim: NmbrsSimulator;
beforeAll(async () => {
  sim = await startNmbrsSimulator();
});
afterAll(async () => {
  await sim.close();
});

const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

async function clientFor(service: ServiceName, options: soap.IOptions = {}): Promise<soap.Client> {
  const client = await soap.createClientAsync(`${sim.url}/soap/v3/${service}.asmx?WSDL`, options);
  client.addSoapHeader({ AuthHeaderWithDomain: { Username: DEMO_USER.username, Token: DEMO_USER.token, Domain: 'demo' } }, '', 'tns', SERVICES[service]);
  return client;
}

test.each(SERVICE_NAMES)('a generic soap client loads the full %s WSDL, both bindings', async (service) => {
  const root = parseXml(await (await fetch(`${sim.url}/soap/v3/${service}.asmx?WSDL`)).text());
  expect(root.local).toBe('definitions');
  const client = await clientFor(service);
  const ports = client.describe()[service] as Record<string, Record<string, unknown>>;
  const expected = [...OPERATIONS.filter((o) => o.service === service).map((o) => o.name), ...CATALOGUE[service].map((o) => o.name)].sort();
  expect(Object.keys(ports).sort()).toEqual([`${service}Soap`, `${service}Soap12`]);
  for (const port of Object.values(ports)) expect(Object.keys(port).sort()).toEqual(expected);
});

test('the served WSDL holds the operations the contract lists beyond the client subset', async () => {
  const company = (await clientFor('CompanyService')).describe().CompanyService.CompanyServiceSoap as Record<string, { input: Record<string, string> }>;
  for (const op of ['List_GetByDebtor', 'Run_GetEmployeesByRunCompany', 'Journals_GetByRunCostCenterCostUnitPerYear', 'WageTax_GetList', 'WageTax_GetXML',
    'SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2', 'SalaryDocuments_GetSEPA', 'SalaryDocuments_AnnualDocument_AnualStatement', 'Reports_GetPayslipByRunCompany_v2']) {
    expect(company).toHaveProperty(op);
  }
  expect(Object.keys(company.Journals_GetByRunCostCenterCostUnitPerYear.input)).toEqual(['companyId', 'runId', 'year']);
  expect(Object.keys(company.SalaryDocuments_GetSEPA.input)).toEqual(['CompanyId', 'RunID', 'Year', 'paymentDate']);
  expect((await clientFor('DebtorService')).describe().DebtorService.DebtorServiceSoap).toHaveProperty('Address_Get');
  // The simulated operations keep their committed definitions.
  expect(Object.keys(company.Journals_GetByRunCompany_v2.input)).toEqual(['CompanyId', 'RunId', 'intYear']);
});

test('an operation that is not simulated answers a clear SOAP fault (1.1 and 1.2), simulated ones still work', async () => {
  const company = await clientFor('CompanyService');
  await expect(company.RunRequest_GetListAsync({ CompanyId: 1001, Year: 2026 })).rejects.toThrow(
    'soap:Server: Server was unable to process request. ---> Operation RunRequest_GetList is not simulated by the Koppelwerk Nmbrs simulator.',
  );
  const [period] = await company.Company_GetCurrentPeriodAsync({ CompanyId: 1001 });
  expect(period.Company_GetCurrentPeriodResult).toMatch(/^\d{4}-\d+-M$/);

  const company12 = await clientFor('CompanyService', { forceSoap12Headers: true });
  await expect(company12.SalaryDocuments_GetSEPA_TaxAsync({ CompanyId: 1001, RunID: 41001, Year: 2026, WageTaxID: 1, paymentDate: '2026-01-25T00:00:00' })).rejects.toThrow(
    /Operation SalaryDocuments_GetSEPA_Tax is not simulated by the Koppelwerk Nmbrs simulator/,
  );

  const debtor = await clientFor('DebtorService');
  await expect(debtor.Address_GetAsync({ DebtorId: 1 })).rejects.toThrow(/Operation Address_Get is not simulated by the Koppelwerk Nmbrs simulator/);

  const raw = await fetch(`${sim.url}/soap/v3/CompanyService.asmx`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: `"${SERVICES.CompanyService}/CostCenter_GetList"` },
    body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><CostCenter_GetList xmlns="${SERVICES.CompanyService}"><CompanyId>1001</CompanyId></CostCenter_GetList></soap:Body></soap:Envelope>`,
  });
  expect(raw.status).toBe(500);
  const text = await raw.text();
  expect(text).toContain('<faultcode>soap:Server</faultcode>');
  expect(text).not.toMatch(/---> \d{4}:/);

  // An operation the WSDL does not declare at all is still refused by the SOAP layer.
  const unknown = await fetch(`${sim.url}/soap/v3/CompanyService.asmx`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: `"${SERVICES.CompanyService}/Journals_Delete"` },
    body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Journals_Delete xmlns="${SERVICES.CompanyService}" /></soap:Body></soap:Envelope>`,
  });
  expect(unknown.status).toBe(500);
  expect(await unknown.text()).toContain('Server did not recognize the value of HTTP Header SOAPAction');
});

test('the help page lists every operation and marks the ones not simulated', async () => {
  const html = await (await fetch(`${sim.url}/soap/v3/CompanyService.asmx`)).text();
  expect(html).toContain('<li>Run_GetList</li>');
  expect(html).toContain('<li>WageTax_GetList</li>');
  expect(html).toContain('<li>RunRequest_GetList (not simulated)</li>');
});
