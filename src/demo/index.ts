/**
 * Demo data for `npm start`: a demo tenant with one koppeling per shipped type, against the local
 * simulators, so the first cycles visibly write something. Each type brings its own seeder (the
 * `demo` of its definition); each seeder is idempotent.
 */
import type { ConnectionService } from '../services/connections';
import type { KoppelingService } from '../services/koppelingen';
import type { KoppelingStore } from '../store/koppelingen';
import type { TenantStore } from '../store/tenants';
import { KOPPELINGEN } from '../koppelingen';

export const DEMO_TENANT = 'demo';

export interface DemoContext {
  tenantId: string;
  service: KoppelingService;
  koppelingen: KoppelingStore;
  /** For types on an OAuth2 system: their demo connection (authorised by the user in the browser). */
  connections?: ConnectionService;
}

/** Creates the demo koppeling of one type unless the tenant already has one. */
export type DemoSeeder = (ctx: DemoContext) => Promise<void>;

export async function seedDemo(opts: { tenants: TenantStore; service: KoppelingService; koppelingen: KoppelingStore; connections?: ConnectionService; apiKey: string }): Promise<void> {
  await opts.tenants.upsert(DEMO_TENANT, 'Demo Administratiekantoor');
  await opts.tenants.issueKey(DEMO_TENANT, 'demo', opts.apiKey);
  // Each koppeling type's own seeder (src/koppelingen/<type>/demo.ts, named in its definition).
  for (const seed of KOPPELINGEN.flatMap((k) => (k.demo ? [k.demo] : []))) await seed({ tenantId: DEMO_TENANT, service: opts.service, koppelingen: opts.koppelingen, connections: opts.connections });
}
