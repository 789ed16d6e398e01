/**
 * Direct sync (seed 001 step 4, outbound only): one changed Mijn Kantoor customer to Nmbrs at once.
 * A customer without an Nmbrs company (by number, or created earlier by this koppeling) gets one
 * (Company_Insert); its address goes to Nmbrs when it changed (Address_Update deletes and inserts,
 * so Nmbrs gives a new address id each time: the ledger keys on the content, not on that id).
 */
import { contentHash } from '../../src/domain/hash';
import { KoppelError } from '../../src/domain/errors';
import { normalizeNumber } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/matching';
import type { MkCustomer } from '../../src/systems/mijnkantoor/client';
import type { NmbrsAddress, NmbrsClient } from '../../src/systems/nmbrs/client';
import type { ActivityDeps } from '../deps';
import { alive, retrying } from '../support';
import type { Context, Loaded } from './context';
import { allCompanies } from './scan';

export interface PushResult {
  status: 'created' | 'updated' | 'unchanged' | 'conflict';
  companyId?: number;
  reason?: string;
}

export function directSync(deps: ActivityDeps, ctx: Context) {
  return async function nmkPushCustomer(input: { koppelingId: string; customerId: string }): Promise<PushResult> {
    const l = await ctx.load(input.koppelingId);
    if (l.settings.direction !== 'outbound' || !l.settings.directSync) {
      return { status: 'conflict', reason: 'Directe sync staat uit (alleen bij de uitgaande richting).' };
    }
    return alive(async () => {
      const [nmbrs, mk] = await Promise.all([ctx.nmbrs(l), ctx.mijnkantoor(l)]);
      const customer = await retrying(() => mk.getCustomer(input.customerId));
      if (customer.type !== 'business') return { status: 'unchanged', reason: 'Alleen zakelijke relaties worden bedrijven in Nmbrs.' };
      const companies = await allCompanies(nmbrs);
      const linked = await deps.ledger.get(l.k._id, 'company', `mijnkantoor:${customer.id}`);
      const byNumber = companies.filter((c) => normalizeNumber(c.number) === normalizeNumber(customer.number));
      if (!linked?.targetId && byNumber.length > 1) return { status: 'conflict', reason: `Nummer ${customer.number} komt bij ${byNumber.length} bedrijven in Nmbrs voor.` };
      let companyId = linked?.targetId ? Number(linked.targetId) : byNumber[0]?.id;
      let status: PushResult['status'] = 'unchanged';
      if (companyId === undefined) {
        const debtors = await retrying(() => nmbrs.listDebtors());
        const debtorId = l.settings.nmbrsDebtorId ?? (debtors.length === 1 ? debtors[0].id : undefined);
        if (debtorId === undefined) {
          throw new KoppelError({
            type: 'InvalidData',
            system: 'koppelwerk',
            message: 'no Nmbrs debtor chosen for new companies',
            oorzaak: `Nmbrs heeft ${debtors.length} debiteuren en de koppeling weet niet onder welke nieuwe bedrijven komen.`,
            oplossing: 'Kies bij de koppeling de Nmbrs-debiteur voor nieuwe bedrijven (nmbrsDebtorId).',
          });
        }
        const res = await deps.ledger.postOnce(
          { tenantId: l.k.tenantId, koppelingId: l.k._id, entity: 'company', sourceKey: `mijnkantoor:${customer.id}`, contentHash: contentHash({ name: customer.name, debtorId }), reference: customer.name },
          {
            lookup: async (name) => String((await allCompanies(nmbrs)).find((c) => c.name === name)?.id ?? '') || undefined,
            write: async () => String(await nmbrs.insertCompany(debtorId, customer.name, 1)),
          },
        );
        companyId = Number(res.targetId);
        status = 'created';
      }
      if ((await pushAddress(deps, l, nmbrs, companyId, customer)) && status === 'unchanged') status = 'updated';
      return { status, companyId };
    });
  };
}

/**
 * The customer's address to its Nmbrs company when it differs from Nmbrs' current one: written once
 * per distinct content (Address_Update deletes and inserts, a new id each time, so the ledger keys on
 * the content). True when something was written.
 */
export async function pushAddress(deps: ActivityDeps, l: Loaded, nmbrs: NmbrsClient, companyId: number, customer: MkCustomer): Promise<boolean> {
  const a = (customer as { address?: { street?: string; house_number?: string; postal_code?: string; city?: string; country?: string } | null }).address;
  if (!a || !(a.street || a.city)) return false;
  const address: NmbrsAddress = { street: a.street, houseNumber: a.house_number, postalCode: a.postal_code, city: a.city, countryISOCode: a.country ?? 'NL' };
  const current = await retrying(() => nmbrs.getCurrentAddress(companyId));
  const same = current && current.street === address.street && current.houseNumber === address.houseNumber && current.postalCode === address.postalCode && current.city === address.city;
  if (same) return false;
  const hash = contentHash(address);
  await deps.ledger.postOnce(
    { tenantId: l.k.tenantId, koppelingId: l.k._id, entity: 'companyAddress', sourceKey: `${companyId}#${hash.slice(0, 32)}`, contentHash: hash, reference: String(companyId) },
    { lookup: async () => undefined, write: async () => String(await nmbrs.putAddress(companyId, address, current !== undefined)) },
  );
  return true;
}
