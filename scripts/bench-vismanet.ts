/**
 * Benchmark of the eAccounting → Visma.net koppeling on the real embedded stack (FerretDB, the
 * Temporal dev server, worker and admin API from src/dev/stack.ts; both simulators with simulated
 * latency):
 *
 *   node dist/scripts/bench-vismanet.js [--orders 1000] [--customers 300] [--products 500] [--latency 20] [--per-second 10]
 *
 * The eAccounting web shop gets P articles, C customers (half companies, half private persons) and
 * O invoiced orders of 1–3 rows; Visma.net starts empty. One koppeling (products + orders), two
 * rounds: the first sync (every product and customer created, every order created and confirmed)
 * and an idle cycle. Every external call passes a timing proxy, so API time is measured per
 * request. Printed per round: wall time, API time, calls per system, Visma.net calls per order, and
 * for the first sync the time from `sync` to the first order in Visma.net. `--per-second` is the
 * Visma.net budget per account (src/systems/vismanet/system.ts, 10 by default and INFERRED): the
 * client paces every call by it, so it bounds the wall time. Figures only: nothing here asserts timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from '../src/dev/browser';
import { startStack } from '../src/dev/stack';
import { orderReference } from '../src/koppelingen/eaccounting-vismanet/domain/orders';
import { DEMO_COMPANIES, DEMO_EMAIL, DEMO_PASSWORD, startEaccountingSimulator } from '../src/systems/eaccounting/simulator';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from '../src/systems/vismanet/simulator/demo';
import { startVismanetSimulator } from '../src/systems/vismanet/simulator';
import { vismanetSystem } from '../src/systems/vismanet/system';
import { restOperation, timingProxy } from './lib/timing-proxy';

/** Sales orders, customers and inventory items folded to one operation each. */
const vismanetOperation = (req: IncomingMessage) => restOperation(req).replace(/\/(SO)\/[^/]+$/, '/$1/{id}').replace(/\/(customer|inventory)\/[^/]+$/, '/$1/{nr}');

interface Options {
  orders: number;
  customers: number;
  products: number;
  latencyMs: number;
  perSecond: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { orders: 1000, customers: 300, products: 500, latencyMs: 20, perSecond: vismanetSystem.rateBudget.perSecond ?? 10 };
  const usage = 'usage: bench-vismanet [--orders 1000] [--customers 300] [--products 500] [--latency 20] [--per-second 10]';
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = Number(inline ?? argv[++i]);
    if (flag === '--orders') opts.orders = value;
    else if (flag === '--customers') opts.customers = value;
    else if (flag === '--products') opts.products = value;
    else if (flag === '--latency') opts.latencyMs = value;
    else if (flag === '--per-second') opts.perSecond = value;
    else {
      console.error(`unknown option ${flag}\n${usage}`);
      process.exit(2);
    }
  }
  if (![opts.orders, opts.customers, opts.products].every((n) => Number.isInteger(n) && n >= 1) || !(opts.latencyMs >= 0) || !(opts.perSecond > 0)) {
    console.error(`--orders, --customers, --products are integers >= 1; --latency is milliseconds >= 0; --per-second > 0\n${usage}`);
    process.exit(2);
  }
  return opts;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function control<T = unknown>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/_control${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  // The Visma.net budget per account, for the in-process worker of this run only.
  (vismanetSystem.rateBudget as { perSecond?: number }).perSecond = opts.perSecond;
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelwerk-bench-vismanet-'));
  const eaccounting = await startEaccountingSimulator({ port: 0 });
  const vismanet = await startVismanetSimulator({ port: 0 });
  const proxies = { eaccounting: await timingProxy(eaccounting.url), vismanet: await timingProxy(vismanet.url, vismanetOperation) };
  console.log(
    `bench-vismanet: ${opts.orders} orders, ${opts.customers} customers, ${opts.products} products; simulated API latency ${opts.latencyMs} ms per call; Visma.net budget ${opts.perSecond} requests/s per account; starting the stack ...`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, EACCOUNTING_BASE_URL: proxies.eaccounting.url, VISMANET_BASE_URL: proxies.vismanet.url };
  delete env.MONGODB_URI;
  delete env.TEMPORAL_ADDRESS;
  const stack = await startStack({ dataDir, quiet: true, ui: false, env, worker: 'in-process' });
  const key = stack.keys.KOPPELWERK_OPERATOR_API_KEY;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.api.url}${path}`, { method, headers: { 'content-type': 'application/json', 'x-api-key': key }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as any;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const shop = DEMO_COMPANIES.webwinkel;
  try {
    // Source data in the eAccounting web shop, Visma.net empty (not timed).
    await control(eaccounting.url, 'DELETE', `/companies/${shop}/sales`);
    const [terms] = await control<Array<{ Id: string }>>(eaccounting.url, 'POST', `/companies/${shop}/termsofpayments`, [{ Name: '30 dagen', NumberOfDays: 30 }]);
    await control(eaccounting.url, 'POST', `/companies/${shop}/units`, [{ Name: 'Stuks', Code: 'st', Abbreviation: 'st' }]);
    const sku = (i: number) => `BENCH-${String(i).padStart(5, '0')}`;
    await control(eaccounting.url, 'POST', `/companies/${shop}/articles`, Array.from({ length: opts.products }, (_, i) => ({ Number: sku(i), Name: `Bench artikel ${i}`, NetPrice: 5 + (i % 200), Barcodes: [`87${String(100000000 + i)}`] })));
    const customers = await control<Array<{ Id: string }>>(
      eaccounting.url,
      'POST',
      `/companies/${shop}/customers`,
      Array.from({ length: opts.customers }, (_, i) => ({
        Name: i % 2 ? `Bench klant ${i} B.V.` : `Bench particulier ${i}`,
        IsPrivatePerson: i % 2 === 0,
        TermsOfPaymentId: terms.Id,
        InvoiceAddress1: `Marktstraat ${i + 1}`,
        InvoicePostalCode: '3511 AA',
        InvoiceCity: 'Utrecht',
        EmailAddress: `bench${i}@example.nl`,
        ...(i % 2 ? { ContactPersonName: `Contact ${i}` } : {}),
      })),
    );
    const orders: Array<{ Id: string; Number: number }> = [];
    for (let start = 0; start < opts.orders; start += 250) {
      const n = Math.min(250, opts.orders - start);
      orders.push(
        ...(await control<Array<{ Id: string; Number: number }>>(
          eaccounting.url,
          'POST',
          `/companies/${shop}/orders`,
          Array.from({ length: n }, (_, j) => {
            const i = start + j;
            return {
              Status: 4,
              CustomerId: customers[(i * 7) % opts.customers].Id,
              OrderDate: '2026-03-02',
              Rows: Array.from({ length: 1 + (i % 3) }, (_r, k) => ({ ArticleNumber: sku((i * 13 + k * 101) % opts.products), Quantity: 1 + ((i + k) % 4) })),
            };
          }),
        )),
      );
    }
    await control(vismanet.url, 'POST', '/reset', { demo: false });
    await api('POST', '/tenants', { id: 'bench', name: 'Bench' });
    const conn = await api('POST', '/connections', { tenantId: 'bench', system: 'eaccounting', name: 'Visma bench' });
    const b = new Browser();
    const login = await b.go(`${stack.api.url}/connections/${conn.id}/authorize`, { headers: { 'x-api-key': key } });
    const consent = await b.submit(login, { Email: DEMO_EMAIL, Password: DEMO_PASSWORD });
    const picker = await b.submit(consent, {}, { name: 'consent', value: 'allow' });
    const done = await b.submit(picker, { CompanyId: shop });
    if (!done.html.includes('Autorisatie gelukt')) throw new Error(`authorisation failed: ${done.html.slice(0, 300)}`);
    const k = await api('POST', '/koppelingen', {
      tenantId: 'bench',
      type: 'eaccounting-vismanet',
      name: 'Bench',
      start: false,
      settings: { flows: { products: true, orders: true, customers: false } },
      credentials: { vismanet: { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, tenantId: DEMO_TENANT_ID } },
      connections: { eaccounting: conn.id },
    });
    const id = k.id as string;
    for (const sim of [eaccounting, vismanet]) await control(sim.url, 'POST', '/faults', { latencyMs: opts.latencyMs });

    const rows: string[][] = [];
    const measure = async (name: string, trigger: () => Promise<unknown>, cycleNo: number) => {
      proxies.eaccounting.reset();
      proxies.vismanet.reset();
      const before = (await control<unknown[]>(vismanet.url, 'GET', '/salesorders')).length;
      const t0 = performance.now();
      await trigger();
      let firstOrderMs: number | undefined;
      let last: { result: string; summary: string } | undefined;
      for (;;) {
        if (firstOrderMs === undefined && (await control<unknown[]>(vismanet.url, 'GET', '/salesorders')).length > before) firstOrderMs = performance.now() - t0;
        const kk = await api('GET', `/koppelingen/${id}`);
        if (kk.live?.lastCycle?.cycleNo >= cycleNo && kk.live.state !== 'RUNNING') {
          last = kk.live.lastCycle;
          break;
        }
        await sleep(200);
      }
      const wall = performance.now() - t0;
      const created = (await control<unknown[]>(vismanet.url, 'GET', '/salesorders')).length - before;
      rows.push([
        name,
        secs(wall),
        secs(proxies.eaccounting.busyMs + proxies.vismanet.busyMs),
        `${proxies.eaccounting.calls} / ${proxies.vismanet.calls}`,
        String(created),
        created ? (proxies.vismanet.calls / created).toFixed(2) : '-',
        firstOrderMs === undefined ? '-' : secs(firstOrderMs),
        `${last?.result}`,
      ]);
      console.log(`  ${name}: ${last?.summary}`);
      console.log(`    Visma.net calls: ${[...proxies.vismanet.byEndpoint].map(([op, n]) => `${op} ${n}`).join(', ') || 'none'}`);
      console.log(`    eAccounting calls: ${[...proxies.eaccounting.byEndpoint].map(([op, n]) => `${op} ${n}`).join(', ') || 'none'}`);
    };

    await measure('first sync', () => api('POST', `/koppelingen/${id}/start`), 1);
    await measure('idle cycle', () => api('POST', `/koppelingen/${id}/sync`, { reason: 'bench idle' }), 2);

    const head = ['round', 'wall', 'API time', 'calls eA / Visma.net', 'orders', 'Visma.net calls per order', 'sync → first order', 'cycle'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
    const sales = await control<Array<{ customerRefNo?: string; status: string }>>(vismanet.url, 'GET', '/salesorders');
    const refs = sales.map((s) => s.customerRefNo ?? '');
    const expected = new Set(orders.map((o) => orderReference(o)));
    const customersThere = await control<unknown[]>(vismanet.url, 'GET', '/customers');
    const items = await control<unknown[]>(vismanet.url, 'GET', '/inventory');
    console.log(
      `\n${sales.length} sales orders (expected ${opts.orders}), ${refs.filter((r) => expected.has(r)).length} with a bench reference, ${new Set(refs).size === refs.length ? 'every reference once' : 'DUPLICATE REFERENCES'}, ${sales.filter((s) => s.status === 'Open').length} confirmed; ${customersThere.length} customers, ${items.length} items in Visma.net.`,
    );
  } finally {
    await stack.stop();
    await Promise.all([proxies.eaccounting.close(), proxies.vismanet.close(), eaccounting.close(), vismanet.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
