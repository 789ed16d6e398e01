/** Werkbon → invoice lines: grouping, minutes → hours, rounding in cents, problems per werkbon. */
import type { Relation, Workorder, WorkorderMaterial, Workperiod } from '../../../src/systems/werkbonapp/client/types';
import {
  buildInvoiceDraft,
  completeInvoiceLines,
  formatEuro,
  indexHourTypes,
  invoiceDate,
  invoiceReference,
  joinAddress,
  lineCents,
  minutesToHours,
  relatieChanges,
  relatieProblem,
  relatieUpdateKey,
  roundTo,
  splitAddress,
  type InvoiceDraft,
} from '../../../src/koppelingen/eboekhouden-werkbonapp/domain/invoice';

const hourTypes = indexHourTypes([
  { code: 'ARB', name: 'Arbeid', salePrice: 55 },
  { code: 'ARBM', name: 'Arbeid monteur', salePrice: 62.5 },
  { code: 'SPOED', name: 'Spoedtarief', salePrice: 85 },
]);

const party = { name: 'Bakkerij Jansen V.O.F.', debtorNr: 'REL002', street: 'Dorpsstraat', streetNo: '14', email: 'administratie@bakkerijjansen.nl', zip: '3732 HJ', city: 'De Bilt', contactPerson: 'dhr. K. Jansen', phone: '030-2204518', remark: '' };

function period(hourType: string, totalMinutes: number): Workperiod {
  return { workDate: '2025-03-04', beginTime: null, endTime: null, breakMinutes: 0, totalMinutes, hours: totalMinutes / 60, travel: null, remark: '', hourType, employeeNr: '12' };
}

function material(code: string, quantity: number, price: number, unit = 'Stuk', name = `Materiaal ${code}`): WorkorderMaterial {
  return { code, name, quantity, price, totalPrice: null, unit, type: '', freeFields: [] };
}

function werkbon(over: Partial<Workorder> = {}): Workorder {
  return {
    id: '1002', workorderNo: 'WB-2025-0102', orderNr: '', worksheetCode: '', status: 'Compleet', workStatus: '1', workFinished: true, archived: false,
    typeOfWork: 'Installatie', workDescription: '', internalWorkDescription: '', shortWorkDescription: '', paymentMethod: 'op rekening', employeeNr: '12',
    workDate: '2025-03-04', workTime: '07:30', workEndDate: null, workEndTime: null, projectNr: '', externProjectNr: '', creationDate: null, comment: '', pdfUrl: '',
    customer: party, invoiceCustomer: party, workperiods: [], materials: [],
    ...over,
  };
}

function draftOf(w: Workorder, relation?: Relation): InvoiceDraft {
  const r = buildInvoiceDraft(w, hourTypes, relation);
  if (!r.ok) throw new Error(r.problem.oorzaak);
  return r.draft;
}

describe('rounding', () => {
  test('minutes become hours with four decimals', () => {
    expect(minutesToHours(165)).toBe(2.75);
    expect(minutesToHours(100)).toBe(1.6667);
    expect(minutesToHours(20)).toBe(0.3333);
    expect(minutesToHours(1)).toBe(0.0167);
  });

  test('line amounts are quantity × price rounded half up to cents, without binary drift', () => {
    expect(lineCents(1.6667, 55)).toBe(9167); // 91.6685
    expect(lineCents(2.75, 62.5)).toBe(17188); // 171.875 → 171.88
    expect(lineCents(12.5, 2.15)).toBe(2688); // 26.875 → 26.88
    expect(lineCents(3, 0.1)).toBe(30);
    expect(lineCents(0.3333, 85)).toBe(2833); // 28.3305
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(-1.005, 2)).toBe(-1.01);
  });

  test('euro amounts in Dutch notation', () => {
    expect(formatEuro(24627)).toBe('€ 246,27');
    expect(formatEuro(123456789)).toBe('€ 1.234.567,89');
    expect(formatEuro(5)).toBe('€ 0,05');
  });
});

describe('werkbon → draft invoice', () => {
  test('hours are grouped per hour type (minutes summed first) at the hour type price', () => {
    const d = draftOf(werkbon({ workperiods: [period('ARB', 255), period('ARB', 150), period('ARBM', 240), period('arb', 5)] }));
    expect(d.lines).toEqual([
      // 255 + 150 + 5 = 410 minutes = 6.8333 h; codes match case-insensitively.
      { kind: 'uren', code: 'ARB', omschrijving: 'Arbeid', eenheid: 'Uur', aantal: 6.8333, prijs: 55, bedragCents: 37583, minuten: 410 },
      { kind: 'uren', code: 'ARBM', omschrijving: 'Arbeid monteur', eenheid: 'Uur', aantal: 4, prijs: 62.5, bedragCents: 25000, minuten: 240 },
    ]);
    expect(d.totaalExclCents).toBe(62583);
  });

  test('summing minutes before converting avoids rounding each period', () => {
    // Three periods of 20 minutes: 1 hour exactly, not 3 × 0.3333.
    const d = draftOf(werkbon({ workperiods: [period('SPOED', 20), period('SPOED', 20), period('SPOED', 20)] }));
    expect(d.lines[0]).toMatchObject({ aantal: 1, bedragCents: 8500 });
  });

  test('materials at the price on the werkbon; the same material twice is one line', () => {
    const d = draftOf(
      werkbon({
        materials: [
          material('MAT-WCD', 6, 8.95, 'Stuk', 'Wandcontactdoos'),
          material('MAT-KABEL', 12.5, 2.15, 'Meter', 'Kabel'),
          material('MAT-WCD', 2, 8.95, 'Stuk', 'Wandcontactdoos'),
          material('MAT-WCD', 1, 7.5, 'Stuk', 'Wandcontactdoos'), // another price: its own line
          material('MAT-PVC', 0, 0.85, 'Meter', 'Buis'), // nothing used
        ],
      }),
    );
    expect(d.lines.map((l) => [l.code, l.aantal, l.prijs, l.eenheid, l.bedragCents])).toEqual([
      ['MAT-WCD', 8, 8.95, 'Stuk', 7160],
      ['MAT-KABEL', 12.5, 2.15, 'Meter', 2688],
      ['MAT-WCD', 1, 7.5, 'Stuk', 750],
    ]);
  });

  test('the demo werkbon 1001 as e-Boekhouden will total it', () => {
    const d = draftOf(
      werkbon({
        id: '1001',
        workorderNo: 'WB-2025-0101',
        workperiods: [period('ARBM', 150)], // 08:00–10:45 minus 15 minutes break
        materials: [material('MAT-ALS', 1, 64.5), material('MAT-WCD', 2, 8.95), material('MAT-KABEL', 12.5, 2.15, 'Meter')],
      }),
    );
    expect(d.lines.map((l) => l.bedragCents)).toEqual([15625, 6450, 1790, 2688]);
    expect(d.totaalExclCents).toBe(26553);
    expect(d.reference).toBe('WB-2025-0101');
  });

  test('one problem per werkbon, in Dutch, naming what to fix', () => {
    const unknown = buildInvoiceDraft(werkbon({ workperiods: [period('NACHT', 60)] }), hourTypes);
    expect(unknown).toMatchObject({ ok: false, problem: { code: 'UNKNOWN_HOUR_TYPE' } });
    if (!unknown.ok) {
      expect(unknown.problem.oorzaak).toContain('NACHT');
      expect(unknown.problem.oplossing).toContain('Factureren > Producten/diensten');
    }
    expect(buildInvoiceDraft(werkbon({ workperiods: [period('', 60)] }), hourTypes)).toMatchObject({ ok: false, problem: { code: 'NO_HOUR_TYPE' } });
    expect(buildInvoiceDraft(werkbon(), hourTypes)).toMatchObject({ ok: false, problem: { code: 'NO_LINES' } });
    expect(buildInvoiceDraft(werkbon({ invoiceCustomer: { ...party, debtorNr: ' ' }, workperiods: [period('ARB', 60)] }), hourTypes)).toMatchObject({ ok: false, problem: { code: 'NO_DEBTOR' } });
    expect(buildInvoiceDraft(werkbon({ materials: [material('X', Number.NaN, 1)] }), hourTypes)).toMatchObject({ ok: false, problem: { code: 'BAD_QUANTITY' } });
    // Zero-minute periods without an hour type are ignored, not an error.
    expect(buildInvoiceDraft(werkbon({ workperiods: [period('', 0), period('ARB', 60)] }), hourTypes).ok).toBe(true);
  });

  test('the invoice reference is deterministic: the werkbon number when e-Boekhouden can take it', () => {
    expect(invoiceReference({ id: '1001', workorderNo: 'WB-2025-0101' })).toBe('WB-2025-0101');
    expect(invoiceReference({ id: '1001', workorderNo: 'WB 0101' })).toBe('WBA-1001'); // space
    expect(invoiceReference({ id: '1001', workorderNo: 'WB-2025-A' })).toBe('WBA-1001'); // must end in a digit
    expect(invoiceReference({ id: '1001', workorderNo: '' })).toBe('WBA-1001');
    expect(invoiceReference({ id: '7', workorderNo: `W${'1'.repeat(50)}` })).toBe('WBA-7'); // > 50 characters
  });

  test('the invoice is dated the day it is made, in Dutch time', () => {
    expect(invoiceDate(new Date('2025-03-31T22:30:00Z'))).toBe('2025-04-01'); // 00:30 in Amsterdam (CEST)
    expect(invoiceDate(new Date('2025-01-15T12:00:00Z'))).toBe('2025-01-15');
  });

  test('the content hash changes with what is invoiced, not with unrelated werkbon fields', () => {
    const base = werkbon({ workperiods: [period('ARB', 60)] });
    const a = draftOf(base);
    expect(draftOf({ ...base, comment: 'anders', workDate: '2025-03-05' }).hash).toBe(a.hash);
    expect(draftOf({ ...base, workperiods: [period('ARB', 61)] }).hash).not.toBe(a.hash);
  });

  test('the relatie comes from the WerkbonApp relation record, else from the werkbon invoice party', () => {
    const partyDraft = draftOf(werkbon({ workperiods: [period('ARB', 60)] }));
    expect(partyDraft.relatieFromRecord).toBe(false);
    const fromParty = partyDraft.relatie;
    expect(fromParty).toEqual({ code: 'REL002', bedrijf: 'Bakkerij Jansen V.O.F.', contactpersoon: 'dhr. K. Jansen', adres: 'Dorpsstraat 14', postcode: '3732 HJ', plaats: 'De Bilt', email: 'administratie@bakkerijjansen.nl', telefoon: '030-2204518' });
    const relation: Relation = { debtorNumber: 'REL002', name: 'Bakkerij Jansen', contact: '', phoneNumber: '', email: 'info@jansen.nl', emailWorkorder: '', street: 'Kerkstraat', houseNumber: '1a', postalCode: '3732 AA', city: 'De Bilt', remark: '', latitude: null, longitude: null };
    const recordDraft = draftOf(werkbon({ workperiods: [period('ARB', 60)] }), relation);
    expect(recordDraft.relatie).toMatchObject({ bedrijf: 'Bakkerij Jansen', adres: 'Kerkstraat 1a', email: 'info@jansen.nl' });
    expect(recordDraft.relatieFromRecord).toBe(true);
  });
});

describe('AddFactuur lines', () => {
  test('BTW code and revenue ledger from the e-Boekhouden product with the same code, else the defaults', () => {
    const d = draftOf(werkbon({ workperiods: [period('ARB', 90)], materials: [material('MAT-WCD', 2, 8.95), material('EIGEN-1', 1, 10, '')] }));
    const regels = completeInvoiceLines(
      d.lines,
      new Map([
        ['ARB', { btwCode: 'HOOG_VERK_21', tegenrekeningCode: '8000', eenheid: 'Uur' }],
        ['MAT-WCD', { btwCode: 'LAAG_VERK_9', tegenrekeningCode: '8100', eenheid: 'Stuk' }],
      ]),
      { btwCode: 'HOOG_VERK_21', omzetrekeningUren: '8010', omzetrekeningMaterialen: '8020' },
    );
    expect(regels).toEqual([
      { aantal: 1.5, eenheid: 'Uur', code: 'ARB', omschrijving: 'Arbeid', prijsPerEenheid: 55, btwCode: 'HOOG_VERK_21', tegenrekeningCode: '8000' },
      { aantal: 2, eenheid: 'Stuk', code: 'MAT-WCD', omschrijving: 'Materiaal MAT-WCD', prijsPerEenheid: 8.95, btwCode: 'LAAG_VERK_9', tegenrekeningCode: '8100' },
      { aantal: 1, eenheid: '', code: 'EIGEN-1', omschrijving: 'Materiaal EIGEN-1', prijsPerEenheid: 10, btwCode: 'HOOG_VERK_21', tegenrekeningCode: '8020' },
    ]);
  });
});

describe('relaties to e-Boekhouden', () => {
  const desired = { code: 'REL001', bedrijf: 'Van der Berg Vastgoed B.V.', contactpersoon: 'dhr. P. van der Berg', adres: 'Keizersgracht 112', postcode: '1015 CV', plaats: 'Amsterdam', email: 'facturen@vdbergvastgoed.nl', telefoon: '020-6231847' };
  const current = { ...desired, gsm: '' };

  test('no changes when e-Boekhouden already matches (case and spacing aside)', () => {
    expect(relatieChanges({ ...current, plaats: 'AMSTERDAM ', adres: 'Keizersgracht  112' }, desired)).toEqual({});
  });

  test('changed fields only; an empty WerkbonApp value never blanks e-Boekhouden; mobile counts as phone', () => {
    expect(relatieChanges({ ...current, plaats: 'Haarlem' }, { ...desired, email: '' })).toEqual({ plaats: 'Amsterdam' });
    expect(relatieChanges({ ...current, telefoon: '', gsm: '020-6231847' }, desired)).toEqual({});
    expect(relatieChanges({ ...current, telefoon: '' }, desired)).toEqual({ telefoon: '020-6231847' });
  });

  test('a relatie without a name, or with a too long code, cannot be created', () => {
    expect(relatieProblem(desired)).toBeUndefined();
    expect(relatieProblem({ ...desired, bedrijf: '' })?.oorzaak).toContain('geen naam');
    expect(relatieProblem({ ...desired, code: 'X'.repeat(16) })?.oorzaak).toContain('15 tekens');
  });

  test('updates of a relatie are numbered: unchanged data keeps its entry, any change (also back) gets the next', () => {
    expect(relatieUpdateKey('REL001', 'A', [])).toBe('REL001#u1');
    const history = [
      { sourceKey: 'nieuw:REL001', contentHash: 'X' },
      { sourceKey: 'REL001#u1', contentHash: 'A' },
      { sourceKey: 'REL001#u2', contentHash: 'B' },
      { sourceKey: 'REL0010#u7', contentHash: 'A' }, // another relatie whose code starts the same
    ];
    expect(relatieUpdateKey('REL001', 'B', history)).toBe('REL001#u2'); // still B: the posted entry stands
    expect(relatieUpdateKey('REL001', 'A', history)).toBe('REL001#u3'); // A → B → A: written again
    expect(relatieUpdateKey('REL001', 'C', history)).toBe('REL001#u3');
  });

  test('addresses split into street and house number and join back', () => {
    for (const [adres, street, houseNumber] of [
      ['Keizersgracht 112', 'Keizersgracht', '112'],
      ['Van Woustraat 58-2', 'Van Woustraat', '58-2'],
      ['Dorpsstraat 14a', 'Dorpsstraat', '14a'],
      ['Plein 1940 3', 'Plein 1940', '3'],
      ['Oudegracht 12 bis', 'Oudegracht', '12 bis'],
      ['Lindelaan 7 A', 'Lindelaan', '7 A'],
      ['Postbus', 'Postbus', ''],
    ]) {
      expect(splitAddress(adres)).toEqual({ street, houseNumber });
      expect(joinAddress(street, houseNumber)).toBe(adres);
    }
  });
});
