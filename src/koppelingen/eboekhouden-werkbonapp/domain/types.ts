/**
 * The records this koppeling's pure logic reads and produces, in its own types: the e-Boekhouden and
 * WerkbonApp fields it works with, copied from the contract
 * (/work/shared/contracts/eboekhouden-werkbonapp.md) as the clients expose them. Deliberately not
 * imported from the systems' client code: the domain stays free of connector code, and the activities
 * hand the clients' records over as they are — TypeScript checks at that edge that the two agree.
 */

// --- WerkbonApp ---------------------------------------------------------------------------------

export type WorkorderStatus = 'Klaargezet' | 'Opgehaald' | 'Compleet' | 'Afgehandeld';

/** A relation (klant); `debtorNumber` is the natural key (e-Boekhouden relatiecode). */
export interface Relation {
  debtorNumber: string;
  name: string;
  contact: string;
  phoneNumber: string;
  email: string;
  emailWorkorder: string;
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  remark: string;
  latitude: number | null;
  longitude: number | null;
}

export type RelationInput = Pick<Relation, 'debtorNumber' | 'name' | 'street' | 'postalCode' | 'city'> &
  Partial<Omit<Relation, 'debtorNumber' | 'name' | 'street' | 'postalCode' | 'city'>>;

/** A material (artikel); `code` is the natural key. */
export interface Material {
  code: string;
  description: string;
  /** Sales price excl. VAT. */
  price: number;
  unit: string;
  eancode: string;
  barcode: string;
  /** freefield1..5 */
  freeFields: string[];
}

export type MaterialInput = Pick<Material, 'code' | 'description' | 'price' | 'unit'> &
  Partial<Pick<Material, 'eancode' | 'barcode' | 'freeFields'>>;

/** An hour type (uursoort); `code` is the natural key. */
export interface HourType {
  code: string;
  name: string;
  costBooking: boolean;
  saleBooking: boolean;
  /** Hourly sales price excl. VAT. */
  salePrice: number;
  costPrice: number | null;
  active: boolean;
}

export type HourTypeInput = Omit<HourType, 'costPrice' | 'active'> & { costPrice?: number | null; active?: boolean };

export interface WorkorderParty {
  name: string;
  /** Relation debtor number; on the invoice party this is the debtor to bill. */
  debtorNr: string;
  street: string;
  streetNo: string;
  email: string;
  zip: string;
  city: string;
  contactPerson: string;
  phone: string;
  remark: string;
}

export interface Workperiod {
  workDate: string | null;
  beginTime: string | null;
  endTime: string | null;
  breakMinutes: number;
  /** TotalTime (end − begin − break) in minutes. */
  totalMinutes: number;
  /** totalMinutes / 60, unrounded. */
  hours: number;
  /** Travel distance as registered, null when empty. */
  travel: number | null;
  remark: string;
  /** Hour type code, "" when none. */
  hourType: string;
  employeeNr: string;
}

export interface WorkorderMaterial {
  code: string;
  name: string;
  /** MaterialNr: the quantity used. */
  quantity: number;
  price: number;
  totalPrice: number | null;
  unit: string;
  type: string;
  freeFields: string[];
}

export interface Workorder {
  /** WerkbonApp row id (`row_id` in requests). */
  id: string;
  workorderNo: string;
  orderNr: string;
  worksheetCode: string;
  status: WorkorderStatus;
  /** Workstatus code ("" when none). */
  workStatus: string;
  workFinished: boolean;
  archived: boolean;
  typeOfWork: string;
  workDescription: string;
  internalWorkDescription: string;
  shortWorkDescription: string;
  paymentMethod: string;
  employeeNr: string;
  workDate: string | null;
  workTime: string | null;
  workEndDate: string | null;
  workEndTime: string | null;
  projectNr: string;
  externProjectNr: string;
  /** `YYYY-MM-DD HH:mm` as WerkbonApp reports it (local time), null when empty. */
  creationDate: string | null;
  comment: string;
  pdfUrl: string;
  /** Work location. */
  customer: WorkorderParty;
  /** Invoice party: `invoiceCustomer.debtorNr` is the debtor to bill. */
  invoiceCustomer: WorkorderParty;
  workperiods: Workperiod[];
  materials: WorkorderMaterial[];
}

// --- e-Boekhouden.nl ----------------------------------------------------------------------------

export interface Relatie {
  id: number;
  addDatum: string;
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

export interface FactuurRegelInput {
  aantal: number;
  eenheid?: string;
  code?: string;
  omschrijving: string;
  /** Excl. VAT. */
  prijsPerEenheid: number;
  btwCode: string;
  tegenrekeningCode: string;
  kostenplaatsId?: number;
}
