/**
 * camelCase inputs → request objects in WSDL element order (node-soap writes keys in insertion
 * order and ASMX reads sequences in order). Dates go out as xs:dateTime, decimals as fixed strings.
 */
import { z } from 'zod';
import { btwPercentage, round2 } from './btw';
import { invalidInputError } from './errors';
import type {
  ArtikelFilter,
  FactuurFilter,
  FactuurInput,
  GrootboekrekeningFilter,
  MutatieFilter,
  MutatieInput,
  MutatieRegelInput,
  RelatieFilter,
  RelatieUpdate,
} from './types';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'datum moet YYYY-MM-DD zijn');

/** YYYY-MM-DD → xs:dateTime without zone, as ASMX clients send it. */
export function toWireDate(date: string, field = 'datum'): string {
  const parsed = isoDate.safeParse(date);
  if (!parsed.success) throw invalidInputError(`${field} '${date}' is geen datum in de vorm JJJJ-MM-DD.`);
  return `${date}T00:00:00`;
}

/** Both filter dates are required on the wire; a missing one becomes the edge of a very wide range. */
const WIDE_FROM = '1900-01-01';
const WIDE_TO = '2999-12-31';
/** .NET's DateTime.MinValue, sent for required dates that do not apply (e.g. no direct debit). */
const NO_DATE = '0001-01-01T00:00:00';

const money = (n: number) => round2(n).toFixed(2);

/** Fills in the amounts e-Boekhouden wants on every line from bedragInvoer, VAT code and In/Ex. */
export function completeRegel(r: MutatieRegelInput, inEx: 'IN' | 'EX', datum: string) {
  const btwCode = r.btwCode || 'GEEN';
  const pct = r.btwPercentage ?? btwPercentage(btwCode, datum);
  const invoer = round2(r.bedragInvoer);
  const excl = r.bedragExclBtw ?? (inEx === 'IN' ? round2((invoer * 100) / (100 + pct)) : invoer);
  const btw = r.bedragBtw ?? (inEx === 'IN' ? round2(invoer - excl) : round2((excl * pct) / 100));
  const incl = r.bedragInclBtw ?? round2(excl + btw);
  return { btwCode, pct, invoer, excl, btw, incl };
}

export function mutatieToWire(m: MutatieInput) {
  const inEx = m.inExBtw ?? 'EX';
  return {
    MutatieNr: 0,
    Soort: m.soort,
    Datum: toWireDate(m.datum),
    Rekening: m.rekening ?? '',
    RelatieCode: m.relatieCode ?? '',
    Factuurnummer: m.factuurnummer ?? '',
    Boekstuk: m.boekstuk ?? '',
    Omschrijving: m.omschrijving ?? '',
    Betalingstermijn: m.betalingstermijn === undefined ? '' : String(m.betalingstermijn),
    Betalingskenmerk: m.betalingskenmerk ?? '',
    InExBTW: inEx,
    MutatieRegels: {
      cMutatieRegel: m.regels.map((r) => {
        const a = completeRegel(r, inEx, m.datum);
        return {
          BedragInvoer: money(a.invoer),
          BedragExclBTW: money(a.excl),
          BedragBTW: money(a.btw),
          BedragInclBTW: money(a.incl),
          BTWCode: a.btwCode,
          BTWPercentage: String(a.pct),
          TegenrekeningCode: r.tegenrekeningCode,
          KostenplaatsID: r.kostenplaatsId ?? 0,
        };
      }),
    },
  };
}

export function mutatieFilterToWire(f: MutatieFilter) {
  return {
    MutatieNr: f.mutatieNr ?? 0,
    ...(f.mutatieNrVan !== undefined && { MutatieNrVan: f.mutatieNrVan }),
    ...(f.mutatieNrTm !== undefined && { MutatieNrTm: f.mutatieNrTm }),
    Factuurnummer: f.factuurnummer ?? '',
    DatumVan: toWireDate(f.datumVan ?? WIDE_FROM, 'datumVan'),
    DatumTm: toWireDate(f.datumTm ?? WIDE_TO, 'datumTm'),
  };
}

export function grootboekFilterToWire(f: GrootboekrekeningFilter = {}) {
  return { ID: f.id ?? 0, Code: f.code ?? '', Categorie: f.categorie ?? '' };
}

export function relatieFilterToWire(f: RelatieFilter = {}) {
  return { Trefwoord: f.trefwoord ?? '', Code: f.code ?? '', ID: f.id ?? 0 };
}

export function artikelFilterToWire(f: ArtikelFilter = {}) {
  return {
    ...(f.artikelId !== undefined && { ArtikelID: f.artikelId }),
    ArtikelOmschrijving: f.omschrijving ?? '',
    ArtikelCode: f.code ?? '',
    GroepOmschrijving: f.groepOmschrijving ?? '',
    GroepCode: f.groepCode ?? '',
  };
}

export function factuurFilterToWire(f: FactuurFilter = {}) {
  return {
    Factuurnummer: f.factuurnummer ?? '',
    Relatiecode: f.relatiecode ?? '',
    DatumVan: toWireDate(f.datumVan ?? WIDE_FROM, 'datumVan'),
    DatumTm: toWireDate(f.datumTm ?? WIDE_TO, 'datumTm'),
  };
}

/** camelCase field → cRelatie element, in WSDL order (Def1..Def10 come from vrijeVelden). */
const RELATIE_FIELDS: Array<[keyof RelatieUpdate, string]> = [
  ['code', 'Code'], ['bedrijf', 'Bedrijf'], ['contactpersoon', 'Contactpersoon'], ['geslacht', 'Geslacht'],
  ['adres', 'Adres'], ['postcode', 'Postcode'], ['plaats', 'Plaats'], ['land', 'Land'], ['adres2', 'Adres2'],
  ['postcode2', 'Postcode2'], ['plaats2', 'Plaats2'], ['land2', 'Land2'], ['telefoon', 'Telefoon'], ['gsm', 'GSM'],
  ['fax', 'FAX'], ['email', 'Email'], ['site', 'Site'], ['notitie', 'Notitie'],
];
const RELATIE_FIELDS_2: Array<[keyof RelatieUpdate, string]> = [
  ['btwNummer', 'BTWNummer'], ['kvkNummer', 'KvkNummer'], ['aanhef', 'Aanhef'], ['iban', 'IBAN'], ['bic', 'BIC'], ['bp', 'BP'],
];

export function relatieToWire(r: RelatieUpdate, today: string) {
  const out: Record<string, unknown> = { ID: r.id ?? 0, AddDatum: toWireDate(r.addDatum ?? today, 'addDatum') };
  for (const [k, w] of RELATIE_FIELDS) out[w] = (r[k] as string | undefined) ?? '';
  out.Bankrekening = '';
  out.Girorekening = '';
  for (const [k, w] of RELATIE_FIELDS_2) out[w] = (r[k] as string | undefined) ?? '';
  for (let i = 0; i < 10; i++) out[`Def${i + 1}`] = r.vrijeVelden?.[i] ?? '';
  out.LA = r.la ?? '0';
  out.Gb_ID = r.gbId ?? 0;
  out.GeenEmail = r.geenEmail ?? 0;
  out.NieuwsbriefgroepenCount = 0;
  return out;
}

export function factuurToWire(f: FactuurInput) {
  return {
    Factuurnummer: f.factuurnummer ?? '',
    Relatiecode: f.relatiecode,
    Datum: toWireDate(f.datum),
    Betalingstermijn: f.betalingstermijn,
    Factuursjabloon: f.factuursjabloon,
    PerEmailVerzenden: f.email !== undefined,
    EmailOnderwerp: f.email?.onderwerp ?? '',
    EmailBericht: f.email?.bericht ?? '',
    EmailVanAdres: f.email?.vanAdres ?? '',
    EmailVanNaam: f.email?.vanNaam ?? '',
    AutomatischeIncasso: false,
    IncassoIBAN: '',
    IncassoMachtigingSoort: '',
    IncassoMachtigingID: '',
    IncassoMachtigingDatumOndertekening: NO_DATE,
    IncassoMachtigingFirst: false,
    IncassoRekeningNummer: '',
    IncassoTnv: '',
    IncassoPlaats: '',
    IncassoOmschrijvingRegel1: '',
    IncassoOmschrijvingRegel2: '',
    IncassoOmschrijvingRegel3: '',
    InBoekhoudingPlaatsen: f.inBoekhoudingPlaatsen,
    BoekhoudmutatieOmschrijving: f.boekhoudmutatieOmschrijving ?? '',
    Regels: {
      cFactuurRegel: f.regels.map((r) => ({
        Aantal: r.aantal,
        Eenheid: r.eenheid ?? '',
        Code: r.code ?? '',
        Omschrijving: r.omschrijving,
        PrijsPerEenheid: r.prijsPerEenheid,
        BTWCode: r.btwCode,
        TegenrekeningCode: r.tegenrekeningCode,
        KostenplaatsID: r.kostenplaatsId ?? 0,
      })),
    },
  };
}
