/**
 * Demo data of the Visma.net ERP simulator (npm start and the tests): one service client approved
 * for a Company tenant (and, to show the fix-401 case, a Customer tenant), two branches, a few
 * debtors (two sharing one e-mail address, as real administrations have) and articles. The client
 * secret is a local demo value, valid only against this simulator.
 */
import { CUSTOMER_NUMBER_SERIES_START } from './inferred';
import type { Json, SimCompanyData, SimData } from './types';

export const DEMO_CLIENT_ID = 'koppelwerk-vismanet';
export const DEMO_CLIENT_SECRET = 'demo-vismanet-client-secret';
/** The Company tenant of the demo administration. */
export const DEMO_TENANT_ID = '7c3e5b2a-0000-4000-8000-00000000a001';
/** A Customer tenant: tokens are issued, the API answers 401 (contract §1.2 fix-401). */
export const DEMO_CUSTOMER_TENANT_ID = '7c3e5b2a-0000-4000-8000-00000000c001';
/** The address two demo customers share. */
export const DEMO_SHARED_EMAIL = 'inkoop@bouwgroep-noord.nl';

export const ALL_SCOPES = [
  'vismanet_erp_service_api:read',
  'vismanet_erp_service_api:create',
  'vismanet_erp_service_api:update',
  'vismanet_erp_service_api:delete',
  'visma.net.erp.salesorder:read',
  'visma.net.erp.salesorder:write',
];

const at = '2026-01-05T09:00:00.000Z';

function customer(internalId: number, number: string, name: string, email: string, city: string): Json {
  return {
    internalId,
    number,
    name,
    status: 'Active',
    mainAddress: { addressLine1: 'Industrieweg 1', postalCode: '9700 AA', city, country: { id: 'NL', name: 'Netherlands' } },
    mainContact: { contactId: internalId, name, email },
    currencyId: 'EUR',
    vatZone: { id: '01' },
    creditTerms: { id: '30D', description: '30 dagen' },
    customerClass: { id: 'BINNENLAND' },
    createdDateTime: at,
    lastModifiedDateTime: at,
    timeStamp: Buffer.from(`${number}-1`).toString('base64'),
  };
}

function item(inventoryId: number, inventoryNumber: string, description: string, defaultPrice: number): Json {
  return {
    inventoryId,
    inventoryNumber,
    status: 'Active',
    type: 'FinishedGoodItem',
    description,
    body: `<p>${description}</p>`,
    itemClass: { id: 'ALG' },
    vatCode: { id: '1', description: 'BTW hoog 21%' },
    defaultPrice,
    baseUnit: 'STUK',
    salesUnit: 'STUK',
    purchaseUnit: 'STUK',
    stockItem: true,
    lastModifiedDateTime: at,
    timestamp: Buffer.from(`${inventoryNumber}-1`).toString('base64'),
  };
}

export function emptyCompany(): SimCompanyData {
  return { customers: [], inventory: [], branches: [{ branchId: 1, number: '1', name: 'Hoofdkantoor', isMainBranch: true, isActive: true, currency: { id: 'EUR' }, ledger: { id: 'ACTUAL', description: 'Actual ledger' } }], salesOrders: [], nextCustomerNumber: CUSTOMER_NUMBER_SERIES_START, nextInternalId: 1, nextOrderNumber: {} };
}

export function demoData(): SimData {
  const company: SimCompanyData = {
    ...emptyCompany(),
    customers: [
      customer(1, '10001', 'Bouwgroep Noord B.V.', DEMO_SHARED_EMAIL, 'Groningen'),
      customer(2, '10002', 'Bouwgroep Noord Installatie B.V.', DEMO_SHARED_EMAIL, 'Assen'),
      customer(3, '10003', 'Jansen Tegelwerken', 'info@jansentegels.nl', 'Zwolle'),
    ],
    inventory: [item(1, 'TEGEL-3030', 'Vloertegel 30x30 antraciet', 24.95), item(2, 'LIJM-25', 'Tegellijm 25 kg', 18.5), item(3, 'VOEG-5', 'Voegmiddel grijs 5 kg', 12.75)],
    branches: [
      { branchId: 1, number: '1', name: 'Hoofdkantoor', isMainBranch: true, isActive: true, currency: { id: 'EUR' }, ledger: { id: 'ACTUAL', description: 'Actual ledger' } },
      { branchId: 2, number: '2', name: 'Vestiging Zwolle', isMainBranch: false, isActive: true, currency: { id: 'EUR' }, ledger: { id: 'ACTUAL', description: 'Actual ledger' } },
    ],
    nextCustomerNumber: 10004,
    nextInternalId: 4,
  };
  return {
    clients: [{ clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, tenants: [DEMO_TENANT_ID, DEMO_CUSTOMER_TENANT_ID], scopes: ALL_SCOPES }],
    tenants: [
      { id: DEMO_TENANT_ID, name: 'Demo Groothandel B.V.', kind: 'company' },
      { id: DEMO_CUSTOMER_TENANT_ID, name: 'Demo Groothandel (klantomgeving)', kind: 'customer' },
    ],
    tokens: [],
    companies: { [DEMO_TENANT_ID]: company },
  };
}

export function emptyData(): SimData {
  return { clients: [{ clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, tenants: [DEMO_TENANT_ID], scopes: ALL_SCOPES }], tenants: [{ id: DEMO_TENANT_ID, name: 'Demo Groothandel B.V.', kind: 'company' }], tokens: [], companies: { [DEMO_TENANT_ID]: emptyCompany() } };
}
