/** Journal-string parsing and fault mapping, without a server (the variants the contract leaves open). */
import { KoppelError } from '../../../src/domain/errors';
import { mapNmbrsError, parseJournalXml } from '../../../src/systems/nmbrs/client';

const ctx = { service: 'CompanyService' as const, operation: 'Journals_GetByRunCompany_v2', companyId: 1001, secrets: ['s3cr3t-token'] };
const soapFault = (text: string) => Object.assign(new Error(`soap:Server: ${text}`), { root: { Envelope: { Body: { Fault: { faultcode: 'soap:Server', faultstring: text } } } } });

describe('parseJournalXml', () => {
  test('the documented shape', () => {
    const xml =
      '<transactions><transaction><header><date>20240131</date><period>1/2024</period></header><lines>' +
      '<line id="0"><dim1>4000</dim1><dim2>100</dim2><dim3/><value>2000.00</value><debitcredit>debit</debitcredit><description>Bruto loon</description></line>' +
      '<line id="1"><dim1>1660</dim1><dim2/><dim3/><value>2000.00</value><debitcredit>credit</debitcredit><description>Netto lonen</description></line>' +
      '</lines></transaction></transactions>';
    expect(parseJournalXml(xml)).toEqual({
      transactions: [
        {
          header: { date: '2024-01-31', period: '1/2024' },
          lines: [
            { dim1: '4000', dim2: '100', dim3: null, value: 2000, cents: 200000, debitCredit: 'D', description: 'Bruto loon' },
            { dim1: '1660', dim2: null, dim3: null, value: 2000, cents: 200000, debitCredit: 'C', description: 'Netto lonen' },
          ],
        },
      ],
    });
  });

  test('tolerates an XML declaration, a DateTime date, a comma decimal, leading-zero codes and a negative value', () => {
    const xml =
      '<?xml version="1.0" encoding="utf-16"?><transactions><transaction><header><date>2024-02-29T00:00:00</date><description>Loonjournaal</description></header><lines>' +
      '<line><dim1>0400</dim1><value>12,5</value><debitcredit>D</debitcredit><description>x</description></line>' +
      '<line><dim1>1660</dim1><value>-12.50</value><debitcredit>debit</debitcredit><description>y</description></line>' +
      '</lines></transaction></transactions>';
    const [tx] = parseJournalXml(xml).transactions;
    expect(tx.header).toEqual({ date: '2024-02-29', description: 'Loonjournaal' });
    expect(tx.lines.map((l) => [l.dim1, l.cents, l.debitCredit])).toEqual([
      ['0400', 1250, 'D'],
      ['1660', 1250, 'C'],
    ]);
  });

  test('empty journals', () => {
    expect(parseJournalXml('')).toEqual({ transactions: [] });
    expect(parseJournalXml('<transactions />')).toEqual({ transactions: [] });
  });

  test('rejects broken or foreign documents', () => {
    expect(() => parseJournalXml('<transactions><transaction>')).toThrow(/not well-formed/);
    expect(() => parseJournalXml('<report><x/></report>')).toThrow(/unexpected shape/);
    expect(() =>
      parseJournalXml('<transactions><transaction><header><date>31-01-2024</date></header><lines/></transaction></transactions>'),
    ).toThrow(/date/);
  });
});

describe('mapNmbrsError', () => {
  test.each([
    ['1001', 'ReauthRequired'],
    ['1002', 'PermissionDenied'],
    ['1003', 'PermissionDenied'],
    ['1004', 'PermissionDenied'],
    ['2004', 'PermissionDenied'],
    ['2006', 'InvalidData'],
    ['9999', 'InvalidData'],
    ['1006', 'Transient'],
  ])('fault %s → %s', (code, type) => {
    const err = mapNmbrsError(soapFault(`Server was unable to process request. ---> ${code}: Some Title`), ctx);
    expect(err).toBeInstanceOf(KoppelError);
    expect(err.type).toBe(type);
    expect(err.system).toBe('nmbrs');
  });

  test('other codes keep the fault text', () => {
    const err = mapNmbrsError(soapFault('Server was unable to process request. ---> 2006: Invalid Period'), ctx);
    expect(err.code).toBe('2006');
    expect(err.oorzaak).toContain('2006: Invalid Period');
  });

  test('SOAP 1.2 fault text', () => {
    const err = mapNmbrsError(
      { root: { Envelope: { Body: { Fault: { Code: { Value: 'soap:Receiver' }, Reason: { Text: { $value: 'x ---> 1002: Unauthorized Access' } } } } } } },
      ctx,
    );
    expect([err.type, err.code]).toEqual(['PermissionDenied', '1002']);
    expect(err.oplossing).toBe(
      "Activeer de API-call Journals_GetByRunCompany_v2 in de API user template van deze gebruiker in Visma Nmbrs (Webservices > Company Services > Journals_GetByRunCompany_v2 op 'Actief').",
    );
  });

  test('network and HTTP failures', () => {
    expect(mapNmbrsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), ctx).type).toBe('Transient');
    expect(mapNmbrsError(Object.assign(new Error('timeout of 200ms exceeded'), { code: 'ECONNABORTED' }), ctx).type).toBe('Transient');
    expect(mapNmbrsError(Object.assign(new Error('Cannot parse response'), { response: { status: 502 } }), ctx).type).toBe('Transient');
    const limited = mapNmbrsError(Object.assign(new Error('x'), { response: { status: 429, headers: { 'retry-after': '3' } } }), ctx);
    expect([limited.type, limited.retryAfterMs]).toEqual(['RateLimited', 3000]);
  });

  test('never repeats the token, even if the server echoes it', () => {
    const err = mapNmbrsError(soapFault('Server was unable to process request. ---> 2099: bad token s3cr3t-token'), ctx);
    expect(JSON.stringify(err.toJSON())).not.toContain('s3cr3t-token');
    const net = mapNmbrsError(new Error('connect to https://x?token=s3cr3t-token failed'), ctx);
    expect(JSON.stringify(net.toJSON())).not.toContain('s3cr3t-token');
  });
});
