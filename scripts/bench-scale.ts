/**
 * Scale benchmark: N koppelingen of the shipped types on one stack, against the simulators.
 *
 *   node dist/scripts/bench-scale.js [--n 300] [--minutes 5] [--mix interval:1=1] [--types a,b] [--seed 1]
 *                                    [--concurrency 16] [--warmup-timeout 600] [--settle-timeout 180] [--backend sqlite|postgresql] [--create-only]
 *
 * Starts its own embedded stack on free ports (FerretDB, Temporal dev server, the worker as a child
 * process, admin API and simulators in this process), or uses the servers given by MONGODB_URI /
 * TEMPORAL_ADDRESS (the simulators are always used: no real system gets benchmark traffic).
 *
 * Phases:
 *  1. create N koppelingen through the admin API, `--concurrency` requests in flight: creation rate,
 *     request latency p50/p99, every non-2xx;
 *  2. warm-up: wait until every koppeling has finished its first cycle (the one its start triggers),
 *     then until every koppeling on an interval cadence has had an idle tick (`--settle-timeout`);
 *  3. quiet half of `--minutes`: nothing but the koppelingen runs; MongoDB commands (serverStatus
 *     metrics.commands, which FerretDB 1.24 and MongoDB both keep) and Temporal history events
 *     (entity workflows' growth by describe + the cycle child workflows' histories) per due tick
 *     (idle or not; the ticks come from the entity workflows' histories, see below);
 *  4. loaded half: the same, while two clients sample GET /koppelingen?limit=200 and GET /koppelingen/:id.
 *
 * Due vs ran and start lateness: a koppeling's due times are the grid its cadence and spread offset
 * give (nextDueSpread with spreadOffsetMs of its id, the same functions the workflow's local activity
 * calls). A due tick starts with its probe (workflows/probes.ts) and most ticks end there (idle: no
 * cycle child workflow), so a tick's start is the probe's ActivityTaskScheduled time in the entity
 * workflow's history; for a type without a probe (or a run from before it) it is the cycle child
 * workflow's start (StartChildWorkflowExecutionInitiated). Each due time in
 * the window is matched to the first cycle of that koppeling starting at or after it (1 s early
 * allowed for clock rounding); if that start is at or after the next due time, the due time counts
 * as missed. Lateness = start − that koppeling's own due time.
 *
 * Figures only: nothing here asserts timing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { embeddedBackend, startStack, type EmbeddedBackend } from '../src/dev/stack';
import { cadenceSchema, nextDueSpread, spreadOffsetMs, type Cadence } from '../src/domain/cadence';
import { connectTemporal } from '../src/temporal/client';
import { DEMO_FACTUURSJABLOON, DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2 } from '../src/systems/eboekhouden/simulator/demo';
import { DEMO_DEBTOR_ID, DEMO_USER } from '../src/systems/nmbrs/simulator';
import { DEMO_TOKEN } from '../src/systems/werkbonapp/simulator/demo';
import { cycleWorkflowType } from '../workflows/cycle';
import { statusQuery } from '../workflows/messages';
import { probeOf } from '../workflows/probes';
import { seededRandom } from '../src/domain/random';

const SHIPPED_TYPES = ['nmbrs-eboekhouden', 'eboekhouden-werkbonapp'] as const;
type ShippedType = (typeof SHIPPED_TYPES)[number];

interface MixEntry {
  label: string;
  cadence: Cadence;
  weight: number;
}

interface Options {
  n: number;
  minutes: number;
  mix: MixEntry[];
  types: ShippedType[];
  seed: number;
  concurrency: number;
  warmupTimeoutS: number;
  settleTimeoutS: number;
  /** Stop after phase 1 (creation): its figures alone, e.g. for the 1,000-in-2-minutes target. */
  createOnly: boolean;
  backend: EmbeddedBackend;
}

const USAGE =
  'usage: bench-scale [--n 300] [--minutes 5] [--mix "interval:1=0.7,hourly=0.2,daily=0.1"] [--types nmbrs-eboekhouden,eboekhouden-werkbonapp] [--seed 1] [--concurrency 16] [--warmup-timeout 600] [--settle-timeout 180] [--backend sqlite|postgresql] [--create-only]\n' +
  '  mix entries: interval:<minutes>, hourly (every hour at :00, all day), hourly:<minute>, daily (06:00), daily:<HH:MM>';

function fail(msg: string): never {
  console.error(`${msg}\n${USAGE}`);
  process.exit(2);
}

function parseCadence(spec: string): Cadence {
  const [kind, ...rest] = spec.split(':');
  const arg = rest.join(':');
  let c: unknown;
  if (kind === 'interval') c = { kind, everyMinutes: Number(arg || 15) };
  else if (kind === 'hourly') c = { kind, from: '00:00', to: '23:59', minute: Number(arg || 0) };
  else if (kind === 'daily') c = { kind, at: arg || '06:00' };
  else fail(`unknown cadence "${spec}"`);
  const parsed = cadenceSchema.safeParse(c);
  if (!parsed.success) fail(`bad cadence "${spec}": ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { n: 300, minutes: 5, mix: [], types: [...SHIPPED_TYPES], seed: 1, concurrency: 16, warmupTimeoutS: 600, settleTimeoutS: 180, backend: 'postgresql', createOnly: false };
  let mix = 'interval:1=1';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--create-only') {
      opts.createOnly = true;
      continue;
    }
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = inline ?? argv[++i];
    if (value === undefined) fail(`${flag} needs a value`);
    if (flag === '--n') opts.n = Number(value);
    else if (flag === '--minutes') opts.minutes = Number(value);
    else if (flag === '--mix') mix = value;
    else if (flag === '--types') opts.types = value.split(',').map((t) => t.trim()) as ShippedType[];
    else if (flag === '--seed') opts.seed = Number(value);
    else if (flag === '--concurrency') opts.concurrency = Number(value);
    else if (flag === '--warmup-timeout') opts.warmupTimeoutS = Number(value);
    else if (flag === '--settle-timeout') opts.settleTimeoutS = Number(value);
    else if (flag === '--backend') {
      try {
        opts.backend = embeddedBackend(value);
      } catch {
        fail('--backend is sqlite or postgresql (bash scripts/bench-scale --backend both runs each in turn)');
      }
    } else fail(`unknown option ${flag}`);
  }
  if (!(Number.isInteger(opts.n) && opts.n >= 1)) fail('--n is an integer >= 1');
  if (!(opts.minutes > 0)) fail('--minutes is > 0');
  if (!(Number.isInteger(opts.concurrency) && opts.concurrency >= 1)) fail('--concurrency is an integer >= 1');
  if (!Number.isFinite(opts.seed)) fail('--seed is a number');
  for (const t of opts.types) if (!SHIPPED_TYPES.includes(t)) fail(`unknown type ${t} (shipped: ${SHIPPED_TYPES.join(', ')})`);
  opts.mix = mix.split(',').map((part) => {
    const eq = part.lastIndexOf('=');
    const spec = (eq >= 0 ? part.slice(0, eq) : part).trim();
    const weight = eq >= 0 ? Number(part.slice(eq + 1)) : 1;
    if (!(weight > 0)) fail(`bad weight in "${part}"`);
    return { label: spec, cadence: parseCadence(spec), weight };
  });
  return opts;
}

/** Exactly proportional counts (largest remainder), shuffled with the seed. */
function assignMix(mix: MixEntry[], n: number, seed: number): MixEntry[] {
  const total = mix.reduce((s, m) => s + m.weight, 0);
  const exact = mix.map((m) => (m.weight / total) * n);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; counts.reduce((s, c) => s + c, 0) < n; k++) counts[order[k % order.length][1]]++;
  const out = mix.flatMap((m, i) => Array<MixEntry>(counts[i]).fill(m));
  const rand = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (v: number) => (Number.isNaN(v) ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

// --- processes: CPU and RSS from /proc --------------------------------------------------------------

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

function procStat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields after the comm: state(0) ppid(1) … utime(11) stime(12)
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return undefined;
  }
}

function procRssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function argv0(pid: number): string {
  try {
    return basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]);
  } catch {
    return '';
  }
}

/** The processes of this stack by role: this one, the worker, and FerretDB / Temporal when embedded. */
function stackProcesses(workerPid: number | undefined): Map<string, number> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (st) children.set(st.ppid, [...(children.get(st.ppid) ?? []), Number(name)]);
  }
  const roles = new Map<string, number>([['main (API, simulators, bench)', process.pid]]);
  if (workerPid) roles.set('worker', workerPid);
  const stack = [process.pid];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      stack.push(c);
      const a = argv0(c);
      if (a === 'ferretdb') roles.set('FerretDB', c);
      else if (a === 'postgres' && !roles.has('PostgreSQL')) roles.set('PostgreSQL', c); // the postmaster
      else if (a === 'temporal') roles.set('Temporal dev server', c);
    }
  }
  return roles;
}

/** Machine-wide busy CPU ticks and total ticks (all cores), to show how loaded the machine was. */
function machineTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((s, v) => s + v, 0);
  return { busy: total - f[3] - (f[4] ?? 0), total };
}

interface ProcSample {
  at: number;
  byRole: Map<string, { pid: number; ticks: number; rss: number }>;
  machine: { busy: number; total: number };
}

/** A process and its descendants (PostgreSQL works in one backend process per connection). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (st) children.set(st.ppid, [...(children.get(st.ppid) ?? []), Number(name)]);
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}

function sampleProcesses(workerPid: number | undefined): ProcSample {
  const byRole = new Map<string, { pid: number; ticks: number; rss: number }>();
  for (const [role, pid] of stackProcesses(workerPid)) {
    const pids = role === 'PostgreSQL' ? processTree(pid) : [pid];
    const ticks = pids.reduce((sum, p) => sum + (procStat(p)?.ticks ?? 0), 0);
    // Backends share the postmaster's buffers, so their RSS overlaps: the sum is an upper bound.
    byRole.set(role, { pid, ticks, rss: pids.reduce((sum, p) => sum + procRssBytes(p), 0) });
  }
  return { at: Date.now(), byRole, machine: machineTicks() };
}

// --- data dir size ------------------------------------------------------------------------------

/** The data dir's apparent size: FerretDB's SQLite files or PostgreSQL's data, Temporal's SQLite db (with -wal/-shm), total. */
function dataBytes(dataDir: string): { ferret: number; temporal: number; total: number } {
  const total = dirBytes(dataDir);
  const ferret = dirBytes(join(dataDir, 'ferretdb')) + dirBytes(join(dataDir, 'postgres'));
  let temporal = 0;
  for (const f of readdirSync(dataDir)) if (f.startsWith('temporal.db')) temporal += statSync(join(dataDir, f)).size;
  return { ferret, temporal, total };
}

function dirBytes(dir: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e);
    try {
      const st = statSync(p);
      total += st.isDirectory() ? dirBytes(p) : st.size;
    } catch {
      // a SQLite journal that vanished meanwhile
    }
  }
  return total;
}

// --- MongoDB commands (serverStatus metrics.commands: FerretDB 1.24 and MongoDB both keep it) -------

/** Driver and monitoring chatter, and our own serverStatus: not work of the koppelingen. */
const NOT_WORK = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'serverStatus', 'buildInfo', 'buildinfo', 'getParameter', 'saslStart', 'saslContinue', 'endSessions', 'unknown', 'getLog', 'getCmdLineOpts', 'hostInfo']);

async function dbCommandCounts(mongo: MongoClient): Promise<Map<string, number>> {
  const ss = (await mongo.db('admin').command({ serverStatus: 1 })) as { metrics?: { commands?: Record<string, unknown> } };
  const out = new Map<string, number>();
  const walk = (prefix: string, node: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(node)) {
      if (!v || typeof v !== 'object') continue;
      const rec = v as Record<string, unknown>;
      const total = rec.total;
      const n = typeof total === 'number' ? total : typeof total === 'object' && total !== null ? Number(String(total)) : NaN;
      if (Number.isFinite(n)) out.set(prefix + k, n);
      else walk(`${prefix}${k}.`, rec);
    }
  };
  walk('', ss.metrics?.commands ?? {});
  return out;
}

function dbDelta(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const d = new Map<string, number>();
  for (const [k, v] of b) {
    if (NOT_WORK.has(k)) continue;
    const diff = v - (a.get(k) ?? 0);
    if (diff > 0) d.set(k, diff);
  }
  return d;
}

// --- Temporal -------------------------------------------------------------------------------------

async function listWorkflows(client: Client, query: string): Promise<WorkflowExecutionInfo[]> {
  const out: WorkflowExecutionInfo[] = [];
  for await (const wf of client.workflow.list({ query })) out.push(wf);
  return out;
}

/** Current history length of every entity workflow (the latest run), by workflow id. */
async function entityHistories(client: Client, ids: string[]): Promise<Map<string, { runId: string; length: number }>> {
  const out = new Map<string, { runId: string; length: number }>();
  await pool(ids, 16, async (id) => {
    try {
      const d = await client.workflow.getHandle(id).describe();
      out.set(id, { runId: d.runId, length: d.historyLength });
    } catch {
      // not there (yet): counts as nothing
    }
  });
  return out;
}

/** Events added between two snapshots; a continue-as-new in between adds the old run's remainder. */
async function historyGrowth(client: Client, before: Map<string, { runId: string; length: number }>, after: Map<string, { runId: string; length: number }>): Promise<number> {
  let growth = 0;
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b) growth += a.length;
    else if (b.runId === a.runId) growth += a.length - b.length;
    else {
      const old = await client.workflow.getHandle(id, b.runId).describe().catch(() => undefined);
      growth += (old?.historyLength ?? b.length) - b.length + a.length;
    }
  }
  return growth;
}

/** Milliseconds of a history event time (a protobuf Timestamp). */
function eventMs(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;
}

/**
 * Due ticks and cycles per koppeling from the entity workflows' histories (every run seen in the
 * snapshots): a tick is a probe scheduled (or, without a probe, a cycle child started); a cycle is a
 * child started.
 */
async function ticksFromHistories(
  client: Client,
  snapshots: Array<Map<string, { runId: string; length: number }>>,
  probeNames: Set<string>,
): Promise<Map<string, { ticks: number[]; cycles: number[] }>> {
  const out = new Map<string, { ticks: number[]; cycles: number[] }>();
  const runs = new Map<string, Set<string>>();
  for (const snap of snapshots) for (const [id, r] of snap) runs.set(id, (runs.get(id) ?? new Set()).add(r.runId));
  await pool([...runs], 8, async ([id, ids]) => {
    const probes: number[] = [];
    const children: number[] = [];
    for (const runId of ids) {
      const history = await client.workflow.getHandle(id, runId).fetchHistory().catch(() => undefined);
      for (const e of history?.events ?? []) {
        const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
        if (name && probeNames.has(name)) probes.push(eventMs(e.eventTime));
        if (e.startChildWorkflowExecutionInitiatedEventAttributes) children.push(eventMs(e.eventTime));
      }
    }
    out.set(id.split('/')[2], { ticks: (probes.length ? probes : children).sort((a, b) => a - b), cycles: children.sort((a, b) => a - b) });
  });
  return out;
}

// --- main ---------------------------------------------------------------------------------------

interface Call {
  kind: string;
  status: number;
  ms: number;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const external = { mongo: !!process.env.MONGODB_URI, temporal: !!process.env.TEMPORAL_ADDRESS };
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelwerk-bench-scale-'));
  const tenantId = `bench-${Date.now().toString(36)}`;
  const assignment = assignMix(opts.mix, opts.n, opts.seed);
  console.log(
    `bench-scale: ${opts.n} koppelingen (${opts.types.join(', ')}, round robin), mix ${opts.mix.map((m) => `${m.label}=${m.weight}`).join(',')}, ` +
      `${opts.minutes} min measured, seed ${opts.seed}; ${external.mongo ? 'MongoDB from MONGODB_URI' : `embedded FerretDB on ${opts.backend === 'postgresql' ? 'PostgreSQL' : 'SQLite'}`}, ` +
      `${external.temporal ? 'Temporal from TEMPORAL_ADDRESS' : 'embedded Temporal dev server'}; data in ${dataDir}`,
  );
  // Always the simulators: a configured real system must never get benchmark traffic.
  const env: NodeJS.ProcessEnv = { ...process.env, NMBRS_BASE_URL: '', EBOEKHOUDEN_BASE_URL: '', WERKBONAPP_BASE_URL: '' };
  const stack = await startStack({ dataDir, quiet: true, ui: false, env, worker: 'child', backend: opts.backend });
  const { client, connection } = await connectTemporal(stack.config);
  const mongo = new MongoClient(stack.config.MONGODB_URI, { serverSelectionTimeoutMS: 5_000, appName: 'koppelwerk-bench' });
  await mongo.connect();
  const key = stack.keys.KOPPELWERK_OPERATOR_API_KEY;
  const calls: Call[] = [];
  const call = async (kind: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const t0 = performance.now();
    let status = 0;
    let json: any;
    try {
      const res = await fetch(`${stack.api.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = res.status;
      json = await res.json().catch(() => undefined);
    } catch (err) {
      json = { error: err instanceof Error ? err.message : String(err) };
    }
    calls.push({ kind, status, ms: performance.now() - t0 });
    return { status, json };
  };
  const ids: string[] = [];
  const cadenceOf = new Map<string, Cadence>();
  const rows: Array<[string, string]> = [];
  const section = (title: string) => rows.push([`— ${title}`, '']);
  const row = (name: string, value: string) => rows.push([name, value]);
  const sizes: Record<string, ReturnType<typeof dataBytes>> = { start: dataBytes(dataDir) };
  try {
    // --- simulator accounts: one empty Nmbrs company per journal koppeling (a target each: the
    // API refuses two koppelingen booking the same company into one administration), and no
    // werkbonnen in WerkbonApp, so every cycle after the first is idle.
    stack.werkbonapp!.state.reset(false);
    // Each koppeling is another client with accounts of its own: the outgoing call limiter paces
    // every external account at its budget, and a firm's clients do not share one login. Own
    // e-Boekhouden user (with its own seeded administratie), own Nmbrs API user, own WerkbonApp token.
    const accounts = assignment.map((_m, i) => ({
      eboekhouden: { username: `bench-eb-${i + 1}`, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 },
      nmbrs: { username: `bench-${i + 1}@koppelwerk.nl`, token: `bench-nmbrs-token-${i + 1}`, domain: DEMO_USER.domain },
      werkbonapp: { token: `bench-wba-token-${i + 1}` },
    }));
    for (const a of accounts) {
      stack.eboekhouden!.state.upsertUser(a.eboekhouden);
      stack.nmbrs!.state.upsertUser({ ...structuredClone(DEMO_USER), ...a.nmbrs });
    }
    stack.werkbonapp!.state.setTokens([DEMO_TOKEN, ...accounts.map((a) => a.werkbonapp.token)]);
    const created = await call('setup', 'POST', '/tenants', { id: tenantId, name: 'Bench scale' });
    if (created.status >= 300) throw new Error(`POST /tenants: ${created.status} ${JSON.stringify(created.json)}`);
    const bodies = assignment.map((m, i) => {
      const type = opts.types[i % opts.types.length];
      const name = `Bench ${i + 1} (${m.label})`;
      if (type === 'nmbrs-eboekhouden') {
        const companyId = 900_000 + i;
        stack.nmbrs!.state.addCompany({ id: companyId, debtorId: DEMO_DEBTOR_ID, name: `Bench ${i + 1} B.V.`, currentYear: 2026, currentPeriod: 12 });
        return {
          tenantId,
          type,
          name,
          cadence: m.cadence,
          settings: { nmbrsCompanyId: companyId, syncFromYear: 2026, syncFromPeriod: 1 },
          credentials: { nmbrs: accounts[i].nmbrs, eboekhouden: accounts[i].eboekhouden },
        };
      }
      return {
        tenantId,
        type,
        name,
        cadence: m.cadence,
        settings: {
          import: { relaties: true, materialen: true, uursoorten: true },
          export: { factuur: true, factuursjabloon: DEMO_FACTUURSJABLOON, betalingstermijn: 14, verwerkenInBoekhouding: true, exporteerRelaties: true },
        },
        credentials: { eboekhouden: accounts[i].eboekhouden, werkbonapp: accounts[i].werkbonapp },
      };
    });

    // --- 1. creation ------------------------------------------------------------------------------
    console.log(`[bench] creating ${opts.n} koppelingen, ${opts.concurrency} requests in flight …`);
    const createErrors: string[] = [];
    const tc0 = performance.now();
    await pool(bodies, opts.concurrency, async (body, i) => {
      const res = await call('create', 'POST', '/koppelingen', body);
      if (res.status === 201 || res.status === 200) {
        ids.push(res.json.id as string);
        cadenceOf.set(res.json.id as string, assignment[i].cadence);
      } else if (createErrors.length < 5) createErrors.push(`${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    });
    const createS = (performance.now() - tc0) / 1000;
    const createLat = calls.filter((c) => c.kind === 'create').map((c) => c.ms);
    sizes.created = dataBytes(dataDir);
    for (const e of createErrors) console.log(`  create refused: ${e}`);
    if (opts.createOnly) {
      const statuses = new Map<number, number>();
      for (const c of calls.filter((x) => x.kind === 'create')) statuses.set(c.status, (statuses.get(c.status) ?? 0) + 1);
      console.log(
        `\ncreation (POST /koppelingen, --create-only)\n  rate                     ${(ids.length / createS).toFixed(1)} koppelingen/s (${ids.length} of ${opts.n} in ${createS.toFixed(1)} s, ${opts.concurrency} in flight; their first cycles start meanwhile)\n  latency p50 / p99 / max  ${ms(percentile(createLat, 50))} / ${ms(percentile(createLat, 99))} / ${ms(Math.max(...createLat))}\n  answers                  ${[...statuses].map(([st, n]) => `${st} × ${n}`).join(', ')}\n  machine                  load average now ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`,
      );
      return;
    }

    // --- 2. warm-up: every first cycle done -----------------------------------------------------
    console.log(`[bench] ${ids.length} created in ${createS.toFixed(1)} s; waiting for every first cycle …`);
    const tw0 = Date.now();
    const listAll = async (kind: string) => {
      const items: any[] = [];
      for (let offset = 0; ; offset += 200) {
        const res = await call(kind, 'GET', `/koppelingen?tenantId=${tenantId}&limit=200&offset=${offset}`);
        if (res.status !== 200) throw new Error(`GET /koppelingen: ${res.status} ${JSON.stringify(res.json)}`);
        items.push(...(res.json.items as any[]));
        if (items.length >= res.json.total || !res.json.items.length) return items;
      }
    };
    let pending = ids.length;
    for (;;) {
      // A refused listing (503 while busy) is counted with the other answers and tried again.
      const items = await listAll('warmup').catch(() => undefined);
      if (items) pending = items.filter((k) => !k.status?.lastSyncAt && !k.status?.lastOutcome).length;
      if (pending === 0 || Date.now() - tw0 > opts.warmupTimeoutS * 1000) break;
      await sleep(2_000);
    }
    // Settle: a cycle that wrote to a side its probe reads (the WerkbonApp import) is followed by one
    // more; wait until every koppeling on an interval cadence has had an idle tick, so the window
    // measures steady idle ticks (hourly and daily ones may not tick for hours: not waited for).
    const entityIdsOf = (id: string) => `koppeling/${tenantId}/${id}`;
    const ticking = ids.filter((id) => cadenceOf.get(id)?.kind === 'interval');
    let unsettled = ticking.length;
    for (;;) {
      const left: string[] = [];
      await pool(ticking, 16, async (id) => {
        const v = await client.workflow.getHandle(entityIdsOf(id)).query(statusQuery).catch(() => undefined);
        if (!v?.idleChecks) left.push(id);
      });
      unsettled = left.length;
      if (unsettled === 0 || Date.now() - tw0 > (opts.warmupTimeoutS + opts.settleTimeoutS) * 1000) break;
      await sleep(5_000);
    }
    const warmupS = (Date.now() - tw0) / 1000;
    console.log(
      `[bench] warm-up ${warmupS.toFixed(0)} s (${pending} without a finished first cycle, ${unsettled} of ${ticking.length} interval koppelingen without an idle tick yet); measuring ${opts.minutes} min …`,
    );

    // --- 3. quiet window ------------------------------------------------------------------------
    const entityIds = ids.map((id) => `koppeling/${tenantId}/${id}`);
    const halfMs = (opts.minutes * 60_000) / 2;
    const workerPid = () => stack.workerProcess?.pid;
    const workerPids = new Set<number>();
    const procSamples: ProcSample[] = [];
    const sampleNow = () => {
      const s = sampleProcesses(workerPid());
      const w = s.byRole.get('worker');
      if (w) workerPids.add(w.pid);
      procSamples.push(s);
      return s;
    };
    const h0 = await entityHistories(client, entityIds);
    const db0 = await dbCommandCounts(mongo).catch((err: unknown) => (console.log(`  serverStatus: ${String(err)}`), undefined));
    sizes.w0 = dataBytes(dataDir);
    const W0 = Date.now();
    const pQuiet0 = sampleNow();
    const procTimer = setInterval(sampleNow, 5_000);
    await sleep(halfMs);
    const db1 = await dbCommandCounts(mongo).catch(() => undefined);
    const Wq = Date.now();
    const pQuiet1 = sampleNow();
    const h1 = await entityHistories(client, entityIds);
    const entityGrowthQuiet = await historyGrowth(client, h0, h1);

    // --- 4. loaded window: API sampled -----------------------------------------------------------
    const pLoad0 = sampleNow();
    let sampling = true;
    const rand = seededRandom(opts.seed + 1);
    const pages = Math.max(1, Math.ceil(ids.length / 200));
    const sampler = async (which: number) => {
      for (let i = which; sampling; i++) {
        if (i % 2 === 0) await call('list', 'GET', `/koppelingen?tenantId=${tenantId}&limit=200&offset=${Math.floor(rand() * pages) * 200}`);
        else await call('get', 'GET', `/koppelingen/${ids[Math.floor(rand() * ids.length)]}`);
        await sleep(100);
      }
    };
    const samplers = [sampler(0), sampler(1)];
    await sleep(Math.max(0, W0 + 2 * halfMs - Date.now()));
    sampling = false;
    await Promise.all(samplers);
    const W1 = Date.now();
    const pLoad1 = sampleNow();
    clearInterval(procTimer);
    sizes.w1 = dataBytes(dataDir);

    // --- cycles from visibility (a few seconds for the last starts and closes to be indexed) ----
    await sleep(5_000);
    const h2 = await entityHistories(client, entityIds);
    const probeNames = new Set(opts.types.map((t) => probeOf(t)?.activity).filter((n): n is string => !!n));
    const perKoppeling = await ticksFromHistories(client, [h0, h1, h2], probeNames);
    const since = new Date(W0 - 2_000).toISOString();
    const cycles: WorkflowExecutionInfo[] = [];
    for (const t of opts.types) {
      const q = `WorkflowType = '${cycleWorkflowType(t)}' AND StartTime >= '${since}'`;
      for (const wf of await listWorkflows(client, q)) if (wf.workflowId.startsWith(`koppeling/${tenantId}/`)) cycles.push(wf);
    }
    // As the visibility query did for cycles: ticks from just before the window (the histories hold the warm-up's too).
    const startsOf = new Map<string, number[]>([...perKoppeling].map(([kid, x]) => [kid, x.ticks.filter((t) => t >= W0 - 2_000)]));
    const END_GRACE_MS = 20_000;
    let due = 0;
    let ran = 0;
    let extra = 0;
    const lateQuiet: number[] = [];
    const lateLoad: number[] = [];
    for (const id of ids) {
      const cadence = cadenceOf.get(id)!;
      const offset = spreadOffsetMs(cadence, id);
      const starts = (startsOf.get(id) ?? []).sort((a, b) => a - b);
      const used = new Set<number>();
      // From a minute before the window: a cycle due just before it may start just inside it;
      // it is matched (so not "extra") but not counted.
      let d = nextDueSpread(cadence, new Date(W0 - 60_000), offset).getTime();
      while (d <= W1 - END_GRACE_MS) {
        const nextD = nextDueSpread(cadence, new Date(d), offset).getTime();
        const k = starts.findIndex((s, idx) => !used.has(idx) && s >= d - 1_000);
        const matched = k >= 0 && starts[k] < nextD;
        if (matched) used.add(k);
        if (d >= W0) {
          due++;
          if (matched) {
            ran++;
            (d < Wq ? lateQuiet : lateLoad).push(Math.max(0, starts[k] - d));
          }
        }
        d = nextD;
      }
      extra += starts.filter((s, idx) => !used.has(idx) && s <= W1 - END_GRACE_MS).length;
    }
    const inQuiet = (t: number) => t >= W0 && t < Wq;
    const windowTicks = [...perKoppeling.values()].reduce((n, x) => n + x.ticks.filter((t) => t >= W0 && t < W1).length, 0);
    const quietTicks = [...perKoppeling.values()].reduce((n, x) => n + x.ticks.filter(inQuiet).length, 0);
    const quietFull = [...perKoppeling.values()].reduce((n, x) => n + x.cycles.filter(inQuiet).length, 0);

    // History events and MongoDB commands per cycle in the quiet window.
    const quietCycles = cycles.filter((c) => c.startTime.getTime() >= W0 && c.startTime.getTime() < Wq);
    let childEvents = quietCycles.reduce((s, c) => s + (c.historyLength || 0), 0);
    let childNote = 'visibility';
    if (quietCycles.length && quietCycles.every((c) => !c.historyLength)) {
      // This visibility store does not keep history lengths: describe a sample and scale.
      const sample = quietCycles.slice(0, 50);
      let sum = 0;
      for (const c of sample) sum += (await client.workflow.getHandle(c.workflowId, c.runId).describe()).historyLength;
      childEvents = (sum / sample.length) * quietCycles.length;
      childNote = `described ${sample.length} and scaled`;
    }
    const durations = cycles.filter((c) => c.closeTime).map((c) => c.closeTime!.getTime() - c.startTime.getTime());
    const running = cycles.filter((c) => !c.closeTime).length;
    const failedCycles = cycles.filter((c) => c.status.name !== 'COMPLETED' && c.status.name !== 'RUNNING').length;

    // --- the table --------------------------------------------------------------------------------
    const mixCounts = new Map<string, number>();
    for (const m of assignment) mixCounts.set(m.label, (mixCounts.get(m.label) ?? 0) + 1);
    section('run');
    row('koppelingen', `${ids.length} of ${opts.n} created (${opts.types.join(', ')}); mix ${[...mixCounts].map(([l, c]) => `${l} ${c}`).join(', ')}; seed ${opts.seed}`);
    row('window', `${((W1 - W0) / 60_000).toFixed(1)} min measured (quiet ${((Wq - W0) / 60_000).toFixed(1)} + under API load ${((W1 - Wq) / 60_000).toFixed(1)}), after a ${warmupS.toFixed(0)} s warm-up (first cycles, ${pending} unfinished; then until an idle tick, ${unsettled} not yet)`);
    const mStart = procSamples[0].machine;
    const mEnd = procSamples[procSamples.length - 1].machine;
    row('machine', `${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?'} cores, all processes busy ${(((mEnd.busy - mStart.busy) / (mEnd.total - mStart.total)) * 100).toFixed(0)} % of the machine during the window (ours and others'), load average now ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    section('creation (POST /koppelingen)');
    row('rate', `${(ids.length / createS).toFixed(1)} koppelingen/s (${ids.length} in ${createS.toFixed(1)} s, ${opts.concurrency} in flight)`);
    row('latency p50 / p99 / max', `${ms(percentile(createLat, 50))} / ${ms(percentile(createLat, 99))} / ${ms(Math.max(...createLat))}`);
    section('schedule (window, due times up to 20 s before its end)');
    row('due vs ran', `${due} due, ${ran} ran (${due ? ((ran / due) * 100).toFixed(1) : '–'} %), ${due - ran} missed; ${extra} extra cycles (catch-up, retry, manual)`);
    for (const [name, late] of [['start lateness quiet', lateQuiet], ['start lateness under API load', lateLoad], ['start lateness all', [...lateQuiet, ...lateLoad]]] as const) {
      row(`${name} p50 / p95 / p99 / max`, late.length ? `${ms(percentile(late, 50))} / ${ms(percentile(late, 95))} / ${ms(percentile(late, 99))} / ${ms(Math.max(...late))}  (n=${late.length})` : '–');
    }
    row('cycle duration p50 / p95 / max', `${ms(percentile(durations, 50))} / ${ms(percentile(durations, 95))} / ${durations.length ? ms(Math.max(...durations)) : '–'}  (${durations.length} closed, ${running} running, ${failedCycles} not completed)`);
    // Every tick in the quiet window counts (idle or not): all of the window's work divided by them.
    section(`per due tick (quiet window: ${quietTicks} ticks from the entity histories, ${quietTicks - quietFull} idle, ${quietFull} ran a cycle)`);
    if (db0 && db1) {
      const d = dbDelta(db0, db1);
      const total = [...d.values()].reduce((s, v) => s + v, 0);
      const top = [...d].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${(v / Math.max(1, quietTicks)).toFixed(2)}`);
      row('MongoDB commands', `${quietTicks ? (total / quietTicks).toFixed(2) : '–'} (${total} in the window, all clients; ${top.join(', ')})`);
    } else row('MongoDB commands', 'serverStatus not available');
    const histPerTick = quietTicks ? (entityGrowthQuiet + childEvents) / quietTicks : NaN;
    row('Temporal history events', `${histPerTick.toFixed(1)} (entity workflows +${entityGrowthQuiet}, cycle workflows ${Math.round(childEvents)} [${childNote}], ${quietCycles.length} cycle children started)`);
    section('processes (CPU in % of one core; RSS average / max over the window)');
    const cpu = (a: ProcSample, b: ProcSample, role: string) => {
      const x = a.byRole.get(role);
      const y = b.byRole.get(role);
      if (!x || !y || x.pid !== y.pid) return '–';
      return `${(((y.ticks - x.ticks) / CLK_TCK / ((b.at - a.at) / 1000)) * 100).toFixed(1)} %`;
    };
    const roles = [...new Set(procSamples.flatMap((s) => [...s.byRole.keys()]))];
    for (const role of roles) {
      const rss = procSamples.map((s) => s.byRole.get(role)?.rss ?? 0).filter((v) => v > 0);
      const avg = rss.reduce((s, v) => s + v, 0) / Math.max(1, rss.length);
      row(role, `CPU quiet ${cpu(pQuiet0, pQuiet1, role)}, under API load ${cpu(pLoad0, pLoad1, role)}; RSS ${mb(avg)} / ${mb(Math.max(0, ...rss))}`);
    }
    if (workerPids.size > 1) row('worker restarts', `${workerPids.size - 1} (pids ${[...workerPids].join(', ')})`);
    if (external.mongo) row('MongoDB', 'external (MONGODB_URI): not measured here');
    if (external.temporal) row('Temporal', 'external (TEMPORAL_ADDRESS): not measured here');
    section('data (FerretDB SQLite files + Temporal SQLite db, apparent size)');
    if (external.mongo && external.temporal) row('data dir', 'external servers: not measured');
    else {
      const hours = (W1 - W0) / 3_600_000;
      row('size', `empty ${mb(sizes.start.total)}, after creation ${mb(sizes.created.total)}, window start ${mb(sizes.w0.total)}, end ${mb(sizes.w1.total)}`);
      for (const part of ['total', 'ferret', 'temporal'] as const) {
        const grown = sizes.w1[part] - sizes.w0[part];
        const label = { total: 'growth in the window', ferret: '  of which FerretDB', temporal: '  of which Temporal' }[part];
        row(label, `${mb(grown)} (${mb(grown / hours)}/h; ${windowTicks ? (grown / 1024 / windowTicks).toFixed(1) : '–'} kB per due tick)`);
      }
    }
    section('admin API under load (2 clients, 100 ms pause)');
    for (const [kind, label] of [['list', 'GET /koppelingen?limit=200'], ['get', 'GET /koppelingen/:id']] as const) {
      const lat = calls.filter((c) => c.kind === kind).map((c) => c.ms);
      row(`${label} p50 / p99 / max`, lat.length ? `${ms(percentile(lat, 50))} / ${ms(percentile(lat, 99))} / ${ms(Math.max(...lat))}  (n=${lat.length})` : '–');
    }
    const bad = new Map<string, number>();
    for (const c of calls) if (c.status < 200 || c.status >= 300) bad.set(`${c.kind} ${c.status || 'no answer'}`, (bad.get(`${c.kind} ${c.status || 'no answer'}`) ?? 0) + 1);
    const fiveXx = calls.filter((c) => c.status >= 500 || c.status === 0).length;
    row('non-2xx answers', bad.size ? [...bad].map(([k, v]) => `${k}: ${v}`).join(', ') : 'none');
    row('5xx (or no answer)', `${fiveXx} of ${calls.length} requests`);
    const states = new Map<string, number>();
    for (const k of (await listAll('final').catch(() => [])) as any[]) states.set(k.status?.state ?? '?', (states.get(k.status?.state ?? '?') ?? 0) + 1);
    row('states at the end', [...states].map(([s, n]) => `${s} ${n}`).join(', '));

    const w = Math.max(...rows.filter((r) => r[1]).map((r) => r[0].length));
    console.log(`\n${rows.map(([a, b]) => (b ? `  ${a.padEnd(w)}  ${b}` : `\n${a}`)).join('\n')}\n`);
  } finally {
    if (external.temporal || external.mongo) {
      // Servers that outlive this run: unlink what it made (the embedded stack is thrown away whole).
      console.log(`[bench] stopping the ${ids.length} bench koppelingen of tenant ${tenantId} …`);
      await pool(ids, 8, async (id) => void (await call('cleanup', 'POST', `/koppelingen/${id}/stop`)));
    }
    await mongo.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await stack.stop();
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
