/**
 * Benchmark of the Nmbrs ↔ Mijn Kantoor koppeling on the real embedded stack (FerretDB, Temporal
 * dev server, worker and admin API from src/dev/stack.ts; both simulators with simulated latency):
 *
 *   node dist/scripts/bench-mijnkantoor.js [--companies 50] [--runs 12] [--relations 200] [--concurrency 4] [--latency 20]
 *
 * N bench companies in Nmbrs (each with employees and R locked runs in 2026) match N customers in
 * Mijn Kantoor. Measured: the first hour (every payslip and SEPA file filed), an idle hour (nothing
 * changed: list calls only, per company) and a bulk jaarwerk request for M further relations (one
 * locked year each, 15 annual documents per relation): wall time, calls per system, the Nmbrs
 * simulator's busiest second against the Nmbrs rate budget, and the bulk's peak concurrency.
 * Figures only: nothing here asserts timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../src/dev/stack';
import { ANNUAL_DOCUMENTS, annualDocumentCall } from '../src/systems/nmbrs/annual-documents';
import { DEMO_DEBTOR_ID, DEMO_USER, startNmbrsSimulator } from '../src/systems/nmbrs/simulator';
import { nmbrsSystem } from '../src/systems/nmbrs/system';
import { DEMO_DIRECTORIES, DEMO_TENANT, DEMO_TOKEN, startMijnKantoorSimulator } from '../src/systems/mijnkantoor/simulator';

interface Options {
  companies: number;
  runs: number;
  relations: number;
  concurrency: number;
  latencyMs: number;
}

const USAGE = 'usage: bench-mijnkantoor [--companies 50] [--runs 12] [--relations 200] [--concurrency 4] [--latency 20]';

function parseArgs(argv: string[]): Options {
  const opts: Options = { companies: 50, runs: 12, relations: 200, concurrency: 4, latencyMs: 20 };
  const flags: Record<string, keyof Options> = { '--companies': 'companies', '--runs': 'runs', '--relations': 'relations', '--concurrency': 'concurrency', '--latency': 'latencyMs' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = Number(inline ?? argv[++i]);
    if (!(flag in flags) || !Number.isInteger(value) || value < 0) {
      console.error(`bad option ${argv[i]}\n${USAGE}`);
      process.exit(2);
    }
    opts[flags[flag]] = value;
  }
  if (opts.runs < 1 || opts.runs > 12 || opts.concurrency < 1 || opts.concurrency > 16) {
    console.error(`--runs is 1–12, --concurrency 1–16\n${USAGE}`);
    process.exit(2);
  }
  return opts;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelwerk-bench-mijnkantoor-'));
  const nmbrs = await startNmbrsSimulator({ port: 0 });
  const mk = await startMijnKantoorSimulator({ port: 0 });
  console.log(
    `bench-mijnkantoor: ${opts.companies} companies × ${opts.runs} runs, bulk jaarwerk for ${opts.relations} relations (concurrency ${opts.concurrency}), ` +
      `simulated latency ${opts.latencyMs} ms per call; starting the stack ...`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, NMBRS_BASE_URL: nmbrs.url, MIJNKANTOOR_BASE_URL: mk.url };
  delete env.MONGODB_URI;
  delete env.TEMPORAL_ADDRESS;
  const stack = await startStack({ dataDir, quiet: true, ui: false, env, worker: 'in-process' });
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': stack.keys.KOPPELWERK_OPERATOR_API_KEY },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as any;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const tenant = mk.state.tenant(DEMO_TENANT)!;
  const addCompanies = (from: number, count: number, year: number, runs: number) => {
    for (let i = 0; i < count; i++) {
      const id = from + i;
      nmbrs.state.addCompany({ id, debtorId: DEMO_DEBTOR_ID, number: id, name: `Bench ${id} B.V.`, currentYear: year, currentPeriod: 12 });
      nmbrs.state.addEmployees(id, Array.from({ length: 3 }, () => ({})));
      for (let p = 1; p <= runs; p++) nmbrs.state.addRun(id, { year, periodStart: p, isLocked: true });
      mk.state.addCustomer(tenant, { number: String(id), name: `Bench ${id} B.V.`, type: 'business', kvk_number: null, email: null, address: null });
    }
  };
  const counts = () => ({ nmbrs: nmbrs.stats.snapshot().totals.requests, mk: Object.values(mk.state.data.calls).reduce((a, b) => a + b, 0) });
  try {
    addCompanies(10_000, opts.companies, 2026, opts.runs);
    for (const sim of [nmbrs, mk]) sim.faults.set({ latencyMs: opts.latencyMs });
    await api('POST', '/tenants', { id: 'bench', name: 'Bench' });
    const created = await api('POST', '/koppelingen', {
      tenantId: 'bench',
      type: 'nmbrs-mijnkantoor',
      name: 'Bench',
      start: false,
      settings: {
        syncFromYear: 2026,
        syncRelations: false,
        jaarwerkConcurrency: opts.concurrency,
        directories: { loonstroken: DEMO_DIRECTORIES.loonstroken, sepa: DEMO_DIRECTORIES.sepa, loonaangiftes: DEMO_DIRECTORIES.loonaangiftes, jaarwerk: DEMO_DIRECTORIES.jaarwerk },
      },
      credentials: { nmbrs: { clientId: DEMO_USER.username, clientSecret: DEMO_USER.token, tenantKey: DEMO_USER.domain }, mijnkantoor: { token: DEMO_TOKEN, tenant: DEMO_TENANT } },
    });
    const id = created.id as string;
    const rows: string[][] = [];
    const cycle = async (name: string, trigger: () => Promise<unknown>, cycleNo: number) => {
      const before = counts();
      nmbrs.faults.resetPeak();
      const t0 = performance.now();
      await trigger();
      let k: any;
      for (;;) {
        k = await api('GET', `/koppelingen/${id}`);
        if (k.live?.lastCycle?.cycleNo >= cycleNo && k.live.state !== 'RUNNING') break;
        await sleep(50);
      }
      const wall = performance.now() - t0;
      const after = counts();
      const companies = opts.companies + 2; // the two demo companies are matched too
      rows.push([name, secs(wall), String(after.nmbrs - before.nmbrs), String(after.mk - before.mk), ((after.nmbrs - before.nmbrs + after.mk - before.mk) / companies).toFixed(1), `${nmbrs.faults.rate.peakPerSecond}/s`, k.live.lastCycle.result]);
      console.log(`  ${name}: ${k.live.lastCycle.summary}`);
    };
    await cycle('first hour', () => api('POST', `/koppelingen/${id}/start`), 1);
    await cycle('idle hour', () => api('POST', `/koppelingen/${id}/sync`, { reason: 'bench idle' }), 2);

    // The bulk: further relations with a locked 2025, every AnnualDocument right on.
    addCompanies(20_000, opts.relations, 2025, 1);
    for (const [kind] of ANNUAL_DOCUMENTS) nmbrs.state.setCallActive(DEMO_USER.username, annualDocumentCall(kind), true);
    const relations = Array.from({ length: opts.relations }, (_, i) => String(20_000 + i));
    const before = counts();
    nmbrs.faults.resetPeak();
    const t0 = performance.now();
    await api('POST', '/jaarwerk', { tenantId: 'bench', requestId: 'bench-1', year: 2025, relations });
    let p: any;
    for (;;) {
      p = await api('GET', '/jaarwerk/bench-1?tenantId=bench');
      if (p.status === 'done' || p.status === 'waiting_retry') break;
      await sleep(200);
    }
    const wall = performance.now() - t0;
    const after = counts();
    rows.push([`bulk jaarwerk ${opts.relations}`, secs(wall), String(after.nmbrs - before.nmbrs), String(after.mk - before.mk), ((after.nmbrs - before.nmbrs + after.mk - before.mk) / opts.relations).toFixed(1), `${nmbrs.faults.rate.peakPerSecond}/s`, `${p.status}: ${p.done} done, ${p.failed} failed, ${p.uploaded} files, peak ${p.peakConcurrency} at once`]);

    const head = ['step', 'wall', 'Nmbrs calls', 'MK calls', 'calls per company', 'Nmbrs peak', 'result'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
    const items = tenant.items;
    const names = new Set(items.map((i) => `${i.customer_id}|${i.name}`));
    console.log(
      `\nNmbrs rate budget: ${nmbrsSystem.rateBudget.perSecond} activities/s on its queue (the contract's fair use: 150 calls/s). ` +
        `${items.length} files in Mijn Kantoor, ${names.size === items.length ? 'every name once' : 'DUPLICATE NAMES'}.`,
    );
  } finally {
    await stack.stop();
    await Promise.all([nmbrs.close(), mk.close()]);
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
