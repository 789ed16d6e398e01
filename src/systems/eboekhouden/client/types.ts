/**
 * Public, camelCase types of the e-Boekhouden connector. Amounts are numbers in euros, dates are
 * `YYYY-MM-DD` strings; wire names and formats stay inside wire.ts and schemas.ts.
 */
import type { BtwCode } from './btw';

export interface EboekhoudenCredentials {
  username: string;
  /** Beveiligingscode 1 (32 hex characters). Never logged. */
  securityCode1: string;
  /** Beveiligingscode 2 (GUID format). Never logged. */
  securityCode2: string;
}

export interface EboekhoudenClientOptions {
  /** `https://soap.e-boekhouden.nl` for the real API, or a simulator's url; `/soap.asmx` is appended. */
  baseUrl: string;
  credentials: EboekhoudenCredentials;
  /** Names the integration in e-Boekhouden's log (OpenSession Source); default "Koppelwerk". */
  source?: string;
  /** Per-call HTTP timeout; default 30 s. */
  timeoutMs?: number;
  /** Accountant access: open this administration (OpenSessionSub) instead of the user's own. */
  administratieGuid?: string;
}

export type IsoDate = string;

export interface Administratie {
  bedrijf: string;
  plaats: string;
  guid: string;
  startBoekjaar: string;
}

export interface Grootboekrekening {
  id: number;
  code: string;
  omschrijving: string;
  categorie: string;
  groep: string;
}
export interface GrootboekrekeningFilter {
  id?: number;
  code?: string;
  categorie?: string;
}

export const MUTATIE_SOORTEN = [
  'OpeningsSaldo',
  'FactuurOntvangen',
  'FactuurVerstuurd',
  'FactuurbetalingOntvangen',
  'FactuurbetalingVerstuurd',
  'GeldOntvangen',
  'GeldUitgegeven',
  'Memoriaal',
] as const;
export type MutatieSoort = (typeof MUTATIE_SOORTEN)[number];

export interface MutatieRegelInput {
  tegenrekeningCode: string;
  /** The amount as entered: incl. VAT when inExBtw is IN, excl. when EX. Memoriaal: + debet, − credit. */
  bedragInvoer: number;
  /** Default GEEN. */
  btwCode?: BtwCode | string;
  /** Default: derived from btwCode and the mutation date. */
  btwPercentage?: number;
  /** The three below are computed from bedragInvoer when omitted. */
  bedragExclBtw?: number;
  bedragBtw?: number;
  bedragInclBtw?: number;
  kostenplaatsId?: number;
}

export interface MutatieInput {
  soort: MutatieSoort;
  datum: IsoDate;
  /** Header ledger (debiteuren, bank, …). A Memoriaal without it must have balanced lines. */
  rekening?: string;
  relatieCode?: string;
  factuurnummer?: string;
  boekstuk?: string;
  omschrijving?: string;
  /** Days. */
  betalingstermijn?: number;
  betalingskenmerk?: string;
  /** Default EX. */
  inExBtw?: 'IN' | 'EX';
  regels: MutatieRegelInput[];
}

export interface MutatieRegel {
  bedragInvoer: number;
  bedragExclBtw: number;
  bedragBtw: number;
  bedragInclBtw: number;
  btwCode: string;
  btwPercentage: number;
  factuurnummer: string;
  tegenrekeningCode: string;
  kostenplaatsId: number;
}

export interface Mutatie {
  mutatieNr: number;
  soort: MutatieSoort;
  datum: IsoDate;
  rekening: string;
  relatieCode: string;
  factuurnummer: string;
  boekstuk: string;
  omschrijving: string;
  betalingstermijn: string;
  inExBtw: string;
  regels: MutatieRegel[];
}

export interface MutatieFilter {
  mutatieNr?: number;
  mutatieNrVan?: number;
  mutatieNrTm?: number;
  factuurnummer?: string;
  /** Both dates are required on the wire; missing ones are sent as a very wide range. */
  datumVan?: IsoDate;
  datumTm?: IsoDate;
}

export interface Relatie {
  id: number;
  addDatum: IsoDate;
  code: string;
  bedrijf: string;
  /** B = bedrijf, P = particulier. */
  bp: string;
  contactpersoon: string;
  geslacht: string;
  adres: string;
  postcode: string;
  plaats: string;
  land: string;
  adres2: string;
  postcode2: string;
  plaats2: string;
  land2: string;
  telefoon: string;
  gsm: string;
  fax: string;
  email: string;
  site: string;
  notitie: string;
  btwNummer: string;
  kvkNummer: string;
  aanhef: string;
  iban: string;
  bic: string;
  la: string;
  gbId: number;
  geenEmail: number;
  /** Def1..Def10 free fields, index 0 = Def1. */
  vrijeVelden: string[];
}

export type RelatieInput = Pick<Relatie, 'code' | 'bedrijf'> & { bp: 'B' | 'P' } & Partial<Omit<Relatie, 'id' | 'code' | 'bedrijf' | 'bp' | 'addDatum'>> & {
    addDatum?: IsoDate;
  };
export type RelatieUpdate = RelatieInput & { id?: number };

export interface RelatieFilter {
  trefwoord?: string;
  code?: string;
  id?: number;
}

export interface Artikel {
  artikelId: number;
  omschrijving: string;
  code: string;
  groepOmschrijving: string;
  groepCode: string;
  /** e.g. "Uur" (uursoort), "Stuk", "Doos", "Meter". */
  eenheid: string;
  inkoopprijsExclBtw: number;
  verkoopprijsExclBtw: number;
  verkoopprijsInclBtw: number;
  btwCode: string;
  btwPercentage: number;
  tegenrekeningCode: string;
  kostenplaatsId: number;
  actief: boolean;
}

export interface ArtikelFilter {
  artikelId?: number;
  omschrijving?: string;
  code?: string;
  groepOmschrijving?: string;
  groepCode?: string;
}

export interface FactuurRegelInput {
  aantal: number;
  eenheid?: string;
  code?: string;
  omschrijving: string;
  /** Excl. VAT. */
  prijsPerEenheid: number;
  btwCode: BtwCode | string;
  tegenrekeningCode: string;
  kostenplaatsId?: number;
}

export interface FactuurInput {
  /** Empty → e-Boekhouden numbers the invoice. */
  factuurnummer?: string;
  relatiecode: string;
  datum: IsoDate;
  /** Days. */
  betalingstermijn: number;
  /** Name of an existing template (Beheer > Sjablonen > Factuursjablonen). */
  factuursjabloon: string;
  /** true: book at once (mutation + open post); false: only prepare the invoice. */
  inBoekhoudingPlaatsen: boolean;
  boekhoudmutatieOmschrijving?: string;
  email?: { onderwerp?: string; bericht?: string; vanAdres?: string; vanNaam?: string };
  regels: FactuurRegelInput[];
}

export interface FactuurRegel {
  aantal: number;
  eenheid: string;
  code: string;
  omschrijving: string;
  prijsPerEenheid: number;
  btwCode: string;
  tegenrekeningCode: string;
  kostenplaatsId: number;
}

export interface Factuur {
  factuurnummer: string;
  relatiecode: string;
  datum: IsoDate;
  betalingstermijn: number;
  totaalExclBtw: number;
  totaalBtw: number;
  totaalInclBtw: number;
  totaalOpenstaand: number;
  urlPdfBestand: string;
  regels: FactuurRegel[];
}

export interface FactuurFilter {
  factuurnummer?: string;
  /** Only honoured together with the dates (contract A6); missing dates are sent as a wide range. */
  relatiecode?: string;
  datumVan?: IsoDate;
  datumTm?: IsoDate;
}

export type OpenPostSoort = 'Debiteuren' | 'Crediteuren';

export interface OpenPost {
  mutDatum: IsoDate;
  factuurnummer: string;
  relatieCode: string;
  relatieBedrijf: string;
  bedrag: number;
  voldaan: number;
  openstaand: number;
}
