/**
 * Benchmark of the Nmbrs → e-Boekhouden koppeling on the real embedded stack (FerretDB, the
 * Temporal dev server, worker and admin API from src/dev/stack.ts; both simulators with simulated
 * latency):
 *
 *   node dist/scripts/bench-nmbrs-eboekhouden.js [--runs 12] [--lines 500] [--latency 20]
 *
 * A bench company in the Nmbrs simulator gets N locked runs of M journal lines each (per employee:
 * gross wages, employer charges, wage tax, net wages). Three cycles are measured: the first sync
 * (every run new), an idle cycle (nothing changed) and a correction cycle (every run recalculated:
 * reversal + new version each). Every external call passes a timing proxy in front of its
 * simulator, so "API time" is measured per request, not estimated. Printed per cycle: wall time
 * (trigger → cycle done), API time, their ratio, calls (per system) and calls per run.
 * Figures only: nothing here asserts timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../src/dev/stack';
import { DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2, DEMO_USERNAME } from '../src/systems/eboekhouden/simulator/demo';
import { startEboekhoudenSimulator } from '../src/systems/eboekhouden/simulator';
import { DEMO_DEBTOR_ID, DEMO_USER, startNmbrsSimulator } from '../src/systems/nmbrs/simulator';
import { timingProxy } from './lib/timing-proxy';

/** The SOAPAction's operation, else the path (both systems here speak SOAP). */
const soapOperation = (req: IncomingMessage) => String(req.headers.soapaction ?? '').replace(/"/g, '').split('/').pop() || req.url || '?';

interface Options {
  runs: number;
  lines: number;
  latencyMs: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { runs: 12, lines: 500, latencyMs: 20 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = Number(inline ?? argv[++i]);
    if (flag === '--runs') opts.runs = value;
    else if (flag === '--lines') opts.lines = value;
    else if (flag === '--latency') opts.latencyMs = value;
    else {
      console.error(`unknown option ${flag}\nusage: bench-nmbrs-eboekhouden [--runs 12] [--lines 500] [--latency 20]`);
      process.exit(2);
    }
  }
  if (!(Number.isInteger(opts.runs) && opts.runs >= 1) || !(Number.isInteger(opts.lines) && opts.lines >= 4) || !(opts.latencyMs >= 0)) {
    console.error('--runs >= 1 and --lines >= 4 are integers; --latency is milliseconds >= 0');
    process.exit(2);
  }
  return opts;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const COMPANY = 2001;

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
  const date = `${year}${String(period).padStart(2, '0')}${String(last.getUTCDate()).padStart(2, '0')}`;
  return [{ date, period: `${period}/${year}`, lines: out }];
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelwerk-bench-nmbrs-eboekhouden-'));
  const nmbrs = await startNmbrsSimulator({ port: 0 });
  const eboekhouden = await startEboekhoudenSimulator({ port: 0 });
  const proxies = { nmbrs: await timingProxy(nmbrs.url, soapOperation), eboekhouden: await timingProxy(eboekhouden.url, soapOperation) };
  console.log(`bench-nmbrs-eboekhouden: ${opts.runs} runs × ${opts.lines} journal lines, simulated API latency ${opts.latencyMs} ms per call; starting the stack ...`);
  const env: NodeJS.ProcessEnv = { ...process.env, NMBRS_BASE_URL: proxies.nmbrs.url, EBOEKHOUDEN_BASE_URL: proxies.eboekhouden.url };
  delete env.MONGODB_URI;
  delete env.TEMPORAL_ADDRESS;
  // In-process worker: the figures in the README were measured that way.
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
  try {
    // The bench company and its runs, through the simulator's control API (not timed).
    nmbrs.state.addCompany({ id: COMPANY, debtorId: DEMO_DEBTOR_ID, name: 'Bench B.V.', currentYear: 2026, currentPeriod: 12 });
    const runIds: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const year = 2026 - Math.floor((opts.runs - 1 - i) / 12);
      const period = (i % 12) + 1;
      const res = await fetch(`${nmbrs.url}/_control/companies/${COMPANY}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ year, periodStart: period, isLocked: true, description: `Bench run ${i + 1}`, journal: journal(year, period, opts.lines) }),
      });
      if (!res.ok) throw new Error(`run ${i}: ${res.status} ${await res.text()}`);
      runIds.push(((await res.json()) as { id: number }).id);
    }
    for (const sim of [nmbrs, eboekhouden]) {
      await fetch(`${sim.url}/_control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: opts.latencyMs }) });
    }
    await api('POST', '/tenants', { id: 'bench', name: 'Bench' });
    const created = await api('POST', '/koppelingen', {
      tenantId: 'bench',
      type: 'nmbrs-eboekhouden',
      name: 'Bench',
      start: false,
      settings: { nmbrsCompanyId: COMPANY, syncFromYear: 2026 - Math.floor((opts.runs - 1) / 12), syncFromPeriod: 1 },
      credentials: {
        nmbrs: { username: DEMO_USER.username, token: DEMO_USER.token, domain: DEMO_USER.domain },
        eboekhouden: { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 },
      },
    });
    const id = created.id as string;

    const rows: string[][] = [];
    const measure = async (name: string, trigger: () => Promise<unknown>, cycleNo: number) => {
      proxies.nmbrs.reset();
      proxies.eboekhouden.reset();
      const t0 = performance.now();
      await trigger();
      let k: any;
      for (;;) {
        k = await api('GET', `/koppelingen/${id}`);
        if (k.live?.lastCycle?.cycleNo >= cycleNo && k.live.state !== 'RUNNING') break;
        await sleep(20);
      }
      const wall = performance.now() - t0;
      const apiMs = proxies.nmbrs.busyMs + proxies.eboekhouden.busyMs;
      const calls = proxies.nmbrs.calls + proxies.eboekhouden.calls;
      rows.push([
        name,
        secs(wall),
        secs(apiMs),
        `${Math.round((apiMs / wall) * 100)} %`,
        String(calls),
        `${proxies.nmbrs.calls} / ${proxies.eboekhouden.calls}`,
        (calls / opts.runs).toFixed(1),
        k.live.lastCycle.result,
      ]);
      const ops = [...proxies.nmbrs.byEndpoint, ...proxies.eboekhouden.byEndpoint].map(([op, n]) => `${op} ${n}`).join(', ');
      console.log(`  ${name}: ${k.live.lastCycle.summary}\n    calls: ${ops || 'none'}`);
    };

    await measure('first sync', () => api('POST', `/koppelingen/${id}/start`), 1);
    await measure('idle cycle', () => api('POST', `/koppelingen/${id}/sync`, { reason: 'bench idle' }), 2);
    for (const runId of runIds) nmbrs.state.recalculateRun(runId, 1.01);
    await measure('correction cycle', () => api('POST', `/koppelingen/${id}/sync`, { reason: 'bench recalculated' }), 3);

    const booked = eboekhouden.state.administratie().mutaties.filter((m) => m.Boekstuk.startsWith(`NMBRS-${COMPANY}-`));
    const refs = new Set(booked.map((m) => m.Boekstuk));
    const head = ['cycle', 'wall', 'API time', 'API/wall', 'calls', 'Nmbrs / e-B', 'calls per run', 'result'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
    console.log(
      `\n${booked.length} memorialen in e-Boekhouden (${opts.runs} runs booked + ${opts.runs} reversals + ${opts.runs} new versions expected: ${3 * opts.runs}); ` +
        `${refs.size === booked.length ? 'every reference once' : 'DUPLICATE REFERENCES'}.`,
    );
  } finally {
    await stack.stop();
    await Promise.all([proxies.nmbrs.close(), proxies.eboekhouden.close(), nmbrs.close(), eboekhouden.close()]);
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
