/**
 * Benchmark of the e-Boekhouden ↔ WerkbonApp koppeling on the real embedded stack (FerretDB, the
 * Temporal dev server, worker, admin API, both simulators with simulated latency):
 *
 *   node dist/scripts/bench-eboekhouden-werkbonapp.js [--werkbonnen 100,1000] [--eb-latency 50] [--wba-latency 30]
 *
 * Per size N: N completed, released werkbonnen wait in WerkbonApp; "start synchronisatie" (POST
 * /koppelingen/:id/sync) starts a cycle. Printed: wall time (sync → every werkbon Afgehandeld and
 * the cycle done), API time (every external call × its simulated latency: the simulators answer in
 * about a millisecond otherwise), their ratio (< 1: calls overlap), calls per werkbon, and the
 * latency from the sync request to each invoice existing in e-Boekhouden (p50/p95).
 * Figures only: nothing here asserts timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../src/dev/stack';
import { DEMO_FACTUURSJABLOON, DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2, DEMO_USERNAME, loadDemo } from '../src/systems/eboekhouden/simulator/demo';
import { DEMO_TOKEN } from '../src/systems/werkbonapp/simulator/demo';
import { INVOICE_BATCH_SIZE, INVOICE_LANES } from '../workflows/eboekhouden-werkbonapp';

interface Options {
  sizes: number[];
  ebLatencyMs: number;
  wbaLatencyMs: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { sizes: [100, 1000], ebLatencyMs: 50, wbaLatencyMs: 30 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = inline ?? argv[++i];
    if (flag === '--werkbonnen') opts.sizes = value.split(',').map((v) => Number(v.trim()));
    else if (flag === '--eb-latency') opts.ebLatencyMs = Number(value);
    else if (flag === '--wba-latency') opts.wbaLatencyMs = Number(value);
    else {
      console.error(`unknown option ${flag}\nusage: bench-eboekhouden-werkbonapp [--werkbonnen 100,1000] [--eb-latency 50] [--wba-latency 30]`);
      process.exit(2);
    }
  }
  if (opts.sizes.some((n) => !Number.isInteger(n) || n < 1) || !(opts.ebLatencyMs >= 0) || !(opts.wbaLatencyMs >= 0)) {
    console.error('--werkbonnen takes positive integers; latencies are milliseconds >= 0');
    process.exit(2);
  }
  return opts;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Released werkbonnen: hours of one or two hour types and a few materials, for the demo debtors. */
function werkbonnen(n: number, offset: number) {
  const debtors = ['REL001', 'REL002', 'K0001', 'K0002'];
  const hourTypes = ['ARB', 'ARBM', 'SPOED'];
  const materials = [
    ['MAT-KABEL', 2.15, 'Meter', 'Installatiekabel YMvK 3x2,5 mm²'],
    ['MAT-WCD', 8.95, 'Stuk', 'Wandcontactdoos dubbel met randaarde'],
    ['MAT-WAGO', 18.75, 'Doos', 'Wago lasklemmen 221-413 (doos 50 st.)'],
  ] as const;
  return Array.from({ length: n }, (_, i) => {
    const k = offset + i;
    return {
      WorkorderNo: `WB-BENCH-${String(k).padStart(5, '0')}`,
      CustomerDebtorNrInvoice: debtors[k % debtors.length],
      status: 'Compleet',
      WorkStatus: '1',
      Workperiods: [
        { WorkDate: '14-03-2025', BeginTime: '08:00', EndTime: `${10 + (k % 4)}:15`, Break: '15', HourType: hourTypes[k % 3], EmployeeNr: '11' },
        ...(k % 2 ? [{ WorkDate: '14-03-2025', BeginTime: '13:00', EndTime: '14:45', HourType: hourTypes[(k + 1) % 3], EmployeeNr: '12' }] : []),
      ],
      Materials: materials.slice(0, 1 + (k % 3)).map(([code, price, unit, name], j) => ({ MaterialCode: code, MaterialNr: 1 + ((k + j) % 5), MaterialPrice: price, MaterialUnit: unit, MaterialName: name })),
    };
  });
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelwerk-bench-eboekhouden-werkbonapp-'));
  console.log(`[bench] starting the stack in ${dataDir} …`);
  // Always the simulators: a configured real e-Boekhouden or WerkbonApp must never get benchmark invoices.
  // In-process worker: the figures in the README were measured that way.
  const stack = await startStack({ dataDir, quiet: true, worker: 'in-process', env: { ...process.env, EBOEKHOUDEN_BASE_URL: '', WERKBONAPP_BASE_URL: '', NMBRS_BASE_URL: '' } });
  const eb = stack.eboekhouden!;
  const wba = stack.werkbonapp!;
  const key = stack.keys.KOPPELWERK_OPERATOR_API_KEY;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.api.url}${path}`, { method, headers: { 'content-type': 'application/json', 'x-api-key': key }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json().catch(() => ({}))) as any;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const untilCycle = async (id: string, n: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = (await api('GET', `/koppelingen/${id}`)).live;
      if (live?.lastCycle?.cycleNo >= n && live.state !== 'RUNNING') return live;
      if (Date.now() > deadline) throw new Error(`cycle ${n} not done within ${timeoutMs} ms: ${JSON.stringify(live)}`);
      await sleep(100);
    }
  };

  const rows: string[] = [];
  try {
    await api('POST', '/tenants', { id: 'bench', name: 'Benchmark' });
    let offset = 0;
    for (const n of opts.sizes) {
      // A clean administration and WerkbonApp account per size; the koppeling imports the catalogue.
      loadDemo(eb.state);
      wba.state.reset(false);
      eb.faults.reset();
      wba.faults.reset();
      const created = await api('POST', '/koppelingen', {
        tenantId: 'bench',
        type: 'eboekhouden-werkbonapp',
        name: `Bench ${n}`,
        settings: { export: { factuursjabloon: DEMO_FACTUURSJABLOON, verwerkenInBoekhouding: true, exporteerRelaties: true } },
        credentials: {
          eboekhouden: { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 },
          werkbonapp: { token: DEMO_TOKEN },
        },
      });
      const id = created.id as string;
      await untilCycle(id, 1, 120_000); // first cycle: the import, nothing to invoice yet

      for (const w of werkbonnen(n, offset)) wba.state.addWorkorder(w);
      offset += n;
      eb.faults.set({ latencyMs: opts.ebLatencyMs });
      wba.faults.set({ latencyMs: opts.wbaLatencyMs });
      eb.state.calls = {};
      wba.state.calls.clear();
      const ebBefore = eb.faults.injected.requests;
      const wbaBefore = wba.faults.injected.requests;

      // Invoices are appended to the administration: stamp each the moment it appears.
      const facturen = eb.state.administratie().facturen;
      const seenAt: number[] = [];
      const t0 = Date.now();
      const watcher = setInterval(() => {
        const now = Date.now();
        while (seenAt.length < facturen.length) seenAt.push(now);
      }, 10);
      await api('POST', `/koppelingen/${id}/sync`, { reason: 'bench' });
      const live = await untilCycle(id, 2, 30 * 60_000);
      const wall = Date.now() - t0;
      clearInterval(watcher);
      while (seenAt.length < facturen.length) seenAt.push(Date.now());

      const afgehandeld = [...wba.state.workorders.values()].filter((w) => w.wire.scalars.status === 'Afgehandeld').length;
      const ebCalls = eb.faults.injected.requests - ebBefore;
      const wbaCalls = wba.faults.injected.requests - wbaBefore;
      const apiTime = ebCalls * opts.ebLatencyMs + wbaCalls * opts.wbaLatencyMs;
      const latencies = seenAt.map((t) => t - t0).sort((a, b) => a - b);
      const ok = facturen.length === n && afgehandeld === n && live.lastCycle.result === 'ok';
      const ops = Object.entries(eb.state.calls).map(([op, c]) => `${op} ${c}`).join(', ');
      const wops = [...wba.state.calls.entries()].map(([op, c]) => `${op} ${c}`).join(', ');
      console.log(`[bench] N=${n}: ${live.lastCycle.summary}`);
      console.log(`[bench]   e-Boekhouden calls: ${ops}`);
      console.log(`[bench]   WerkbonApp calls:   ${wops}`);
      rows.push(
        [
          String(n).padStart(6),
          secs(wall).padStart(9),
          secs(apiTime).padStart(9),
          (wall / apiTime).toFixed(2).padStart(6),
          `${(ebCalls / n).toFixed(2)} + ${(wbaCalls / n).toFixed(2)} = ${((ebCalls + wbaCalls) / n).toFixed(2)}`.padStart(20),
          secs(percentile(latencies, 50)).padStart(8),
          secs(percentile(latencies, 95)).padStart(8),
          `${facturen.length}/${n} invoices, ${afgehandeld} Afgehandeld${ok ? '' : '  ← INCOMPLETE'}`,
        ].join('  '),
      );
      eb.faults.reset();
      wba.faults.reset();
      await api('POST', `/koppelingen/${id}/stop`);
    }
  } finally {
    console.log('');
    console.log(`e-Boekhouden ↔ WerkbonApp, simulated latency e-Boekhouden ${opts.ebLatencyMs} ms, WerkbonApp ${opts.wbaLatencyMs} ms per call;`);
    console.log(`invoices in batches of ${INVOICE_BATCH_SIZE}, ${INVOICE_LANES} batches at a time (one e-Boekhouden session each).`);
    console.log(`     N       wall   API time   ratio  calls/werkbon (eB+WBA)   p50 inv  p95 inv  result`);
    for (const r of rows) console.log(r);
    console.log('wall: sync request → cycle done (all Afgehandeld); API time: calls × simulated latency; inv: sync request → invoice exists in e-Boekhouden');
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`[bench] ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
