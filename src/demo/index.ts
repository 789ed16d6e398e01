/**
 * Demo data for `npm start`: a demo tenant with one koppeling per shipped type, against the local
 * simulators, so the first cycles visibly write something. Each seeder is idempotent.
 */
import type { KoppelingService } from '../services/koppelingen';
import type { KoppelingStore } from '../store/koppelingen';
import type { TenantStore } from '../store/tenants';
import { seedEboekhoudenWerkbonapp } from '../koppelingen/eboekhouden-werkbonapp/demo';
import { seedNmbrsEboekhouden } from '../koppelingen/nmbrs-eboekhouden/demo';

export const DEMO_TENANT = 'demo';

export interface DemoContext {
  tenantId: string;
  service: KoppelingService;
  koppelingen: KoppelingStore;
}

/** Creates the demo koppeling of one type unless the tenant already has one. */
export type DemoSeeder = (ctx: DemoContext) => Promise<void>;

const SEEDERS: DemoSeeder[] = [seedEboekhoudenWerkbonapp, seedNmbrsEboekhouden];

export async function seedDemo(opts: { tenants: TenantStore; service: KoppelingService; koppelingen: KoppelingStore; apiKey: string }): Promise<void> {
  await opts.tenants.upsert(DEMO_TENANT, 'Demo Administratiekantoor');
  await opts.tenants.issueKey(DEMO_TENANT, 'demo', opts.apiKey);
  for (const seed of SEEDERS) await seed({ tenantId: DEMO_TENANT, service: opts.service, koppelingen: opts.koppelingen });
}
