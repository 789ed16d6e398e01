/**
 * The Nmbrs calls the Nmbrs ↔ Mijn Kantoor koppeling makes, client against simulator over HTTP:
 * debtors and their companies, loonaangiftes with their XML, payslip PDFs, SEPA files, the annual
 * documents (rights off in the demo template, then on), Company_Insert, addresses, employees.
 */
import { XMLParser } from 'fast-xml-parser';
import { KoppelError } from '../../../src/domain/errors';
import { ANNUAL_DOCUMENTS, annualDocumentCall } from '../../../src/systems/nmbrs/annual-documents';
import { createNmbrsClient, type NmbrsClient } from '../../../src/systems/nmbrs/client';
import { BAKKERIJ_ID, DEMO_DEBTOR_ID, DEMO_RUN_IDS, DEMO_USER, DEMO_YEAR, EB_BEDRIJF_ID, startNmbrsSimulator, type NmbrsSimulator } from '../../../src/systems/nmbrs/simulator';
import { isValidPdf } from '../../../src/systems/simulator-support/pdf';

let sim: NmbrsSimulator;
let client: NmbrsClient;
const RUN = DEMO_RUN_IDS.ebBedrijf.regular[2];

async function caught(p: Promise<unknown>): Promise<KoppelError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KoppelError);
    return err as KoppelError;
  }
  throw new Error('expected a KoppelError');
}

beforeAll(async () => {
  sim = await startNmbrsSimulator({ port: 0 });
  client = createNmbrsClient({ baseUrl: sim.url, credentials: { username: DEMO_USER.username, token: DEMO_USER.token, domain: DEMO_USER.domain } });
});
afterAll(() => sim.close());

test('debtors, companies per debtor, employees', async () => {
  expect(await client.listDebtors()).toEqual([{ id: DEMO_DEBTOR_ID, number: 1, name: 'Demo Debiteur B.V.' }]);
  expect((await client.listCompaniesByDebtor(DEMO_DEBTOR_ID)).map((c) => [c.id, c.number])).toEqual([[EB_BEDRIJF_ID, 1], [BAKKERIJ_ID, 2]]);
  expect((await caught(client.listCompaniesByDebtor(999))).code).toBe('2009');
  const employees = await client.listEmployees(EB_BEDRIJF_ID);
  expect(employees).toHaveLength(5);
  expect(employees[0]).toMatchObject({ number: 1, displayName: expect.any(String) });
});

test('loonaangiftes: statuses as free text, XML per declaration', async () => {
  const list = await client.listWageTaxes(EB_BEDRIJF_ID, DEMO_YEAR);
  expect(list.map((w) => w.status)).toEqual([...Array(8).fill('locked'), 'open']);
  expect(list[0]).toMatchObject({ period: 1, year: DEMO_YEAR, tijdvakStart: `${DEMO_YEAR}-01-01T00:00:00`, correctionTijdvakStart: '0001-01-01T00:00:00' });
  const xml = await client.getWageTaxXml(EB_BEDRIJF_ID, list[0].id);
  const doc = new XMLParser().parse(xml);
  expect(doc.Loonaangifte.CollectieveAangifte.TotGen).toBe(list[0].totalGeneral);
});

test('payslips: one valid PDF per run, different after a recalculation', async () => {
  const pdf = await client.getPayslipsPdf(EB_BEDRIJF_ID, RUN, DEMO_YEAR);
  expect(isValidPdf(pdf)).toBe(true);
  expect(pdf.toString('latin1')).toContain('/Count 5');
  expect((await client.getPayslipsPdf(EB_BEDRIJF_ID, RUN, DEMO_YEAR)).equals(pdf)).toBe(true);
  sim.state.recalculateRun(RUN);
  const after = await client.getPayslipsPdf(EB_BEDRIJF_ID, RUN, DEMO_YEAR);
  expect(isValidPdf(after)).toBe(true);
  expect(after.equals(pdf)).toBe(false);
  expect((await caught(client.getPayslipsPdf(EB_BEDRIJF_ID, 1, DEMO_YEAR))).code).toBe('2006');
});

test('SEPA: pain.001 with CtgyPurp SALA, one transaction per employee, unique EndToEndIds ≤ 35, CtrlSum = sum', async () => {
  const xml = await client.getSepa(EB_BEDRIJF_ID, RUN, DEMO_YEAR, '2026-03-25');
  const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml).Document.CstmrCdtTrfInitn;
  expect(new XMLParser({ ignoreAttributes: false }).parse(xml).Document['@_xmlns']).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
  const pmt = doc.PmtInf;
  expect(pmt.PmtTpInf.CtgyPurp.Cd).toBe('SALA');
  expect(pmt.ReqdExctnDt).toBe('2026-03-25');
  const txs = pmt.CdtTrfTxInf as Array<{ PmtId: { EndToEndId: string }; Amt: { InstdAmt: { '#text': string } } }>;
  expect(txs).toHaveLength(5);
  expect(doc.GrpHdr.NbOfTxs).toBe('5');
  const ids = txs.map((t) => t.PmtId.EndToEndId);
  expect(new Set(ids).size).toBe(5);
  expect(ids.every((id) => id.length <= 35)).toBe(true);
  const sum = txs.reduce((s, t) => s + Math.round(Number(t.Amt.InstdAmt['#text']) * 100), 0);
  expect(Math.round(Number(doc.GrpHdr.CtrlSum) * 100)).toBe(sum);
  expect(Math.round(Number(pmt.CtrlSum) * 100)).toBe(sum);
});

test('annual documents: the demo template has every AnnualDocument right off (1002 naming the call), on → valid PDFs with the real spellings', async () => {
  const denied = await caught(client.getAnnualDocument('AnualStatement', EB_BEDRIJF_ID, RUN, DEMO_YEAR));
  expect(denied.type).toBe('PermissionDenied');
  expect(denied.code).toBe('1002');
  expect(denied.oplossing).toContain('SalaryDocuments_AnnualDocument_AnualStatement');
  for (const [kind] of ANNUAL_DOCUMENTS) sim.state.setCallActive(DEMO_USER.username, annualDocumentCall(kind), true);
  for (const kind of ['AnualStatement', 'JournalEntriesCompanyrCumulative', 'PayrollRegister']) {
    const pdf = await client.getAnnualDocument(kind, EB_BEDRIJF_ID, RUN, DEMO_YEAR);
    expect(isValidPdf(pdf)).toBe(true);
  }
});

test('Company_Insert gives a new company; Address_Update deletes and inserts (a new id each time)', async () => {
  const id = await client.insertCompany(DEMO_DEBTOR_ID, 'Jansen Advies', 1);
  const companies = await client.listCompaniesByDebtor(DEMO_DEBTOR_ID);
  expect(companies.find((c) => c.id === id)).toMatchObject({ name: 'Jansen Advies', number: 3 });
  const first = await client.putAddress(id, { street: 'Dorpsstraat', houseNumber: '1', postalCode: '1234AB', city: 'Ede' }, false);
  const second = await client.putAddress(id, { street: 'Dorpsstraat', houseNumber: '2', postalCode: '1234AB', city: 'Ede' }, true);
  expect(second).not.toBe(first);
  expect(await client.getCurrentAddress(id)).toMatchObject({ id: second, houseNumber: '2', city: 'Ede' });
});

test('a wrong subdomain is refused as the real service does (1001), while Environment_Get (no domain) names the right one', async () => {
  const wrong = createNmbrsClient({ baseUrl: sim.url, credentials: { username: DEMO_USER.username, token: DEMO_USER.token, domain: 'kantoorr' } });
  const e = await caught(wrong.listDebtors());
  expect(e.code).toBe('1001');
  expect((await wrong.getEnvironment()).subDomain).toBe('demo');
});
