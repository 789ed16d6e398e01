/** Pure logic of Nmbrs ↔ Mijn Kantoor: names, relation matching, fingerprints, the SEPA payments key, the hourly window. */
import { formatLocal, nextDue, type Cadence } from '../../../src/domain/cadence';
import { isCorrection, runFingerprint, sepaPayments, statusAllowed } from '../../../src/koppelingen/nmbrs-mijnkantoor/domain/documents';
import { conflictOf, matchCompanies, matchCustomers, normalizeNumber } from '../../../src/koppelingen/nmbrs-mijnkantoor/domain/matching';
import { jaarwerkName, loonaangifteName, payslipsName, sepaName, sepaPaymentDate, tijdvakText } from '../../../src/koppelingen/nmbrs-mijnkantoor/domain/naming';
import { nmbrsMijnkantoorType } from '../../../src/koppelingen/nmbrs-mijnkantoor';
import { nmbrsCredentials } from '../../../src/systems/nmbrs/system';

describe('names a bookkeeper recognises', () => {
  const run = { year: 2026, number: 3, periodStart: 3, periodEnd: 3 };
  test('payslips, SEPA, loonaangifte, jaarwerk; later versions say so', () => {
    expect(payslipsName(run)).toBe('Loonstroken 2026-03 run 3.pdf');
    expect(payslipsName(run, 2)).toBe('Loonstroken 2026-03 run 3 (versie 2).pdf');
    expect(payslipsName({ ...run, periodStart: 1, periodEnd: 2, number: 1 })).toBe('Loonstroken 2026-01 t/m 02 run 1.pdf');
    expect(sepaName(run)).toBe('SEPA salarisbetaling 2026-03 run 3.xml');
    expect(loonaangifteName({ year: 2026, period: 3, correction: false }, 'Month')).toBe('Loonaangifte 2026-03 (tijdvak maart).xml');
    expect(loonaangifteName({ year: 2026, period: 3, correction: true }, 'Week4', 2)).toBe('Loonaangifte 2026-03 (tijdvak 4 weken 3) met correctie (versie 2).xml');
    expect(jaarwerkName('AnualStatement', 2026)).toBe('Jaaropgaven 2026.pdf');
    expect(jaarwerkName('JournalEntriesCompanyrCumulative', 2026)).toBe('Journaalposten bedrijf cumulatief 2026.pdf');
    expect(tijdvakText(12, 'Month')).toBe('december');
    expect(sepaPaymentDate(run, 25)).toBe('2026-03-25');
  });
});

describe('relation matching by number', () => {
  const customers = [
    { id: 'c1', number: '0001', name: 'EB', type: 'business' },
    { id: 'c2', number: '2', name: 'Bakkerij', type: 'business' },
    { id: 'c3', number: '17', name: 'Jansen', type: 'business' },
    { id: 'c4', number: '1005', name: 'J. de Vries', type: 'person' },
  ];
  test('leading zeros ignored', () => {
    expect(normalizeNumber('0001')).toBe('1');
    expect(normalizeNumber('000')).toBe('0');
    expect(normalizeNumber(' 42 ')).toBe('42');
    expect(normalizeNumber('')).toBe('');
  });
  test('inbound: a match, none (reported only when the number must match), two records (always reported)', () => {
    const m = matchCompanies(
      [
        { id: 1, number: 1, name: 'EB' },
        { id: 2, number: 2, name: 'Bakkerij' },
        { id: 3, number: 2, name: 'Bakkerij Oost' },
        { id: 4, number: 99, name: 'Nieuw' },
      ],
      customers,
    );
    expect(m.map((x) => x.kind)).toEqual(['match', 'ambiguous', 'ambiguous', 'noCustomer']);
    expect(conflictOf(m[0], true)).toBeUndefined();
    expect(conflictOf(m[1], false)?.reason).toContain('Nummer 2 komt voor bij 2 bedrijven in Nmbrs');
    expect(conflictOf(m[3], true)?.reason).toContain('geen relatie met nummer 99');
    expect(conflictOf(m[3], false)).toBeUndefined();
  });
  test('outbound: business customers only; a missing Nmbrs company is to be created', () => {
    const m = matchCustomers(customers, [{ id: 1, number: 1, name: 'EB' }]);
    expect(m.map((x) => [x.customer.id, x.kind])).toEqual([['c1', 'match'], ['c2', 'noCompany'], ['c3', 'noCompany']]);
  });
  test('a company the koppeling created for a customer is linked to it by the ledger, whatever number Nmbrs gave it', () => {
    // Company_Insert takes no number: Nmbrs gave company 7 the number 4711, its customer c3 has 1003.
    const companies = [
      { id: 1, number: 1, name: 'EB' },
      { id: 7, number: 4711, name: 'Jansen Advies' },
    ];
    const links = new Map([[7, 'c3']]);
    expect(matchCompanies(companies, customers, links).map((x) => (x.kind === 'match' ? [x.company.id, x.customer.id] : [x.company.id, x.kind]))).toEqual([
      [1, 'c1'],
      [7, 'c3'],
    ]);
    expect(matchCompanies(companies, customers).map((x) => x.kind)).toEqual(['match', 'noCustomer']);
    const out = matchCustomers(customers, companies, links);
    expect(out.find((x) => x.customer.id === 'c3')).toMatchObject({ kind: 'match', company: { id: 7 } });
    // A link to a customer or company that is gone no longer counts.
    expect(matchCompanies(companies, customers, new Map([[7, 'gone']]))[1].kind).toBe('noCustomer');
    expect(matchCustomers(customers, [companies[0]], links).find((x) => x.customer.id === 'c3')?.kind).toBe('noCompany');
  });
});

describe('what makes a document the same', () => {
  test('fingerprints, correction flag, status filter', () => {
    expect(runFingerprint({ runAt: '2026-03-24T10:15:00', isLocked: true })).not.toBe(runFingerprint({ runAt: '2026-03-24T10:16:00', isLocked: true }));
    expect(isCorrection({ correctionTijdvakStart: '0001-01-01T00:00:00' })).toBe(false);
    expect(isCorrection({ correctionTijdvakStart: '2026-01-01T00:00:00' })).toBe(true);
    expect(statusAllowed(' Locked', ['locked'])).toBe(true);
    expect(statusAllowed('open', ['locked'])).toBe(false);
  });
  test('a SEPA file is compared by its payments, not its creation time', () => {
    const sepa = (created: string, amount: string) =>
      `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn><GrpHdr><MsgId>M${created}</MsgId><CreDtTm>${created}</CreDtTm></GrpHdr>` +
      `<PmtInf><ReqdExctnDt>2026-03-25</ReqdExctnDt><CdtTrfTxInf><PmtId><EndToEndId>SAL-1-1-0</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">${amount}</InstdAmt></Amt><CdtrAcct><Id><IBAN>NL01</IBAN></Id></CdtrAcct></CdtTrfTxInf></PmtInf></CstmrCdtTrfInitn></Document>`;
    expect(sepaPayments(sepa('2026-03-25T10:00:00', '100.00'))).toBe(sepaPayments(sepa('2026-03-25T11:00:00', '100.00')));
    expect(sepaPayments(sepa('2026-03-25T10:00:00', '100.00'))).not.toBe(sepaPayments(sepa('2026-03-25T10:00:00', '101.50')));
    expect(() => sepaPayments('<Document/>')).toThrow('without payments');
  });
});

describe('the hourly window 07:00–20:00 Amsterdam (the default cadence)', () => {
  const c = nmbrsMijnkantoorType.defaultCadence as Cadence;
  const local = (iso: string) => formatLocal(nextDue(c, new Date(iso)));
  test('every hour inside the window, nothing at night: after 20:00 the next is 07:00 (the catch-up)', () => {
    expect(c).toEqual({ kind: 'hourly', from: '07:00', to: '20:00', minute: 0 });
    expect(local('2026-06-10T10:30:00Z')).toBe('2026-06-10 13:00'); // 12:30 local → 13:00
    expect(local('2026-06-10T17:30:00Z')).toBe('2026-06-10 20:00'); // 19:30 → 20:00 (inclusive)
    expect(local('2026-06-10T18:30:00Z')).toBe('2026-06-11 07:00'); // 20:30 → next morning
    expect(local('2026-06-10T20:00:00Z')).toBe('2026-06-11 07:00'); // 22:00 → 07:00
  });
  test('across both DST changes the window stays 07:00–20:00 local', () => {
    expect(local('2026-03-28T20:00:00Z')).toBe('2026-03-29 07:00'); // spring forward night
    expect(nextDue(c, new Date('2026-03-28T20:00:00Z')).toISOString()).toBe('2026-03-29T05:00:00.000Z');
    expect(nextDue(c, new Date('2026-10-24T20:00:00Z')).toISOString()).toBe('2026-10-25T06:00:00.000Z'); // fall back
  });
});

describe('credentials as the seed names them', () => {
  test('Client ID, Client Secret, Tenant Key, Tenant Name map onto the Nmbrs login', () => {
    expect(nmbrsCredentials.parse({ clientId: 'a@b.nl', clientSecret: 'token-12345', tenantKey: 'kantoor', tenantName: 'Kantoor B.V.' })).toEqual({
      username: 'a@b.nl',
      token: 'token-12345',
      domain: 'kantoor',
      tenantName: 'Kantoor B.V.',
    });
    const bad = nmbrsCredentials.safeParse({ clientId: 'a@b.nl', clientSecret: 'token-12345', tenantKey: 'kantoor.nmbrs.nl' });
    expect(bad.success).toBe(false);
  });
});
