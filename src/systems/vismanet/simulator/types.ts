/** The Visma.net simulator's stored records: read shapes (contract §3.6), JSON-safe for the state file. */

export interface SimTenant {
  id: string;
  name: string;
  /** §1.2 fix-401: a Company tenant works; a Customer tenant's tokens get 401 from the API. */
  kind: 'company' | 'customer';
}

export interface SimClient {
  clientId: string;
  clientSecret: string;
  /** Tenants whose Integration Administrator approved the app. */
  tenants: string[];
  /** Scopes Visma approved for the app. */
  scopes: string[];
}

export interface SimToken {
  token: string;
  clientId: string;
  tenantId: string;
  scopes: string[];
  expiresAt: number;
}

export type Json = Record<string, unknown>;

export interface SimCompanyData {
  customers: Json[];
  inventory: Json[];
  branches: Json[];
  salesOrders: Json[];
  nextCustomerNumber: number;
  nextInternalId: number;
  nextOrderNumber: Record<string, number>;
}

export interface SimData {
  clients: SimClient[];
  tenants: SimTenant[];
  tokens: SimToken[];
  companies: Record<string, SimCompanyData>;
}
