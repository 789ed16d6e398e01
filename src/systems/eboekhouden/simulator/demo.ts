/**
 * Deterministic demo data. Local demo values only — never real credentials.
 * The security codes follow the formats the contract states (A2): code 1 is 32 hex characters,
 * code 2 is GUID-formatted.
 */
import { btwPercentage, round2 } from './btw';
import type { Administratie } from './administratie';
import type { EboekhoudenState } from './state';

export const DEMO_USERNAME = 'demo';
export const DEMO_SECURITY_CODE_1 = 'de5c1000000000000000000000000000';
export const DEMO_SECURITY_CODE_2 = 'de5c2000-0000-0000-0000-000000000000';
export const DEMO_ADMINISTRATIE_GUID = '6f1c2d3e-0000-4000-8000-00000000de01';
export const DEMO_FACTUURSJABLOON = 'Standaard';

/** The demo chart deliberately lacks 4105, to demonstrate an unmapped payroll code. */
export const DEMO_GROOTBOEKREKENINGEN: Array<[code: string, omschrijving: string, categorie: string]> = [
  ['0100', 'Inventaris', 'BAL'],
  ['1000', 'Kas', 'FIN'],
  ['1100', 'Bank', 'FIN'],
  ['1300', 'Debiteuren', 'DEB'],
  ['1500', 'Te betalen btw hoog', 'AF19'],
  ['1510', 'Te betalen btw laag', 'AF6'],
  ['1520', 'Te vorderen btw', 'VOOR'],
  ['1530', 'Btw rekening-courant', 'BTWRC'],
  ['1600', 'Crediteuren', 'CRED'],
  ['1640', 'Af te dragen loonheffing', 'BAL'],
  ['1650', 'Af te dragen pensioenpremies', 'BAL'],
  ['1660', 'Netto lonen', 'BAL'],
  ['1670', 'Reservering vakantiegeld', 'BAL'],
  ['4000', 'Lonen en salarissen', 'VW'],
  ['4100', 'Sociale lasten', 'VW'],
  ['4110', 'Pensioenlasten', 'VW'],
  ['4200', 'Huisvestingskosten', 'VW'],
  ['4500', 'Autokosten', 'VW'],
  ['7000', 'Inkoopwaarde materialen', 'VW'],
  ['8000', 'Omzet', 'VW'],
  ['8100', 'Omzet materialen', 'VW'],
];

export const DEMO_RELATIES = [
  { Code: 'K0001', Bedrijf: 'Bakkerij De Gouden Korst', BP: 'B', Contactpersoon: 'Anja Bakker', Adres: 'Oudegracht 12', Postcode: '3511 AB', Plaats: 'Utrecht', Land: 'NL', Email: 'info@goudenkorst.example', KvkNummer: '30123456' },
  { Code: 'K0002', Bedrijf: 'Jansen Vastgoedbeheer B.V.', BP: 'B', Contactpersoon: 'Pieter Jansen', Adres: 'Stationsplein 3', Postcode: '3818 LE', Plaats: 'Amersfoort', Land: 'NL', Email: 'administratie@jansenvastgoed.example', KvkNummer: '32123457' },
  // The debtors of the WerkbonApp demo werkbonnen (REL003 exists only in WerkbonApp: the koppeling creates it here).
  { Code: 'REL001', Bedrijf: 'Van der Berg Vastgoed B.V.', BP: 'B', Contactpersoon: 'dhr. P. van der Berg', Adres: 'Keizersgracht 112', Postcode: '1015 CV', Plaats: 'Amsterdam', Land: 'NL', Telefoon: '020-6231847', Email: 'facturen@vdbergvastgoed.nl', KvkNummer: '34123458' },
  { Code: 'REL002', Bedrijf: 'Bakkerij Jansen V.O.F.', BP: 'B', Contactpersoon: 'dhr. K. Jansen', Adres: 'Dorpsstraat 14', Postcode: '3732 HJ', Plaats: 'De Bilt', Land: 'NL', Telefoon: '030-2204518', Email: 'administratie@bakkerijjansen.nl', KvkNummer: '30123459' },
];

const HOURS = { GroepCode: 'UREN', GroepOmschrijving: 'Uursoorten', Eenheid: 'Uur', TegenrekeningCode: '8000' };
const MATERIAL = { GroepCode: 'MAT', GroepOmschrijving: 'Materialen', TegenrekeningCode: '8100' };
/**
 * [code, omschrijving, extra, verkoopprijs excl, inkoopprijs, actief]. Same codes, names and prices as
 * the WerkbonApp demo catalogue (src/systems/werkbonapp/simulator/demo.ts DEMO_CATALOG), so the werkbonnen
 * there match what the koppeling imports from here; unit "Uur" makes a product an hour type.
 */
export const DEMO_ARTIKELEN: Array<[string, string, typeof HOURS | (typeof MATERIAL & { Eenheid: string }), number, number, boolean]> = [
  ['ARB', 'Arbeid', HOURS, 55, 0, true],
  ['ARBM', 'Arbeid monteur', HOURS, 62.5, 0, true],
  ['SPOED', 'Spoedtarief', HOURS, 85, 0, true],
  ['ARB-LEER', 'Arbeid leerling (vervallen)', HOURS, 35, 0, false],
  ['MAT-KABEL', 'Installatiekabel YMvK 3x2,5 mm²', { ...MATERIAL, Eenheid: 'Meter' }, 2.15, 0.95, true],
  ['MAT-PVC', 'Installatiebuis PVC 16 mm', { ...MATERIAL, Eenheid: 'Meter' }, 0.85, 0.32, true],
  ['MAT-WCD', 'Wandcontactdoos dubbel met randaarde', { ...MATERIAL, Eenheid: 'Stuk' }, 8.95, 4.1, true],
  ['MAT-ALS', 'Aardlekschakelaar 40A 30mA', { ...MATERIAL, Eenheid: 'Stuk' }, 64.5, 31.5, true],
  ['MAT-WAGO', 'Wago lasklemmen 221-413 (doos 50 st.)', { ...MATERIAL, Eenheid: 'Doos' }, 18.75, 9.4, true],
  ['MAT-SCHR', 'Spaanplaatschroeven 4x40 (doos 200 st.)', { ...MATERIAL, Eenheid: 'Doos' }, 6.4, 2.9, true],
];

/** Master data every new administration starts with: chart, relaties, artikelen, template. */
export function seedMasterData(adm: Administratie, today: string): void {
  for (const [Code, Omschrijving, Categorie] of DEMO_GROOTBOEKREKENINGEN) adm.addGrootboek({ Code, Omschrijving, Categorie }, true);
  for (const r of DEMO_RELATIES) adm.addRelatie(r, '2024-01-02');
  for (const [ArtikelCode, ArtikelOmschrijving, extra, prijs, inkoop, Actief] of DEMO_ARTIKELEN) {
    const pct = btwPercentage('HOOG_VERK_21', today);
    adm.addArtikel({
      ArtikelCode, ArtikelOmschrijving, ...extra, Actief,
      InkoopprijsExclBTW: inkoop, VerkoopprijsExclBTW: prijs, VerkoopprijsInclBTW: round2(prijs * (1 + pct / 100)),
      BTWCode: 'HOOG_VERK_21', BtwPercentage: pct, KostenplaatsID: 0,
    });
  }
  adm.addKostenplaats({ KostenplaatsId: 1, Omschrijving: 'Service en onderhoud', KostenplaatsParentId: 0 });
  adm.addKostenplaats({ KostenplaatsId: 2, Omschrijving: 'Projecten', KostenplaatsParentId: 0 });
  adm.addSjabloon(DEMO_FACTUURSJABLOON);
}

/** Resets the state to the demo: one administration, the demo user, no closed period, no bookings. */
export function loadDemo(state: EboekhoudenState): void {
  state.clear();
  state.seedNew = (adm) => seedMasterData(adm, state.today());
  const adm = state.addAdministratie({ Guid: DEMO_ADMINISTRATIE_GUID, Bedrijf: 'Demo Installatietechniek B.V.', Plaats: 'Utrecht', StartBoekjaar: '2020' });
  seedMasterData(adm, state.today());
  state.upsertUser({ username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2, administratieGuids: [DEMO_ADMINISTRATIE_GUID] });
}

/** An empty simulator: no administrations; users added later get an empty administration. */
export function loadEmpty(state: EboekhoudenState): void {
  state.clear();
  state.seedNew = () => undefined;
}
