/**
 * The records the eAccounting ↔ Visma.net koppeling plans with, in the systems' own field names
 * (eAccounting PascalCase, contract §2.5; Visma.net camelCase write DTOs without the `{value}`
 * wrapping, §3.6). Only what the planning reads: the activities map the clients' records onto these.
 */

/** eAccounting article (the SKU is `Number`). Extra keys (images, attributes…) are kept to be reported. */
export interface SourceArticle {
  Id: string;
  Number: string;
  Name: string;
  NameEnglish?: string | null;
  IsActive: boolean;
  NetPrice?: number | null;
  GrossPrice?: number | null;
  UnitName?: string | null;
  UnitAbbreviation?: string | null;
  IsStock?: boolean | null;
  IsServiceArticle?: boolean | null;
  StockBalance?: number | null;
  Barcodes?: Array<string | { Barcode?: string; Value?: string }> | null;
  [extra: string]: unknown;
}

export interface SourceCustomer {
  Id: string;
  CustomerNumber?: string | null;
  Name: string;
  IsPrivatePerson: boolean;
  IsActive?: boolean;
  EmailAddress?: string | null;
  InvoiceAddress1?: string | null;
  InvoiceAddress2?: string | null;
  InvoicePostalCode?: string | null;
  InvoiceCity?: string | null;
  InvoiceCountryCode?: string | null;
  ContactPersonName?: string | null;
  ContactPersonEmail?: string | null;
  ContactPersonPhone?: string | null;
  Telephone?: string | null;
  MobilePhone?: string | null;
  VatNumber?: string | null;
  CorporateIdentityNumber?: string | null;
  CurrencyCode?: string | null;
  TermsOfPaymentId?: string | null;
  [extra: string]: unknown;
}

export interface SourceOrderRow {
  LineNumber?: number;
  IsTextRow?: boolean;
  ArticleId?: string | null;
  ArticleNumber?: string | null;
  Text?: string | null;
  UnitPrice?: number | null;
  Quantity?: number | null;
  DiscountPercentage?: number | null;
}

export interface SourceOrder {
  Id: string;
  Number: number | string;
  CustomerId: string;
  CurrencyCode?: string | null;
  OrderDate: string;
  Status: number;
  IncludesVat?: boolean | null;
  YourReference?: string | null;
  OurReference?: string | null;
  BuyersOrderReference?: string | null;
  DeliveryAddress1?: string | null;
  DeliveryAddress2?: string | null;
  DeliveryPostalCode?: string | null;
  DeliveryCity?: string | null;
  DeliveryCountryCode?: string | null;
  DeliveryCustomerName?: string | null;
  ModifiedUtc?: string | null;
  Rows: SourceOrderRow[];
  [extra: string]: unknown;
}

/** eAccounting terms of payment (contract §2.5). */
export interface SourceTermsOfPayment {
  Id: string;
  Name: string;
  NameEnglish?: string | null;
  TermsOfPaymentTypeId?: number | null;
}

export interface Address {
  addressLine1?: string;
  addressLine2?: string;
  postalCode?: string;
  city?: string;
  countryId?: string;
}

export interface Contact {
  name?: string;
  attention?: string;
  email?: string;
  phone1?: string;
  phone2?: string;
}

/** Visma.net CustomerUpdateDto, unwrapped. */
export interface TargetCustomer {
  number?: string;
  name: string;
  status?: string;
  currencyId?: string;
  customerClassId?: string;
  creditTermsId?: string;
  vatRegistrationId?: string;
  corporateId?: string;
  mainAddress?: Address;
  mainContact?: Contact;
  invoiceAddress?: Address;
  invoiceContact?: Contact;
  note?: string;
  [extra: string]: unknown;
}

/** Visma.net InventoryUpdateDto, unwrapped. */
export interface TargetInventory {
  inventoryNumber: string;
  description: string;
  body?: string;
  status?: string;
  type?: string;
  defaultPrice?: number;
  baseUnit?: string;
  salesUnit?: string;
  [extra: string]: unknown;
}

export interface TargetOrderLine {
  inventoryId: string;
  quantity: number;
  unitPrice?: number;
  discountPercent?: number;
  description?: string;
  warehouseId?: string;
  [extra: string]: unknown;
}

/** Visma.net SalesOrders v3 POST body (contract §3.6), with the fields the seed fills in. */
export interface TargetSalesOrder {
  type: string;
  customer: { id: string };
  /** The deterministic external reference: how "already in Visma.net" is recognised. */
  customerRefNo: string;
  customerOrder?: string;
  date?: string;
  currency?: string;
  description?: string;
  branchId?: string;
  creditTermsId?: string;
  paymentMethodId?: string;
  shipping?: { preferredWarehouseId?: string; address?: Address & { name?: string } };
  orderLines: TargetOrderLine[];
  [extra: string]: unknown;
}

/** Visma.net customer as a search by e-mail returns it (CustomerDto, the parts used here). */
export interface FoundCustomer {
  number: string;
  name?: string;
  email?: string;
}
