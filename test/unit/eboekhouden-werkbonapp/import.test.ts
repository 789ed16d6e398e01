/** e-Boekhouden → WerkbonApp master data: hour types vs materials vs inactive, relations, change detection. */
import type { Artikel, Relatie } from '../../../src/systems/eboekhouden/client/types';
import { changedRecords, importLogLine, isHourUnit, lostRecords, selectArticleImports, selectRelationImports } from '../../../src/koppelingen/eboekhouden-werkbonapp/domain/import';
import { DEMO_ARTIKELEN, DEMO_RELATIES } from '../../../src/systems/eboekhouden/simulator/demo';
import { DEMO_CATALOG } from '../../../src/systems/werkbonapp/simulator/demo';

function artikel(code: string, eenheid: string, prijs: number, actief = true, omschrijving = `Product ${code}`): Artikel {
  return {
    artikelId: 1, omschrijving, code, groepOmschrijving: '', groepCode: '', eenheid, inkoopprijsExclBtw: 0, verkoopprijsExclBtw: prijs,
    verkoopprijsInclBtw: prijs * 1.21, btwCode: 'HOOG_VERK_21', btwPercentage: 21, tegenrekeningCode: '8000', kostenplaatsId: 0, actief,
  };
}

function relatie(over: Partial<Relatie>): Relatie {
  return {
    id: 1, addDatum: '2024-01-02', code: 'K1', bedrijf: 'Bedrijf', bp: 'B', contactpersoon: '', geslacht: '', adres: 'Straat 1', postcode: '1234 AB', plaats: 'Utrecht', land: 'NL',
    adres2: '', postcode2: '', plaats2: '', land2: '', telefoon: '', gsm: '', fax: '', email: '', site: '', notitie: '', btwNummer: '', kvkNummer: '', aanhef: '', iban: '', bic: '',
    la: '0', gbId: 0, geenEmail: 0, vrijeVelden: [], ...over,
  };
}

describe('article import selection', () => {
  test('active products with unit Uur are hour types, other active products materials, inactive ones neither', () => {
    const sel = selectArticleImports([
      artikel('ARB', 'Uur', 55),
      artikel('SPOED', 'uur', 85), // unit compared case-insensitively
      artikel('ARB-OUD', 'Uur', 35, false),
      artikel('MAT-WCD', 'Stuk', 8.95),
      artikel('MAT-OUD', 'Doos', 3, false),
      artikel('KIT', 'Tube', 9.75),
    ]);
    expect(sel.uursoorten.map((r) => r.data)).toEqual([
      { code: 'ARB', name: 'Product ARB', costBooking: false, saleBooking: true, salePrice: 55, costPrice: null, active: true },
      { code: 'SPOED', name: 'Product SPOED', costBooking: false, saleBooking: true, salePrice: 85, costPrice: null, active: true },
    ]);
    expect(sel.materialen.map((r) => r.data)).toEqual([
      { code: 'MAT-WCD', description: 'Product MAT-WCD', price: 8.95, unit: 'Stuk' },
      { code: 'KIT', description: 'Product KIT', price: 9.75, unit: 'Tube' },
    ]);
    expect(sel.inactief).toBe(2);
    expect(isHourUnit(' UUR ')).toBe(true);
    expect(isHourUnit('Uren')).toBe(false);
  });

  test('an hour type imported before and now inactive is sent once more as inactive', () => {
    const sel = selectArticleImports([artikel('ARB-OUD', 'Uur', 35, false), artikel('MAT-OUD', 'Doos', 3, false)], new Set(['ARB-OUD', 'MAT-OUD']));
    expect(sel.uursoorten.map((r) => [r.key, r.data.active])).toEqual([['ARB-OUD', false]]);
    expect(sel.materialen).toEqual([]); // WerkbonApp materials have no active flag
  });

  test('products WerkbonApp would refuse are skipped with the reason', () => {
    const sel = selectArticleImports([artikel('X1', 'Stuk', 1, true, ' '), artikel('X2', '', 1), artikel('X3', 'Stuk', Number.NaN)]);
    expect(sel.materialen).toEqual([]);
    expect(sel.skipped.map((s) => [s.key, s.reden])).toEqual([
      ['X1', 'Product X1 heeft geen omschrijving in e-Boekhouden.nl.'],
      ['X2', 'Product X2 heeft geen eenheid in e-Boekhouden.nl (Factureren > Producten/diensten > Eenheden).'],
      ['X3', 'Product X3 heeft geen geldige verkoopprijs in e-Boekhouden.nl.'],
    ]);
  });
});

describe('relation import', () => {
  test('relatiecode becomes the debtor number; the address is split; phone falls back to mobile', () => {
    const sel = selectRelationImports([relatie({ code: 'REL001', bedrijf: 'Van der Berg Vastgoed B.V.', adres: 'Keizersgracht 112', postcode: '1015 CV', plaats: 'Amsterdam', gsm: '06-1', email: 'f@v.nl', contactpersoon: 'P' })]);
    expect(sel.relaties[0].data).toEqual({ debtorNumber: 'REL001', name: 'Van der Berg Vastgoed B.V.', contact: 'P', phoneNumber: '06-1', email: 'f@v.nl', street: 'Keizersgracht', houseNumber: '112', postalCode: '1015 CV', city: 'Amsterdam' });
  });

  test('relaties without the fields WerkbonApp requires are skipped, naming them', () => {
    const sel = selectRelationImports([relatie({ code: 'P1', adres: '', plaats: '' }), relatie({ code: 'OK' })]);
    expect(sel.relaties.map((r) => r.key)).toEqual(['OK']);
    expect(sel.skipped[0].reden).toBe('Relatie P1 mist adres, plaats in e-Boekhouden.nl; WerkbonApp vereist naam, adres, postcode en plaats.');
  });
});

describe('change detection', () => {
  test('only records whose hash differs from the last accepted one (or new ones) are sent', () => {
    const first = selectArticleImports([artikel('A', 'Uur', 50), artikel('B', 'Stuk', 1), artikel('C', 'Stuk', 2)]);
    const records = [...first.uursoorten, ...first.materialen];
    const known = new Map(records.map((r) => [r.key, r.hash]));
    expect(changedRecords(records, known)).toEqual([]);
    const second = selectArticleImports([artikel('A', 'Uur', 52.5), artikel('B', 'Stuk', 1), artikel('C', 'Stuk', 2), artikel('D', 'Stuk', 4)]);
    expect(changedRecords([...second.uursoorten, ...second.materialen], known).map((r) => r.key)).toEqual(['A', 'D']);
  });

  test('hashes do not depend on key order or the source record id', () => {
    const a = selectArticleImports([{ ...artikel('A', 'Stuk', 1), artikelId: 7 }]).materialen[0].hash;
    const b = selectArticleImports([{ ...artikel('A', 'Stuk', 1), artikelId: 8 }]).materialen[0].hash;
    expect(a).toBe(b);
  });

  test('the log line is the seed’s', () => {
    expect(importLogLine({ relaties: 4, materialen: 1 })).toBe('4 relations synchronized 1 materials synchronized');
  });
});

describe('demo data', () => {
  test('the e-Boekhouden demo offers exactly the WerkbonApp demo catalogue (plus one inactive hour type)', () => {
    const sel = selectArticleImports(
      DEMO_ARTIKELEN.map(([code, omschrijving, extra, prijs, , actief]) => artikel(code, extra.Eenheid, prijs, actief, omschrijving)),
    );
    expect(sel.uursoorten.map((r) => [r.data.code, r.data.name, r.data.salePrice])).toEqual(DEMO_CATALOG.hourTypes.map((h) => [h.code, h.name, h.price]));
    expect(sel.materialen.map((r) => [r.data.code, r.data.description, r.data.price, r.data.unit])).toEqual(DEMO_CATALOG.materials.map((m) => [m.code, m.name, m.price, m.unit]));
    expect(sel.inactief).toBe(1);
    expect(DEMO_RELATIES.map((r) => r.Code)).toEqual(expect.arrayContaining(['REL001', 'REL002']));
  });
});

test('records WerkbonApp no longer has are the remembered ones missing from its list (codes case-insensitive)', () => {
  expect(lostRecords(['ARB', 'SPOED', 'arbm'], ['ARBM ', 'arb'])).toEqual(['SPOED']);
  expect(lostRecords(new Map([['K1', 'h']]).keys(), [])).toEqual(['K1']);
  expect(lostRecords([], ['X'])).toEqual([]);
});
