/**
 * Typed WerkbonApp entities as the rest of Koppelwerk sees them: numbers for amounts, booleans for
 * flags, `YYYY-MM-DD` dates, `HH:mm` times. Wire details stay in schemas.ts and mapping.ts.
 */

export type WorkorderStatus = 'Klaargezet' | 'Opgehaald' | 'Compleet' | 'Afgehandeld';
export type WorkorderStatusFilter = WorkorderStatus | 'Alle';

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

/** Customer-defined werkbon status, e.g. { code: "1", name: "naar E-boekhouden" }. */
export interface Workstatus {
  code: string;
  name: string;
}

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

/** Identifies a werkbon: a row id (string/number) or its external werkbon number. */
export type WorkorderRef = string | number | { workorderNo: string };

export interface GetWorkordersQuery {
  status: WorkorderStatusFilter;
  /** Workstatus code filter, e.g. RELEASE_WORKSTATUS_CODE. */
  workstatus?: string;
  /**
   * Whether fetching marks Compleet werkbonnen Afgehandeld. The wire default is true; this client
   * defaults to false so a list call never changes anything.
   */
  updateStatus?: boolean;
}

export interface WorkorderChanges {
  workstatus?: string;
  /** YYYY-MM-DD */
  workDate?: string;
  /** HH:mm */
  workTime?: string;
  employeeNr?: string;
  /** Only Afgehandeld can be set from outside (a Compleet werkbon that has been processed). */
  status?: 'Afgehandeld';
}
