/**
 * Data of the Mijn Kantoor simulator: tenants (kantoren), each with customers (relaties), contacts,
 * a dossier directory tree (global directories plus per-customer ones) and dossier items (files).
 * Ids are opaque strings, as in the real API. Everything serialises to JSON (file content as base64).
 */
import { createHash } from 'node:crypto';
import { normalizeNumber } from './inferred';

export type CustomerType = 'business' | 'person';

export interface Customer {
  id: string;
  number: string;
  name: string;
  type: CustomerType;
  kvk_number?: string | null;
  email?: string | null;
  address?: { street?: string; house_number?: string; postal_code?: string; city?: string; country?: string } | null;
  created_at: string;
  updated_at: string;
}

export interface Contact {
  id: string;
  name: string;
  email?: string | null;
  function: string;
  number?: string | null;
  customer_ids: string[];
  created_at: string;
  updated_at: string;
}

export interface Directory {
  id: string;
  parent_id: string | null;
  name: string;
  /** null: a global directory (every customer's dossier has it); else the customer's own. */
  customer_id: string | null;
  allow_non_global_children: boolean;
}

export interface DossierItem {
  id: string;
  customer_id: string;
  dossier_directory_id: string;
  name: string;
  original_filename: string;
  mime_type: string;
  size: number;
  sha256: string;
  year: number | null;
  period: string | null;
  created_at: string;
  /** base64 */
  content: string;
}

export interface TenantData {
  id: string;
  name: string;
  customers: Customer[];
  contacts: Contact[];
  directories: Directory[];
  items: DossierItem[];
}

export interface MijnKantoorData {
  tokens: Array<{ token: string; tenant: string }>;
  tenants: TenantData[];
  nextId: number;
  /** Calls per endpoint (`GET /customers`), for tests and benchmarks. */
  calls: Record<string, number>;
}

export class ValidationError extends Error {
  constructor(
    message: string,
    readonly errors: Record<string, string[]>,
  ) {
    super(message);
  }
}

export class MijnKantoorState {
  constructor(public data: MijnKantoorData) {}

  snapshot(): MijnKantoorData {
    return this.data;
  }

  load(data: MijnKantoorData): void {
    this.data = data;
  }

  newId(prefix: string): string {
    return `${prefix}_${(this.data.nextId++).toString(36).padStart(6, '0')}`;
  }

  now(): string {
    return new Date().toISOString();
  }

  countCall(endpoint: string): void {
    this.data.calls[endpoint] = (this.data.calls[endpoint] ?? 0) + 1;
  }

  tenantOfToken(token: string): string | undefined {
    return this.data.tokens.find((t) => t.token === token)?.tenant;
  }

  tenant(id: string): TenantData | undefined {
    return this.data.tenants.find((t) => t.id === id);
  }

  ensureTenant(id: string, name = id): TenantData {
    let t = this.tenant(id);
    if (!t) {
      t = { id, name, customers: [], contacts: [], directories: [], items: [] };
      this.data.tenants.push(t);
    }
    return t;
  }

  // ------------------------------------------------------------------ customers

  private checkCustomer(t: TenantData, input: Partial<Customer>, selfId?: string): void {
    const errors: Record<string, string[]> = {};
    if (input.name !== undefined && !String(input.name).trim()) errors.name = ['Naam is verplicht.'];
    if (input.type !== undefined && input.type !== 'business' && input.type !== 'person') errors.type = ['Type moet business of person zijn.'];
    if (input.number !== undefined) {
      const n = normalizeNumber(input.number);
      if (!n) errors.number = ['Nummer is verplicht.'];
      else if (t.customers.some((c) => c.id !== selfId && normalizeNumber(c.number) === n)) {
        errors.number = [`Relatienummer ${input.number} is al in gebruik.`];
      }
    }
    if (Object.keys(errors).length) throw new ValidationError('De gegeven data is ongeldig.', errors);
  }

  addCustomer(t: TenantData, input: Omit<Customer, 'id' | 'created_at' | 'updated_at'>): Customer {
    this.checkCustomer(t, input);
    const now = this.now();
    const c: Customer = { ...input, id: this.newId('cus'), created_at: now, updated_at: now };
    t.customers.push(c);
    return c;
  }

  updateCustomer(t: TenantData, c: Customer, input: Partial<Customer>): Customer {
    this.checkCustomer(t, input, c.id);
    Object.assign(c, input, { id: c.id, created_at: c.created_at, updated_at: this.now() });
    return c;
  }

  addContact(t: TenantData, input: Omit<Contact, 'id' | 'created_at' | 'updated_at'>): Contact {
    const now = this.now();
    const c: Contact = { ...input, id: this.newId('con'), created_at: now, updated_at: now };
    t.contacts.push(c);
    return c;
  }

  // ------------------------------------------------------------------ dossier

  addDirectory(t: TenantData, input: { name: string; parent_id?: string | null; customer_id?: string | null }): Directory {
    const d: Directory = {
      id: this.newId('dir'),
      name: input.name,
      parent_id: input.parent_id ?? null,
      customer_id: input.customer_id ?? null,
      allow_non_global_children: true,
    };
    t.directories.push(d);
    return d;
  }

  isLeaf(t: TenantData, dirId: string): boolean {
    return !t.directories.some((d) => d.parent_id === dirId);
  }

  /** The directories a customer's dossier shows: the global ones plus its own. */
  directoriesOf(t: TenantData, customerId?: string): Directory[] {
    return t.directories.filter((d) => d.customer_id === null || d.customer_id === customerId);
  }

  addItem(t: TenantData, input: Omit<DossierItem, 'id' | 'created_at' | 'sha256' | 'size' | 'content'> & { content: Buffer }): DossierItem {
    const item: DossierItem = {
      ...input,
      id: this.newId('doc'),
      created_at: this.now(),
      size: input.content.length,
      sha256: createHash('sha256').update(input.content).digest('hex'),
      content: input.content.toString('base64'),
    };
    t.items.push(item);
    return item;
  }
}
