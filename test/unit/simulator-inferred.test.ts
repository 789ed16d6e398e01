/**
 * The simulators' guessed rules (src/systems/<system>/simulator/inferred.ts) do what the README
 * says they do, and the README lists every one of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as eb from '../../src/systems/eboekhouden/simulator/inferred';
import * as nmbrs from '../../src/systems/nmbrs/simulator/inferred';
import * as wba from '../../src/systems/werkbonapp/simulator/inferred';
import * as mk from '../../src/systems/mijnkantoor/simulator/inferred';
import * as ea from '../../src/systems/eaccounting/simulator/inferred';
import * as vn from '../../src/systems/vismanet/simulator/inferred';
import { journalXml } from '../../src/systems/nmbrs/simulator/journal-xml';
import type { MutatieRecord } from '../../src/systems/eboekhouden/simulator/types';

const mutatie = (nr: number, factuur: string): MutatieRecord => ({ MutatieNr: nr, Factuurnummer: factuur }) as MutatieRecord;

test('GetMutaties filters before its 500-row cap, newest first', () => {
  const all = Array.from({ length: 700 }, (_, i) => mutatie(i + 1, i === 0 ? 'OUD-1' : `F-${i + 1}`));
  expect(eb.GET_MUTATIES_FILTER_BEFORE_CAP).toBe(true);
  expect(eb.capMutaties(all, (m) => m.Factuurnummer === 'OUD-1', 500).map((m) => m.MutatieNr)).toEqual([1]);
  const capped = eb.capMutaties(all, () => true, 500);
  expect(capped).toHaveLength(500);
  expect([capped[0].MutatieNr, capped[499].MutatieNr]).toEqual([700, 201]);
});

test('memoriaal sign convention and omitted-element consequences', () => {
  expect(eb.lineSign('Memoriaal')).toBe(1);
  expect(eb.lineSign('FactuurVerstuurd')).toBe(-1);
  expect(eb.dateBound('0001-01-01')).toBeUndefined();
  expect(eb.dateBound('2025-01-31')).toBe('2025-01-31');
  expect(eb.relatieAddDatum('0001-01-01', '2026-12-02')).toBe('2026-12-02');
  expect(eb.lineAmountsConsistent({ BedragInvoer: 121, BedragExclBTW: 100, BedragBTW: 21, BedragInclBTW: 121 }, 'IN')).toBe(true);
  expect(eb.lineAmountsConsistent({ BedragInvoer: 121, BedragExclBTW: 100, BedragBTW: 21, BedragInclBTW: 121 }, 'EX')).toBe(false);
});

test('Nmbrs journal XML: a negative amount is written positive on the other side', () => {
  const xml = journalXml([{ date: '20260131', period: '1/2026', lines: [{ dim1: '4000', cents: -1250, debitCredit: 'debit', description: 'Correctie' }] }]);
  expect(xml).toBe(
    '<transactions><transaction><header><date>20260131</date><period>1/2026</period></header><lines>' +
      '<line id="0"><dim1>4000</dim1><dim2 /><dim3 /><value>12.50</value><debitcredit>credit</debitcredit><description>Correctie</description></line>' +
      '</lines></transaction></transactions>',
  );
  expect(nmbrs.currentPeriodString(2026, 3, 'W4')).toBe('2026-3-W4');
  expect(nmbrs.journalDate(2026, 2)).toBe('20260228');
});

test('Visma.net: e-mail matches case-insensitively, scopes per call, the empty-field text family', () => {
  expect(vn.customerEmailMatches(' Inkoop@Bouwgroep.nl', 'inkoop@bouwgroep.nl')).toBe(true);
  expect(vn.customerEmailMatches(undefined, 'x@y.nl')).toBe(false);
  expect(vn.requiredScope('erp', 'PUT')).toBe('vismanet_erp_service_api:update');
  expect(vn.requiredScope('salesorder', 'PATCH')).toBe('visma.net.erp.salesorder:write');
  expect(vn.cannotBeEmptyText('g', 'Error inserting the customer', 'Customer', 'Customer ID')).toBe(
    "VismaId: g. Error inserting the customer. Error: Inserting 'Customer' record raised at least one error. Please review the errors.\r\nError: 'Customer ID' cannot be empty.\r\n",
  );
  expect(vn.orderNumber(223)).toBe('000223');
});

test('the README names every exported rule of every inferred.ts', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### What the simulators guess (INFERRED)'), readme.indexOf('## The koppelingen'));
  // Helpers the rules use rather than rules of their own.
  const helpers = new Set(['UNSET_DATE', 'isUnsetDate', 'EbCodeName', 'MISSING_SOFTWARE_TOKEN_TEXT']);
  const names = [...Object.keys(eb), ...Object.keys(nmbrs), ...Object.keys(wba), ...Object.keys(mk), ...Object.keys(ea), ...Object.keys(vn)].filter((n) => !helpers.has(n));
  expect(names.filter((n) => !section.includes(`\`${n}\``))).toEqual([]);
});
