/**
 * zod schemas for every response payload, as node-soap hands them over (dateTimes kept as text by
 * the client's customDeserializer). Each schema validates the wire shape and turns it into the
 * public camelCase type. Lenient where ASMX/node-soap vary: empty elements, single-item lists,
 * xsi:typed values ({ $value }), numbers given as text.
 */
import { z } from 'zod';
import { MUTATIE_SOORTEN } from './types';

/** Unwraps node-soap's `{ attributes, $value }` and turns empty elements (`{}`, null) into ''. */
function scalar(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    return '$value' in o ? o.$value : '';
  }
  return v;
}
/** A list wrapper element (`<Rekeningen><cGrootboekrekening/>…`) → array of its items. */
function items(key: string) {
  return (v: unknown): unknown[] => {
    if (!v || typeof v !== 'object') return [];
    const inner = (v as Record<string, unknown>)[key];
    return inner === undefined || inner === null ? [] : Array.isArray(inner) ? inner : [inner];
  };
}

const text = z.preprocess((v) => String(scalar(v)), z.string());
const num = z.preprocess((v) => {
  const s = scalar(v);
  return s === '' ? 0 : typeof s === 'string' ? Number(s) : s;
}, z.number().finite());
const bool = z.preprocess((v) => {
  const s = scalar(v);
  return typeof s === 'string' ? s === 'true' || s === '1' : s;
}, z.boolean());
/** xs:dateTime text → YYYY-MM-DD (the date as written; no time-zone shifts). */
const date = z.preprocess((v) => String(scalar(v)), z.string().regex(/^\d{4}-\d{2}-\d{2}/)).transform((s) => s.slice(0, 10));
const list = <T extends z.ZodTypeAny>(key: string, item: T) => z.preprocess(items(key), z.array(item));

export const errorMsgSchema = z
  .object({ LastErrorCode: text.optional(), LastErrorDescription: text.optional() })
  .passthrough()
  .transform((e) => ({ code: e.LastErrorCode ?? '', description: e.LastErrorDescription ?? '' }));

/** The `<Op>Result` element of a response; Update* operations answer a flat cError. */
export const resultOf = <T extends z.ZodTypeAny>(op: string, result: T) => z.object({ [`${op}Result`]: result }).transform((r) => r[`${op}Result`] as z.infer<T>);

export const openSessionSchema = resultOf('OpenSession', z.object({ SessionID: z.string().min(1) }).passthrough()).transform((r) => r.SessionID);
export const openSessionSubSchema = resultOf('OpenSessionSub', z.object({ SessionID: z.string().min(1) }).passthrough()).transform((r) => r.SessionID);

export const administratiesSchema = resultOf(
  'GetAdministraties',
  z.object({
    Administraties: list(
      'cAdministratie',
      z.object({ Bedrijf: text, Plaats: text, Guid: text, StartBoekjaar: text }).transform((a) => ({ bedrijf: a.Bedrijf, plaats: a.Plaats, guid: a.Guid, startBoekjaar: a.StartBoekjaar })),
    ),
  }),
).transform((r) => r.Administraties);

const grootboek = z
  .object({ ID: num, Code: text, Omschrijving: text, Categorie: text, Groep: text.optional() })
  .transform((g) => ({ id: g.ID, code: g.Code, omschrijving: g.Omschrijving, categorie: g.Categorie, groep: g.Groep ?? '' }));
export const grootboekrekeningenSchema = resultOf('GetGrootboekrekeningen', z.object({ Rekeningen: list('cGrootboekrekening', grootboek) })).transform((r) => r.Rekeningen);

export const addMutatieSchema = resultOf('AddMutatie', z.object({ Mutatienummer: num })).transform((r) => r.Mutatienummer);

const mutatieRegel = z
  .object({
    BedragInvoer: num, BedragExclBTW: num, BedragBTW: num, BedragInclBTW: num, BTWCode: text.optional(), BTWPercentage: num,
    Factuurnummer: text.optional(), TegenrekeningCode: text, KostenplaatsID: num,
  })
  .transform((r) => ({
    bedragInvoer: r.BedragInvoer, bedragExclBtw: r.BedragExclBTW, bedragBtw: r.BedragBTW, bedragInclBtw: r.BedragInclBTW,
    btwCode: r.BTWCode ?? '', btwPercentage: r.BTWPercentage, factuurnummer: r.Factuurnummer ?? '', tegenrekeningCode: r.TegenrekeningCode, kostenplaatsId: r.KostenplaatsID,
  }));
const mutatie = z
  .object({
    MutatieNr: num, Soort: z.enum(MUTATIE_SOORTEN), Datum: date, Rekening: text.optional(), RelatieCode: text.optional(), Factuurnummer: text.optional(),
    Boekstuk: text.optional(), Omschrijving: text.optional(), Betalingstermijn: text.optional(), InExBTW: text.optional(),
    MutatieRegels: list('cMutatieListRegel', mutatieRegel),
  })
  .transform((m) => ({
    mutatieNr: m.MutatieNr, soort: m.Soort, datum: m.Datum, rekening: m.Rekening ?? '', relatieCode: m.RelatieCode ?? '', factuurnummer: m.Factuurnummer ?? '',
    boekstuk: m.Boekstuk ?? '', omschrijving: m.Omschrijving ?? '', betalingstermijn: m.Betalingstermijn ?? '', inExBtw: m.InExBTW ?? '', regels: m.MutatieRegels,
  }));
export const mutatiesSchema = resultOf('GetMutaties', z.object({ Mutaties: list('cMutatieList', mutatie) })).transform((r) => r.Mutaties);

const relatie = z
  .object({
    ID: num, AddDatum: date, Code: text, Bedrijf: text, BP: text.optional(), Contactpersoon: text.optional(), Geslacht: text.optional(),
    Adres: text.optional(), Postcode: text.optional(), Plaats: text.optional(), Land: text.optional(), Adres2: text.optional(), Postcode2: text.optional(),
    Plaats2: text.optional(), Land2: text.optional(), Telefoon: text.optional(), GSM: text.optional(), FAX: text.optional(), Email: text.optional(),
    Site: text.optional(), Notitie: text.optional(), BTWNummer: text.optional(), KvkNummer: text.optional(), Aanhef: text.optional(), IBAN: text.optional(),
    BIC: text.optional(), LA: text.optional(), Gb_ID: num.optional(), GeenEmail: num.optional(),
  })
  .passthrough()
  .transform((r) => {
    const s = (v: string | undefined) => v ?? '';
    const extra = r as Record<string, unknown>;
    return {
      id: r.ID, addDatum: r.AddDatum, code: r.Code, bedrijf: r.Bedrijf, bp: s(r.BP), contactpersoon: s(r.Contactpersoon), geslacht: s(r.Geslacht),
      adres: s(r.Adres), postcode: s(r.Postcode), plaats: s(r.Plaats), land: s(r.Land), adres2: s(r.Adres2), postcode2: s(r.Postcode2),
      plaats2: s(r.Plaats2), land2: s(r.Land2), telefoon: s(r.Telefoon), gsm: s(r.GSM), fax: s(r.FAX), email: s(r.Email), site: s(r.Site),
      notitie: s(r.Notitie), btwNummer: s(r.BTWNummer), kvkNummer: s(r.KvkNummer), aanhef: s(r.Aanhef), iban: s(r.IBAN), bic: s(r.BIC), la: s(r.LA),
      gbId: r.Gb_ID ?? 0, geenEmail: r.GeenEmail ?? 0,
      vrijeVelden: Array.from({ length: 10 }, (_, i) => String(scalar(extra[`Def${i + 1}`]))),
    };
  });
export const relatiesSchema = resultOf('GetRelaties', z.object({ Relaties: list('cRelatie', relatie) })).transform((r) => r.Relaties);
export const addRelatieSchema = resultOf('AddRelatie', z.object({ Rel_ID: num })).transform((r) => r.Rel_ID);

const artikel = z
  .object({
    ArtikelID: num, ArtikelOmschrijving: text, ArtikelCode: text, GroepOmschrijving: text.optional(), GroepCode: text.optional(), Eenheid: text.optional(),
    InkoopprijsExclBTW: num, VerkoopprijsExclBTW: num, VerkoopprijsInclBTW: num, BTWCode: text.optional(), TegenrekeningCode: text.optional(),
    BtwPercentage: num, KostenplaatsID: num, Actief: bool,
  })
  .transform((a) => ({
    artikelId: a.ArtikelID, omschrijving: a.ArtikelOmschrijving, code: a.ArtikelCode, groepOmschrijving: a.GroepOmschrijving ?? '', groepCode: a.GroepCode ?? '',
    eenheid: a.Eenheid ?? '', inkoopprijsExclBtw: a.InkoopprijsExclBTW, verkoopprijsExclBtw: a.VerkoopprijsExclBTW, verkoopprijsInclBtw: a.VerkoopprijsInclBTW,
    btwCode: a.BTWCode ?? '', btwPercentage: a.BtwPercentage, tegenrekeningCode: a.TegenrekeningCode ?? '', kostenplaatsId: a.KostenplaatsID, actief: a.Actief,
  }));
export const artikelenSchema = resultOf('GetArtikelen', z.object({ Artikelen: list('cArtikel', artikel) })).transform((r) => r.Artikelen);

export const addFactuurSchema = resultOf('AddFactuur', z.object({ Factuurnummer: z.string().min(1) })).transform((r) => r.Factuurnummer);

const factuurRegel = z
  .object({ Aantal: num, Eenheid: text.optional(), Code: text.optional(), Omschrijving: text.optional(), PrijsPerEenheid: num, BTWCode: text.optional(), TegenrekeningCode: text.optional(), KostenplaatsID: num })
  .transform((r) => ({
    aantal: r.Aantal, eenheid: r.Eenheid ?? '', code: r.Code ?? '', omschrijving: r.Omschrijving ?? '', prijsPerEenheid: r.PrijsPerEenheid,
    btwCode: r.BTWCode ?? '', tegenrekeningCode: r.TegenrekeningCode ?? '', kostenplaatsId: r.KostenplaatsID,
  }));
const factuur = z
  .object({
    Factuurnummer: text, Relatiecode: text, Datum: date, Betalingstermijn: num, TotaalExclBTW: num, TotaalBTW: num, TotaalInclBTW: num,
    TotaalOpenstaand: num, URLPDFBestand: text.optional(), Regels: list('cFactuurRegel', factuurRegel),
  })
  .transform((f) => ({
    factuurnummer: f.Factuurnummer, relatiecode: f.Relatiecode, datum: f.Datum, betalingstermijn: f.Betalingstermijn, totaalExclBtw: f.TotaalExclBTW,
    totaalBtw: f.TotaalBTW, totaalInclBtw: f.TotaalInclBTW, totaalOpenstaand: f.TotaalOpenstaand, urlPdfBestand: f.URLPDFBestand ?? '', regels: f.Regels,
  }));
export const facturenSchema = resultOf('GetFacturen', z.object({ Facturen: list('cFactuurList', factuur) })).transform((r) => r.Facturen);

const openPost = z
  .object({ MutDatum: date, MutFactuur: text, RelCode: text, RelBedrijf: text.optional(), Bedrag: num, Voldaan: num, Openstaand: num })
  .transform((p) => ({
    mutDatum: p.MutDatum, factuurnummer: p.MutFactuur, relatieCode: p.RelCode, relatieBedrijf: p.RelBedrijf ?? '', bedrag: p.Bedrag, voldaan: p.Voldaan, openstaand: p.Openstaand,
  }));
export const openPostenSchema = resultOf('GetOpenPosten', z.object({ Openposten: list('cOpenPost', openPost) })).transform((r) => r.Openposten);
