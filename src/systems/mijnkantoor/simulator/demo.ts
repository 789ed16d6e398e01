/**
 * Demo data of the Mijn Kantoor simulator: one accounting office with a handful of customers. EB
 * Bedrijf ("0001", leading zeros) and Bakkerij De Korst ("2") match the Nmbrs demo companies by
 * number; Jansen Advies ("17") has no Nmbrs company; "1005" is a private person. The dossier has a
 * global tree "Salarisadministratie" (not a leaf) with one leaf per payroll document kind.
 * The token is a local demo value, valid only against this simulator.
 */
import { MijnKantoorState, type MijnKantoorData } from './state';

export const DEMO_TENANT = 'kantoor-demo';
export const DEMO_TOKEN = 'demo-mijnkantoor-token';

/** Ids are fixed so tests and the demo koppeling can name them. */
export const DEMO_DIRECTORIES = {
  salaris: 'dir_salaris',
  loonstroken: 'dir_loonstroken',
  sepa: 'dir_sepa',
  loonaangiftes: 'dir_loonaangiftes',
  jaarwerk: 'dir_jaarwerk',
  algemeen: 'dir_algemeen',
} as const;

export function emptyData(): MijnKantoorData {
  return { tokens: [], tenants: [], nextId: 1, calls: {} };
}

export function demoData(): MijnKantoorData {
  const state = new MijnKantoorState(emptyData());
  state.data.tokens.push({ token: DEMO_TOKEN, tenant: DEMO_TENANT });
  const t = state.ensureTenant(DEMO_TENANT, 'Administratiekantoor De Vries');
  const customer = (number: string, name: string, type: 'business' | 'person', kvk?: string, email?: string) =>
    state.addCustomer(t, { number, name, type, kvk_number: kvk ?? null, email: email ?? null, address: null });
  customer('0001', 'EB Bedrijf B.V.', 'business', '12345678', 'info@ebbedrijf.example');
  customer('2', 'Bakkerij De Korst', 'business', '87654321');
  customer('17', 'Jansen Advies', 'business', '11223344', 'info@jansenadvies.example');
  customer('1005', 'J. de Vries', 'person', undefined, 'j.devries@example.nl');
  const dir = (id: string, name: string, parent: string | null) =>
    t.directories.push({ id, name, parent_id: parent, customer_id: null, allow_non_global_children: true });
  dir(DEMO_DIRECTORIES.salaris, 'Salarisadministratie', null);
  dir(DEMO_DIRECTORIES.loonstroken, 'Loonstroken', DEMO_DIRECTORIES.salaris);
  dir(DEMO_DIRECTORIES.sepa, 'SEPA-bestanden', DEMO_DIRECTORIES.salaris);
  dir(DEMO_DIRECTORIES.loonaangiftes, 'Loonaangiftes', DEMO_DIRECTORIES.salaris);
  dir(DEMO_DIRECTORIES.jaarwerk, 'Jaarwerk', DEMO_DIRECTORIES.salaris);
  dir(DEMO_DIRECTORIES.algemeen, 'Algemeen', null);
  state.data.calls = {};
  return state.data;
}
