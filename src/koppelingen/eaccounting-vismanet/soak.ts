/**
 * The kill soak's knowledge of eAccounting → Visma.net (scripts/soak): the web shop "Fietsenwinkel
 * De Spaak" in the eAccounting simulator (authorised the way a user does it, src/dev/browser.ts)
 * sent to the Visma.net simulator's demo administration, all three flows on, orders with status
 * Verzonden (3) or Gefactureerd (4). Load, every round: a few new orders in a synced status, some for
 * a new customer, the others for an existing one; now and then a new article that one of them
 * uses; now and then a Concept or Lopend order moved into the synced set. Check: every synced
 * order once in Visma.net by its external reference (`customerRefNo`), confirmed; every customer
 * once by e-mail; every active article once by SKU.
 */
import { Browser } from '../../dev/browser';
import { DEMO_COMPANIES, DEMO_EMAIL, DEMO_PASSWORD, DEMO_SALES } from '../../systems/eaccounting/simulator/demo';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from '../../systems/vismanet/simulator/demo';
import type { KoppelingSoak, SoakContext } from '../koppeling';
import { customerEmail } from './domain/customers';
import { orderReference } from './domain/orders';
import { skuKey } from './domain/products';

const SHOP = DEMO_COMPANIES.webwinkel;
/** The statuses the soak's koppeling sends: Verzonden and Gefactureerd. */
const SYNCED = [3, 4];
/** Visma.net's status of a confirmed sales order (the simulator's CONFIRMED_ORDER_STATUS). */
const CONFIRMED = 'Open';

interface EaCustomer {
  Id: string;
  Name: string;
  EmailAddress: string | null;
  ContactPersonEmail: string | null;
}
interface EaArticle {
  Id: string;
  Number: string;
  IsActive: boolean;
}
interface EaOrder {
  Id: string;
  Number: number;
  Status: number;
}
interface VnOrder {
  orderId: string;
  status: string;
  customerRefNo?: string;
}

const shop = <T>(ctx: SoakContext, method: string, path: string, body?: unknown) => ctx.control<T>('eaccounting', method, `/companies/${SHOP}${path}`, body);
const pick = <T>(ctx: SoakContext, xs: readonly T[]): T => xs[Math.floor(ctx.random() * xs.length)];

const count = (xs: string[]) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
};

/** Per kind: the expected keys missing, the ones found more than once, and how many were found. */
function tally(kind: string, expected: Set<string>, found: string[]) {
  const c = count(found.filter((k) => expected.has(k)));
  const missing = [...expected].filter((k) => !c.has(k));
  const doubled = [...c].filter(([, n]) => n > 1);
  return { kind, expected: expected.size, items: [...c.values()].reduce((a, n) => a + n, 0), missing, doubled, duplicates: doubled.reduce((a, [, n]) => a + n - 1, 0) };
}

/** Synced orders not yet in Visma.net above which a round adds none (about half a minute of work at the budget). */
const BACKLOG_MAX = 40;

async function backlog(ctx: SoakContext): Promise<number> {
  const [eaOrders, vnOrders] = await Promise.all([shop<EaOrder[]>(ctx, 'GET', '/orders'), ctx.control<VnOrder[]>('vismanet', 'GET', '/salesorders')]);
  const sent = new Set(vnOrders.map((o) => o.customerRefNo));
  return eaOrders.filter((o) => SYNCED.includes(o.Status) && !sent.has(orderReference(o))).length;
}

const firstFew = (xs: string[]) => `${xs.slice(0, 3).join(', ')}${xs.length > 3 ? ` (+${xs.length - 3})` : ''}`;

export const eaccountingVismanetSoak: KoppelingSoak = {
  systems: ['vismanet', 'eaccounting'],
  async create(ctx) {
    const conn = await ctx.api<{ id: string }>('POST', '/connections', { tenantId: 'soak', system: 'eaccounting', name: 'Visma eAccounting webwinkel (soak)' });
    const b = new Browser();
    const login = await b.go(`${ctx.admin.url}/connections/${conn.id}/authorize`, { headers: { 'x-api-key': ctx.admin.key } });
    const consent = await b.submit(login, { Email: DEMO_EMAIL, Password: DEMO_PASSWORD });
    const picker = await b.submit(consent, {}, { name: 'consent', value: 'allow' });
    const done = await b.submit(picker, { CompanyId: SHOP });
    if (!done.html.includes('Autorisatie gelukt')) throw new Error(`eAccounting authorisation failed at ${done.url}: ${done.html.slice(0, 300)}`);
    return {
      settings: { flows: { products: true, orders: true, customers: true }, orders: { statuses: SYNCED }, customers: { businessClass: 'BINNENLAND' } },
      credentials: { vismanet: { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, tenantId: DEMO_TENANT_ID } },
      connections: { eaccounting: conn.id },
    };
  },
  async load(ctx, round) {
    if (round === 0) return; // the web shop's demo data is the first sync
    // No new orders while a backlog waits: at Visma.net's 10 calls/s (about 5 per order) a feed of
    // 2–3 orders per round outran the budget, and after 1,000 kills 2,416 orders were still queued
    // when the 10-minute drain ended (waiting, not lost). A web shop's orders arrive at a pace the
    // budget carries; the soak tests kills, not an endless queue.
    if ((await backlog(ctx)) > BACKLOG_MAX) return;
    const customers = await shop<EaCustomer[]>(ctx, 'GET', '/customers');
    const articles = ['FIETS-001', 'BEL-002', 'SLOT-003', 'ONDERHOUD'];
    // Every fourth round a new article, which one of this round's orders uses.
    let fresh: string | undefined;
    if (round % 4 === 0) {
      fresh = `SOAK-${String(round).padStart(4, '0')}`;
      await shop(ctx, 'POST', '/articles', { Number: fresh, Name: `Soak-artikel ${round}`, UnitId: DEMO_SALES.units.stuks, NetPrice: 10 + (round % 40) });
    }
    const n = 2 + Math.floor(ctx.random() * 2);
    const orders = [];
    for (let i = 0; i < n; i++) {
      let customerId: string;
      if (ctx.random() < 0.4 || customers.length === 0) {
        // A new customer, a company or a private person, with an address of its own.
        const person = ctx.random() < 0.5;
        const name = person ? `Soak Persoon ${round}-${i}` : `Soak Bedrijf ${round}-${i} B.V.`;
        const [c] = await shop<EaCustomer[]>(ctx, 'POST', '/customers', [
          {
            Name: name,
            IsPrivatePerson: person,
            TermsOfPaymentId: person ? DEMO_SALES.terms.dagen14 : DEMO_SALES.terms.dagen30,
            InvoiceAddress1: `Soakstraat ${round}`,
            InvoicePostalCode: '3511 AA',
            InvoiceCity: 'Utrecht',
            EmailAddress: `soak-${round}-${i}@klant.example.nl`,
            ...(person ? {} : { ContactPersonName: `Contact ${round}-${i}` }),
          },
        ]);
        customers.push(c);
        customerId = c.Id;
      } else {
        customerId = pick(ctx, customers).Id;
      }
      const rows = [{ ArticleNumber: pick(ctx, articles), Quantity: 1 + Math.floor(ctx.random() * 3) }];
      if (fresh && i === 0) rows.push({ ArticleNumber: fresh, Quantity: 1 });
      orders.push({ Status: pick(ctx, SYNCED), CustomerId: customerId, OrderDate: '2026-03-02', CurrencyCode: 'EUR', Rows: rows });
    }
    // Every third round one order that is not sent yet (Concept or Lopend), to be moved later.
    if (round % 3 === 0) orders.push({ Status: pick(ctx, [1, 2]), CustomerId: pick(ctx, customers).Id, OrderDate: '2026-03-02', CurrencyCode: 'EUR', Rows: [{ ArticleNumber: pick(ctx, articles), Quantity: 1 }] });
    await shop(ctx, 'POST', '/orders', orders);
    // Every third round (offset) an order moves into the synced set.
    if (round % 3 === 1) {
      const waiting = (await shop<EaOrder[]>(ctx, 'GET', '/orders')).filter((o) => !SYNCED.includes(o.Status));
      if (waiting.length) await shop(ctx, 'PUT', `/orders/${pick(ctx, waiting).Id}`, { Status: pick(ctx, SYNCED) });
    }
  },
  async writes(ctx) {
    return (await ctx.control<{ totalWrites: number }>('vismanet', 'GET', '/stats')).totalWrites ?? 0;
  },
  async check(ctx) {
    const [eaOrders, eaCustomers, eaArticles, vnOrders, vnCustomers, vnItems] = await Promise.all([
      shop<EaOrder[]>(ctx, 'GET', '/orders'),
      shop<EaCustomer[]>(ctx, 'GET', '/customers'),
      shop<EaArticle[]>(ctx, 'GET', '/articles'),
      ctx.control<VnOrder[]>('vismanet', 'GET', '/salesorders'),
      ctx.control<Array<{ number: string; mainContact?: { email?: string } }>>('vismanet', 'GET', '/customers'),
      ctx.control<Array<{ inventoryNumber: string }>>('vismanet', 'GET', '/inventory'),
    ]);
    const synced = eaOrders.filter((o) => SYNCED.includes(o.Status));
    const orders = tally('orders', new Set(synced.map(orderReference)), vnOrders.map((o) => o.customerRefNo ?? ''));
    const customers = tally('customers', new Set(eaCustomers.map(customerEmail).filter(Boolean)), vnCustomers.map((c) => customerEmail({ EmailAddress: c.mainContact?.email ?? null, ContactPersonEmail: null })));
    const products = tally('products', new Set(eaArticles.filter((a) => a.IsActive).map((a) => skuKey(a.Number))), vnItems.map((i) => skuKey(i.inventoryNumber)));
    // An order that is there but still on Hold is not done: the koppeling confirms what it creates.
    const refs = new Set(synced.map(orderReference));
    const unconfirmed = [...new Set(vnOrders.filter((o) => o.customerRefNo && refs.has(o.customerRefNo) && o.status !== CONFIRMED).map((o) => o.customerRefNo!))];
    const all = [orders, customers, products];
    const problems = all.flatMap((t) => [
      ...(t.missing.length ? [`${t.kind} missing ${firstFew(t.missing)}`] : []),
      ...(t.doubled.length ? [`${t.kind} twice or more ${firstFew(t.doubled.map(([k, n]) => `${k} ×${n}`))}`] : []),
    ]);
    if (unconfirmed.length) problems.push(`orders not confirmed ${firstFew(unconfirmed)}`);
    return {
      expected: orders.expected + customers.expected + products.expected,
      items: orders.items + customers.items + products.items,
      duplicates: orders.duplicates + customers.duplicates + products.duplicates,
      missing: orders.missing.length + customers.missing.length + products.missing.length + unconfirmed.length,
      detail: `${orders.expected} synced orders, ${customers.expected} customers, ${products.expected} products${problems.length ? `; ${problems.join('; ')}` : ', each once in Visma.net, every order confirmed'}`,
    };
  },
};
