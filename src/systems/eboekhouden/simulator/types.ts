/**
 * Simulator records, named exactly like the WSDL's elements so they encode without mapping.
 * Dates are `YYYY-MM-DD`; amounts are numbers in euros.
 */
/**
 * The simulator's own copy of the WSDL's enMutatieSoorten (src/systems/eboekhouden/wsdl/soap.wsdl,
 * contract A5), not the client's: each side reads the contract.
 */
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

export interface AdministratieInfo {
  Guid: string;
  Bedrijf: string;
  Plaats: string;
  StartBoekjaar: string;
  /** Closed-period date ("afgesloten t/m"): writes dated on or before it are refused. */
  AfgeslotenTm?: string;
}

export interface UserRecord {
  Username: string;
  SecurityCode1: string;
  SecurityCode2: string;
  /** GUIDs of the administrations this user may open; the first is the one OpenSession opens. */
  Administraties: string[];
}

export interface GrootboekRecord {
  ID: number;
  Code: string;
  Omschrijving: string;
  Categorie: string;
  Groep: string;
}

export const RELATIE_STRING_FIELDS = [
  'Code', 'Bedrijf', 'Contactpersoon', 'Geslacht', 'Adres', 'Postcode', 'Plaats', 'Land', 'Adres2', 'Postcode2',
  'Plaats2', 'Land2', 'Telefoon', 'GSM', 'FAX', 'Email', 'Site', 'Notitie', 'Bankrekening', 'Girorekening',
  'BTWNummer', 'KvkNummer', 'Aanhef', 'IBAN', 'BIC', 'BP', 'Def1', 'Def2', 'Def3', 'Def4', 'Def5', 'Def6', 'Def7',
  'Def8', 'Def9', 'Def10', 'LA',
] as const;
export type RelatieRecord = { ID: number; AddDatum: string; Gb_ID: number; GeenEmail: number; NieuwsbriefgroepenCount: number } & {
  [K in (typeof RELATIE_STRING_FIELDS)[number]]: string;
};

export interface ArtikelRecord {
  ArtikelID: number;
  ArtikelOmschrijving: string;
  ArtikelCode: string;
  GroepOmschrijving: string;
  GroepCode: string;
  Eenheid: string;
  InkoopprijsExclBTW: number;
  VerkoopprijsExclBTW: number;
  VerkoopprijsInclBTW: number;
  BTWCode: string;
  TegenrekeningCode: string;
  BtwPercentage: number;
  KostenplaatsID: number;
  Actief: boolean;
}

export interface KostenplaatsRecord {
  KostenplaatsId: number;
  Omschrijving: string;
  KostenplaatsParentId: number;
}

export interface FactuursjabloonRecord {
  Naam: string;
}

export interface MutatieRegelRecord {
  BedragInvoer: number;
  BedragExclBTW: number;
  BedragBTW: number;
  BedragInclBTW: number;
  BTWCode: string;
  BTWPercentage: number;
  Factuurnummer: string;
  TegenrekeningCode: string;
  KostenplaatsID: number;
}

export interface MutatieRecord {
  MutatieNr: number;
  Soort: MutatieSoort;
  Datum: string;
  Rekening: string;
  RelatieCode: string;
  Factuurnummer: string;
  Boekstuk: string;
  Omschrijving: string;
  Betalingstermijn: string;
  Betalingskenmerk: string;
  InExBTW: 'IN' | 'EX';
  MutatieRegels: MutatieRegelRecord[];
}

export interface FactuurRegelRecord {
  Aantal: number;
  Eenheid: string;
  Code: string;
  Omschrijving: string;
  PrijsPerEenheid: number;
  BTWCode: string;
  TegenrekeningCode: string;
  KostenplaatsID: number;
}

export interface FactuurRecord {
  Factuurnummer: string;
  Relatiecode: string;
  Datum: string;
  Betalingstermijn: number;
  Factuursjabloon: string;
  PerEmailVerzenden: boolean;
  InBoekhoudingPlaatsen: boolean;
  BoekhoudmutatieOmschrijving: string;
  Regels: FactuurRegelRecord[];
  TotaalExclBTW: number;
  TotaalBTW: number;
  TotaalInclBTW: number;
  URLPDFBestand: string;
  /** Set when the invoice was booked (InBoekhoudingPlaatsen): the FactuurVerstuurd mutation. */
  Mutatienummer?: number;
}

export type OpenPostSoort = 'Debiteuren' | 'Crediteuren';

export interface OpenPostRecord {
  Soort: OpenPostSoort;
  MutatieNr: number;
  MutDatum: string;
  MutFactuur: string;
  RelCode: string;
  Bedrag: number;
  Voldaan: number;
}
