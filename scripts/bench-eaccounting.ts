/**
 * Benchmark of the Nmbrs → Visma eAccounting koppeling on the real embedded stack (FerretDB, the
 * Temporal dev server, worker and admin API from src/dev/stack.ts; both simulators with simulated
 * latency):
 *
 *   node dist/scripts/bench-eaccounting.js [--companies 20] [--runs 12] [--lines 300] [--latency 20]
 *
 * N Nmbrs companies with R locked runs of L journal lines each; one Visma account with N
 * eAccounting companies, authorised N times in a browser-like trip (one company per
 * authorisation), and N koppelingen. Three rounds, every koppeling synced at once: first sync
 * (every run new), idle (nothing changed), correction (every run recalculated: reversal + new
 * version). Every external call passes a timing proxy, so API time is measured per request.
 * Printed per round: wall time, API time, calls per system, calls per voucher, and the peak
 * requests per minute per eAccounting endpoint (the simulator's own count per client and
 * endpoint; Visma allows 600). Figures only: nothing here asserts timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from '../src/dev/browser';
import { startStack } from '../src/dev/stack';
import { DEMO_PASSWORD, startEaccountingSimulator } from '../src/systems/eaccounting/simulator';
import { DEMO_DEBTOR_ID, DEMO_USER, startNmbrsSimulator } from '../src/systems/nmbrs/simulator';
import { soapOrRestOperation, timingProxy } from './lib/timing-proxy';

interface Options {
  companies: number;
  runs: number;
  lines: number;
  latencyMs: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { companies: 20, runs: 12, lines: 300, latencyMs: 20 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = Number(inline ?? argv[++i]);
    if (flag === '--companies') opts.companies = value;
    else if (flag === '--runs') opts.runs = value;
    else if (flag === '--lines') opts.lines = value;
    else if (flag === '--latency') opts.latencyMs = value;
    else {
      console.error(`unknown option ${flag}\nusage: bench-eaccounting [--companies 20] [--runs 12] [--lines 300] [--latency 20]`);
      process.exit(2);
    }
  }
  if (![opts.companies, opts.runs].every((n) => Number.isInteger(n) && n >= 1) || !(Number.isInteger(opts.lines) && opts.lines >= 4) || !(opts.latencyMs >= 0)) {
    console.error('--companies, --runs >= 1 and --lines >= 4 are integers; --latency is milliseconds >= 0');
    process.exit(2);
  }
  return opts;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** One balanced transaction of `lines` lines: four per employee, amounts varying by employee. */
function journal(year: number, period: number, lines: number) {
  const employees = Math.floor(lines / 4);
  const out: Array<{ dim1: string; dim2: string; value: string; debitCredit: 'D' | 'C'; description: string }> = [];
  const euro = (cents: number) => (cents / 100).toFixed(2);
  for (let e = 0; e < employees; e++) {
    const gross = 250_000 + ((e * 7919 + period * 104_729) % 300_000);
    const tax = Math.round(gross * 0.243);
    const social = Math.round(gross * 0.186);
    const emp = String(1000 + e);
    out.push(
      { dim1: '4000', dim2: emp, value: euro(gross), debitCredit: 'D', description: 'Lonen en salarissen' },
      { dim1: '4100', dim2: emp, value: euro(social), debitCredit: 'D', description: 'Sociale lasten' },
      { dim1: '1640', dim2: emp, value: euro(tax + social), debitCredit: 'C', description: 'Af te dragen loonheffing' },
      { dim1: '1660', dim2: emp, value: euro(gross - tax), debitCredit: 'C', description: 'Netto lonen' },
    );
  }
  const last = new Date(Date.UTC(year, period, 0));
  return [{ date: `${year}${String(period).padStart(2, '0')}${String(last.getUTCDate()).padStart(2, '0')}`, period: `${period}/${year}`, lines: out }];
}

const BENCH_EMAIL = 'bench@koppelwerk.nl';

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelwerk-bench-eaccounting-'));
  const nmbrs = await startNmbrsSimulator({ port: 0 });
  const eaccounting = await startEaccountingSimulator({ port: 0 });
  const proxies = { nmbrs: await timingProxy(nmbrs.url, soapOrRestOperation), eaccounting: await timingProxy(eaccounting.url, soapOrRestOperation) };
  console.log(
    `bench-eaccounting: ${opts.companies} companies × ${opts.runs} runs × ${opts.lines} journal lines, simulated API latency ${opts.latencyMs} ms per call; starting the stack ...`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, NMBRS_BASE_URL: proxies.nmbrs.url, EACCOUNTING_BASE_URL: proxies.eaccounting.url };
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
  try {
    // Source and target data through the simulators (not timed).
    const companies: Array<{ nmbrsId: number; eaId: string; runIds: number[] }> = [];
    for (let c = 0; c < opts.companies; c++) {
      const nmbrsId = 3001 + c;
      nmbrs.state.addCompany({ id: nmbrsId, debtorId: DEMO_DEBTOR_ID, name: `Bench ${c + 1} B.V.`, currentYear: 2026, currentPeriod: 12 });
      const runIds: number[] = [];
      for (let i = 0; i < opts.runs; i++) {
        const year = 2026 - Math.floor((opts.runs - 1 - i) / 12);
        const period = (i % 12) + 1;
        const res = await fetch(`${nmbrs.url}/_control/companies/${nmbrsId}/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ year, periodStart: period, isLocked: true, description: `Bench run ${i + 1}`, journal: journal(year, period, opts.lines) }),
        });
        if (!res.ok) throw new Error(`run ${i}: ${res.status} ${await res.text()}`);
        runIds.push(((await res.json()) as { id: number }).id);
      }
      const years = [...new Set(Array.from({ length: opts.runs }, (_v, i) => 2026 - Math.floor((opts.runs - 1 - i) / 12)))];
      const ea = await fetch(`${eaccounting.url}/_control/companies`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `Bench ${c + 1} B.V.`, fiscalYears: years }) });
      companies.push({ nmbrsId, eaId: ((await ea.json()) as { id: string }).id, runIds });
    }
    await fetch(`${eaccounting.url}/_control/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: BENCH_EMAIL, password: DEMO_PASSWORD, companies: companies.map((c) => c.eaId) }),
    });
    await api('POST', '/tenants', { id: 'bench', name: 'Bench' });

    // One authorisation per company, each a browser trip: login → Toestaan → pick the company → callback.
    const ids: string[] = [];
    for (const [i, c] of companies.entries()) {
      const conn = await api('POST', '/connections', { tenantId: 'bench', system: 'eaccounting', name: `Visma bench ${i + 1}` });
      const b = new Browser();
      const login = await b.go(`${stack.api.url}/connections/${conn.id}/authorize`, { headers: { 'x-api-key': key } });
      const consent = await b.submit(login, { Email: BENCH_EMAIL, Password: DEMO_PASSWORD });
      const picker = await b.submit(consent, {}, { name: 'consent', value: 'allow' });
      const done = await b.submit(picker, { CompanyId: c.eaId });
      if (!done.html.includes('Autorisatie gelukt')) throw new Error(`authorisation ${i + 1} failed: ${done.html.slice(0, 300)}`);
      const k = await api('POST', '/koppelingen', {
        tenantId: 'bench',
        type: 'nmbrs-eaccounting',
        name: `Bench ${i + 1}`,
        start: false,
        settings: { nmbrsCompanyId: c.nmbrsId, syncFromYear: 2026 - Math.floor((opts.runs - 1) / 12), syncFromPeriod: 1 },
        credentials: { nmbrs: { username: DEMO_USER.username, token: DEMO_USER.token, domain: DEMO_USER.domain } },
        connections: { eaccounting: conn.id },
      });
      ids.push(k.id as string);
    }
    for (const sim of [nmbrs, eaccounting]) {
      await fetch(`${sim.url}/_control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: opts.latencyMs }) });
    }

    const rows: string[][] = [];
    const measure = async (name: string, trigger: (id: string) => Promise<unknown>, cycleNo: number) => {
      proxies.nmbrs.reset();
      proxies.eaccounting.reset();
      eaccounting.state.resetStats();
      const postsBefore = eaccounting.state.stats.voucherPosts;
      const t0 = performance.now();
      await Promise.all(ids.map((id) => trigger(id)));
      const results = new Map<string, string>();
      for (;;) {
        for (const id of ids) {
          if (results.has(id)) continue;
          const k = await api('GET', `/koppelingen/${id}`);
          if (k.live?.lastCycle?.cycleNo >= cycleNo && k.live.state !== 'RUNNING') results.set(id, k.live.lastCycle.result);
        }
        if (results.size === ids.length) break;
        await sleep(100);
      }
      const wall = performance.now() - t0;
      const apiMs = proxies.nmbrs.busyMs + proxies.eaccounting.busyMs;
      const posts = eaccounting.state.stats.voucherPosts - postsBefore;
      const peak = Object.entries(eaccounting.state.stats.peakPerMinute).sort((a, b) => b[1] - a[1]);
      const resultCounts = [...results.values()].reduce<Record<string, number>>((acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }), {});
      rows.push([
        name,
        secs(wall),
        secs(apiMs),
        `${proxies.nmbrs.calls} / ${proxies.eaccounting.calls}`,
        String(posts),
        posts ? (proxies.eaccounting.calls / posts).toFixed(2) : '-',
        peak.length ? `${peak[0][1]} (${peak[0][0]})` : '-',
        Object.entries(resultCounts).map(([r, n]) => `${n} ${r}`).join(', '),
      ]);
      console.log(`  ${name}: eAccounting calls ${[...proxies.eaccounting.byEndpoint].map(([op, n]) => `${op} ${n}`).join(', ') || 'none'}`);
      console.log(`    peak requests per minute per endpoint: ${peak.map(([e, n]) => `${e} ${n}`).join(', ') || 'none'}`);
    };

    await measure('first sync', (id) => api('POST', `/koppelingen/${id}/start`), 1);
    await measure('idle cycle', (id) => api('POST', `/koppelingen/${id}/sync`, { reason: 'bench idle' }), 2);
    for (const c of companies) for (const runId of c.runIds) nmbrs.state.recalculateRun(runId, 1.01);
    await measure('correction', (id) => api('POST', `/koppelingen/${id}/sync`, { reason: 'bench recalculated' }), 3);

    const head = ['round', 'wall', 'API time', 'calls Nmbrs / eA', 'vouchers', 'eA calls per voucher', 'peak req/min/endpoint', 'cycles'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
    const all = eaccounting.state.data.companies.flatMap((c) => c.vouchers.map((v) => v.VoucherText.split(' ')[0]));
    const bench = all.filter((r) => r.startsWith('NMBRS-30'));
    console.log(
      `\n${bench.length} vouchers (expected ${3 * opts.companies * opts.runs}: runs + reversals + new versions); ${new Set(bench).size === bench.length ? 'every reference once' : 'DUPLICATE REFERENCES'}.`,
    );
  } finally {
    await stack.stop();
    await Promise.all([proxies.nmbrs.close(), proxies.eaccounting.close(), nmbrs.close(), eaccounting.close()]);
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
