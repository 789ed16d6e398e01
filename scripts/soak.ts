/**
 * Kill soak (not part of `npm test`): every chosen koppeling type syncs against the simulators
 * with injected faults and 429s while the worker process is killed with SIGKILL at seeded random
 * moments and started again; at the end, in calm weather, every target system is checked.
 *
 *   bash scripts/soak [--minutes 10] [--kills N] [--seed S] [--types a,b] [--fault-rate 0.1] [--drain-minutes 10] [--min-gap 0]
 *
 * The types default to every type in the koppeling registry (src/koppelingen/index.ts); what the
 * soak knows of a type is its definition's `soak` (src/koppelingen/<type>/soak.ts). A type without
 * one is reported as not covered. Own embedded stack on free ports in a temp dir: FerretDB, the
 * Temporal dev server and the admin API in this process, the simulators in a process of their own
 * (src/dev/simulator-host.ts), the production worker
 * (`node dist/src/worker.js`) as a child that is killed and restarted.
 *
 * A kill counts as "during a write" when a ledger entry was being written at that moment: pending
 * with a live lease (postOnce between its begin and `posted`) just before the kill, and still pending
 * with the same lease token once the worker is dead, so that write never finished in the killed
 * process. Half the kills are aimed: they follow a write call reaching a simulator (the type's
 * `writes` counter) by 0–150 ms; the others land anywhere in the cycle.
 * Budget peaks: the busiest wall-clock second of requests each simulator received over the whole run
 * (fault injector's counter), against the system's declared `rateBudget.perSecond`.
 * Exit code 0 only when there are no duplicates, nothing is missing, every koppeling is ACTIVE and
 * no budget was exceeded.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { spawnDyingWithParent } from '../src/dev/die-with-parent';
import type { SimulatorHostReady } from '../src/dev/simulator-host';
import { startStack } from '../src/dev/stack';
import { REPO_ROOT } from '../src/repo-root';
import { DEFAULT_WORKFLOW_BUNDLE } from '../src/temporal/bundle';
import { seededRandom } from '../src/domain/random';
import { connectStore } from '../src/store/mongo';
import { KOPPELINGEN } from '../src/koppelingen';
import type { KoppelingDefinition, KoppelingSoak, SoakCheck, SoakContext } from '../src/koppelingen/koppeling';
import { SYSTEMS, type SystemId } from '../src/systems';

interface Options {
  minutes: number;
  kills: number;
  seed: number;
  types: string[];
  faultRate: number;
  drainMinutes: number;
  /** Least time between two kills, so cycles get somewhere between kills (0: as fast as the worker restarts). */
  minGapSeconds: number;
}

const USAGE = 'usage: soak [--minutes 10] [--kills N] [--seed S] [--types a,b] [--fault-rate 0.1] [--drain-minutes 10] [--min-gap 0]';

function parseArgs(argv: string[]): Options {
  const opts: Options = { minutes: 10, kills: Infinity, seed: Date.now() % 100_000, types: KOPPELINGEN.map((k) => k.type), faultRate: 0.1, drainMinutes: 10, minGapSeconds: 0 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = inline ?? argv[++i];
    if (flag === '--minutes') opts.minutes = Number(value);
    else if (flag === '--kills') opts.kills = Number(value);
    else if (flag === '--seed') opts.seed = Number(value);
    else if (flag === '--types') opts.types = value.split(',').map((t) => t.trim()).filter(Boolean);
    else if (flag === '--fault-rate') opts.faultRate = Number(value);
    else if (flag === '--drain-minutes') opts.drainMinutes = Number(value);
    else if (flag === '--min-gap') opts.minGapSeconds = Number(value);
    else {
      console.error(`unknown option ${flag}\n${USAGE}`);
      process.exit(2);
    }
  }
  const unknown = opts.types.filter((t) => !KOPPELINGEN.some((k) => k.type === t));
  if (unknown.length) {
    console.error(`unknown koppeling type(s): ${unknown.join(', ')}; registered: ${KOPPELINGEN.map((k) => k.type).join(', ')}`);
    process.exit(2);
  }
  if (!(opts.minutes > 0) || !(opts.kills > 0) || !Number.isInteger(opts.seed) || !(opts.faultRate >= 0 && opts.faultRate <= 1) || !(opts.drainMinutes > 0) || !(opts.minGapSeconds >= 0) || !opts.types.length) {
    console.error(USAGE);
    process.exit(2);
  }
  return opts;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const say = (line: string) => console.log(`[soak] ${line}`);

/** Simulated latency per system: every call waits this long before the simulator handles it. */
const LATENCY_MS: Partial<Record<SystemId, number>> = { nmbrs: 40, eboekhouden: 100, werkbonapp: 100 };
const DEFAULT_LATENCY_MS = 80;
const latencyOf = (s: SystemId) => LATENCY_MS[s] ?? DEFAULT_LATENCY_MS;
const POLL_MS = 20;

interface Soaked {
  def: KoppelingDefinition;
  soak: KoppelingSoak;
  id: string;
  /** When the writes counter was last seen to move. */
  lastWriteAt: number;
  writes: number;
  /** The writes counter when the kill phase began and when it ended. */
  writesAtStart: number;
  writesUnderKills?: number;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const chosen = opts.types.map((t) => KOPPELINGEN.find((k) => k.type === t)!);
  const notCovered = chosen.filter((k) => !k.soak).map((k) => k.type);
  const covered = chosen.filter((k): k is KoppelingDefinition & { soak: KoppelingSoak } => !!k.soak);
  if (!covered.length) {
    console.error(`none of ${opts.types.join(', ')} has a soak entry (src/koppelingen/<type>/soak.ts): nothing to soak`);
    process.exit(2);
  }
  const systems = [...new Set(covered.flatMap((k) => k.soak.systems))];
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelwerk-soak-'));
  say(`seed ${opts.seed}; types ${covered.map((k) => k.type).join(', ')}${notCovered.length ? ` (not covered: ${notCovered.join(', ')})` : ''}; faults ${opts.faultRate * 100} % incl. 429s`);
  // Every restart loads the build's workflow bundle (npm run build) instead of running webpack.
  if (!existsSync(DEFAULT_WORKFLOW_BUNDLE)) {
    console.error(`${DEFAULT_WORKFLOW_BUNDLE} is missing: run npm run build`);
    process.exit(2);
  }
  say(`starting the stack in ${dataDir} …`);

  // The simulators run in their own process (src/dev/simulator-host.ts): their per-second counts
  // must not include bursts that this process's own stalls would make of queued requests.
  const host = spawnDyingWithParent(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'dev', 'simulator-host.js'), ...systems], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }, 'SIGTERM');
  const simUrls = await new Promise<Record<string, string>>((resolve, reject) => {
    host.once('message', (m: SimulatorHostReady) => resolve(m.urls));
    host.once('exit', (code) => reject(new Error(`the simulator process exited during start-up (code ${code})`)));
  });
  host.removeAllListeners('exit');
  host.once('exit', (code, signal) => !stopping && say(`the simulator process exited (${signal ?? code}): the soak's figures are void`));

  let readyCount = 0;
  const startups = { n: 0, modulesMs: 0, depsMs: 0, afterGoMs: 0 };
  let onReady: (() => void) | undefined;
  const crashLines: string[] = [];
  const stack = await startStack({
    dataDir,
    quiet: true,
    worker: 'child',
    // Always the simulators: a configured real system must never get soak data.
    env: { ...process.env, ...Object.fromEntries(SYSTEMS.map((s) => [s.baseUrl.env, simUrls[s.id] ?? ''])) },
    workerSupervision: {
      backoff: { firstMs: 20, maxMs: 20 },
      // A spare process, loaded and connected to the store, takes over at once after each kill.
      standby: true,
      say: (line) => {
        if (!/killed by SIGKILL/.test(line) && !/worker is back/.test(line)) crashLines.push(line);
      },
      onReady: (_pid, startup) => {
        readyCount++;
        if (startup && readyCount > 1) {
          startups.n++;
          startups.modulesMs += startup.modulesMs;
          startups.depsMs += startup.depsMs;
          startups.afterGoMs += startup.readyMs - startup.goMs;
        }
        onReady?.();
      },
    },
  });
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    host.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    say('interrupted: stopping the stack');
    void stopAll().then(() => process.exit(130));
  });

  const key = stack.keys.KOPPELWERK_OPERATOR_API_KEY;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.api.url}${path}`, { method, headers: { 'content-type': 'application/json', 'x-api-key': key }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json().catch(() => ({}))) as any;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const control = async <T = any>(system: SystemId, method: string, path: string, body?: unknown): Promise<T> => {
    const url = simUrls[system];
    if (!url) throw new Error(`simulator ${system} is not running`);
    const res = await fetch(`${url}/_control${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${system} control ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const random = seededRandom(opts.seed);
  const ctx: SoakContext = { control, random, api, admin: { url: stack.api.url, key } };

  // This process's own stalls (the simulators no longer share its event loop), reported for reference.
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const started = Date.now();
  let exitCode: number;
  try {
    await api('POST', '/tenants', { id: 'soak', name: 'Kill soak' });
    const soaked: Soaked[] = [];
    for (const def of covered) {
      await def.soak.load(ctx, 0);
      const body = await def.soak.create(ctx);
      const created = await api('POST', '/koppelingen', { tenantId: 'soak', type: def.type, name: `Soak ${def.type}`, ...body });
      soaked.push({ def, soak: def.soak, id: created.id as string, lastWriteAt: 0, writes: 0, writesAtStart: 0 });
    }
    const fr = opts.faultRate;
    const faults = (s: SystemId, i: number) => ({
      latencyMs: latencyOf(s),
      errorRate: 0.4 * fr,
      timeoutRate: 0.15 * fr,
      timeoutMs: 2_000,
      malformedRate: 0.15 * fr,
      rateLimitRate: 0.3 * fr,
      retryAfterSeconds: 1,
      seed: opts.seed + i,
    });
    for (const [i, s] of systems.entries()) await control(s, 'POST', '/faults', faults(s, i));
    for (const k of soaked) k.writes = k.writesAtStart = await k.soak.writes(ctx);

    // Watch the write counters, so a kill knows whether a write was unanswered at that moment.
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const k of soaked) {
          const n = await k.soak.writes(ctx).catch(() => k.writes);
          if (n !== k.writes) {
            k.writes = n;
            k.lastWriteAt = Date.now();
          }
        }
        await sleep(POLL_MS);
      }
    })();
    // Ledger entries being written (pending, lease live): read straight from MongoDB.
    const store = await connectStore(stack.config.MONGODB_URI!, stack.config.MONGODB_DB);
    const writing = async () =>
      new Set(
        (await store.c.ledger.find({ status: 'pending', leaseUntil: { $gt: new Date() } }, { projection: { leaseToken: 1 } }).toArray()).map((d) => `${d._id}#${d.leaseToken}`),
      );

    let kills = 0;
    let duringWrite = 0;
    let restartMs = 0;
    let lastKillAt = 0;
    const deadLeases = new Set<string>();
    let round = 0;
    const deadline = started + opts.minutes * 60_000;
    while (kills < opts.kills && Date.now() < deadline) {
      round++;
      for (const k of soaked) await k.soak.load(ctx, round);
      for (const k of soaked) void api('POST', `/koppelingen/${k.id}/sync`, { reason: `soak ${round}` }).catch(() => undefined);
      await sleep(Math.max(0, lastKillAt + opts.minGapSeconds * 1000 - Date.now()));
      const roundStart = Date.now();
      if (random() < 0.6) {
        // Aimed: wait (bounded) for a write, then kill inside its latency window.
        // Bounded by about one heartbeat timeout: a killed attempt is retried only after it.
        const until = Date.now() + 3_000;
        while (Date.now() < until && !soaked.some((k) => k.lastWriteAt > roundStart)) await sleep(10);
        await sleep(Math.floor(random() * 150));
      } else {
        await sleep(200 + Math.floor(random() * 1_500)); // blind: wherever the cycle is
      }
      const pid = stack.workerProcess?.pid;
      if (!pid) throw new Error('no worker process to kill');
      const writingBefore = await writing();
      const back = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker not back within 60 s after kill ${kills + 1}: ${crashLines.slice(-5).join(' | ')}`)), 60_000);
        const before = readyCount;
        onReady = () => {
          if (readyCount > before) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      const killedAt = Date.now();
      lastKillAt = killedAt;
      process.kill(pid, 'SIGKILL');
      kills++;
      await new Promise<void>((r) => setTimeout(r, 0));
      // The worker is dead now (SIGKILL is immediate): what was being written before and still is, was cut off.
      // Leases of earlier killed attempts stay live for up to 10 s: those were cut off before, not now.
      const writingAfter = await writing();
      if ([...writingBefore].some((w) => writingAfter.has(w) && !deadLeases.has(w))) duringWrite++;
      for (const w of writingAfter) deadLeases.add(w); // the only worker is dead: every live lease now is an orphan
      await back;
      restartMs += Date.now() - killedAt;
      if (kills % 25 === 0) {
        const min = (Date.now() - started) / 60_000;
        say(`${kills} kills (${duringWrite} during a write) in ${min.toFixed(1)} min, ${(kills / min).toFixed(1)} per minute`);
      }
    }
    watching = false;
    await watcher;
    await store.close();
    for (const k of soaked) k.writesUnderKills = (await k.soak.writes(ctx)) - k.writesAtStart;
    const killPhaseMs = Date.now() - started;
    say(`kill phase over: ${kills} kills (${duringWrite} during a write) in ${(killPhaseMs / 60_000).toFixed(1)} min; calm weather, draining …`);

    // Calm weather: faults off, keep syncing until every target is complete and every koppeling ACTIVE (bounded).
    const peaks: Array<{ system: SystemId; peak: number; at: string; requests: number; injected: Record<string, number> }> = [];
    for (const s of systems) {
      const f = await control<{ injected: Record<string, number>; rate: { peakPerSecond: number; peakAt: string } }>(s, 'GET', '/faults');
      peaks.push({ system: s, peak: f.rate.peakPerSecond, at: f.rate.peakAt, requests: f.injected.requests, injected: f.injected });
      await control(s, 'POST', '/faults', {});
    }
    const drainStart = Date.now();
    const drainDeadline = drainStart + opts.drainMinutes * 60_000;
    let checks: SoakCheck[] = [];
    let states: string[] = [];
    let lastSync = 0;
    for (;;) {
      const lives = await Promise.all(soaked.map((k) => api('GET', `/koppelingen/${k.id}`).catch(() => ({}))));
      states = lives.map((l: any) => String(l.live?.state ?? l.status ?? '?'));
      checks = await Promise.all(soaked.map((k) => k.soak.check(ctx)));
      const done = lives.map((l: any, i) => checks[i].missing === 0 && l.live?.state === 'ACTIVE' && l.live?.lastCycle?.result === 'ok');
      if (done.every(Boolean)) break;
      if (Date.now() > drainDeadline) {
        say(`drain not complete within ${opts.drainMinutes} min`);
        break;
      }
      if (Date.now() - lastSync > 5_000) {
        lastSync = Date.now();
        // Only what is not done yet: a sync to a finished koppeling starts a cycle that is still
        // RUNNING at the next check (a journal cycle reads every locked run), so it never settles.
        for (const [i, k] of soaked.entries()) if (!done[i] && states[i] !== 'RUNNING') void api('POST', `/koppelingen/${k.id}/sync`, { reason: 'soak drain' }).catch(() => undefined);
      }
      // Each check fetches every item from the simulators, which share this process: not too often.
      await sleep(5_000);
    }
    const drainMs = Date.now() - drainStart;
    // The busiest second over the whole run: the drain, without faults, sends the most at once.
    for (const p of peaks) {
      const f = await control<{ injected: Record<string, number>; rate: { peakPerSecond: number; peakAt: string } }>(p.system, 'GET', '/faults');
      Object.assign(p, { peak: f.rate.peakPerSecond, at: f.rate.peakAt, requests: f.injected.requests });
    }

    // Report.
    const budget = (s: SystemId) => SYSTEMS.find((x) => x.id === s)?.rateBudget.perSecond;
    const over = peaks.filter((p) => budget(p.system) !== undefined && p.peak > budget(p.system)!);
    const duplicates = checks.reduce((a, c) => a + c.duplicates, 0);
    const missing = checks.reduce((a, c) => a + c.missing, 0);
    const notActive = states.filter((s) => s !== 'ACTIVE').length;
    console.log('');
    console.log(`Kill soak, seed ${opts.seed}, faults ${opts.faultRate * 100} % (5xx, hangs, malformed, 429), latency ${systems.map((s) => `${s} ${latencyOf(s)} ms`).join(', ')}`);
    console.log(
      `kills ${kills}, during a write ${duringWrite}; kill phase ${(killPhaseMs / 60_000).toFixed(1)} min (${(kills / (killPhaseMs / 60_000)).toFixed(1)} kills/min, ` +
        `kill → worker polling again ${(restartMs / Math.max(1, kills) / 1000).toFixed(1)} s on average), drain ${(drainMs / 1000).toFixed(0)} s`,
    );
    if (startups.n) {
      const avg = (v: number) => `${Math.round(v / startups.n)} ms`;
      console.log(`worker start-up on average: modules loaded ${avg(startups.modulesMs)} and store connected ${avg(startups.depsMs)} after the process began (a spare does this and creates its workers before the kill), polling ${avg(startups.afterGoMs)} after "go"`);
    }
    console.log('');
    console.log('type                       state     expected   items  duplicates  missing  writes under kills  detail');
    for (const [i, k] of soaked.entries()) {
      const c = checks[i];
      console.log(`${k.def.type.padEnd(26)} ${states[i].padEnd(8)} ${String(c.expected).padStart(9)} ${String(c.items).padStart(7)} ${String(c.duplicates).padStart(11)} ${String(c.missing).padStart(8)}  ${String(k.writesUnderKills ?? 0).padStart(18)}  ${c.detail ?? ''}`);
    }
    for (const t of notCovered) console.log(`${t.padEnd(26)} not covered (no soak entry in src/koppelingen/${t}/soak.ts)`);
    console.log('');
    console.log('system        requests  peak req/s  budget/s  injected under kills (5xx / hang / malformed / 429)   (requests and peak: kill phase + drain)');
    for (const p of peaks) {
      const b = budget(p.system);
      const i = p.injected;
      console.log(
        `${p.system.padEnd(13)} ${String(p.requests).padStart(8)} ${String(p.peak).padStart(11)} ${String(b ?? '-').padStart(9)}  ${i.errors} / ${i.timeouts} / ${i.malformed} / ${i.rateLimited}${b !== undefined && p.peak > b ? `  ← OVER at ${p.at}` : ''}`,
      );
    }
    const unexpected = crashLines.filter((l) => /crashed/.test(l)).length;
    if (unexpected) console.log(`worker exits not caused by the soak: ${unexpected}; last: ${crashLines.slice(-3).join(' | ')}`);
    console.log(`soak driver's event loop (the simulators run in their own process): longest stall ${Math.round(loopDelay.max / 1e6)} ms, p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms`);
    console.log('');
    const ok = duplicates === 0 && missing === 0 && notActive === 0 && over.length === 0;
    console.log(
      ok
        ? `OK: ${kills} kills, 0 duplicates, 0 missing, every koppeling ACTIVE, no budget exceeded`
        : `FAILED: duplicates ${duplicates}, missing ${missing}, not ACTIVE ${notActive}, budgets exceeded ${over.map((p) => p.system).join(', ') || 'none'}`,
    );
    exitCode = ok ? 0 : 1;
  } finally {
    await stopAll();
  }
  process.exit(exitCode);
}

main().catch((err) => {
  console.error(`[soak] ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
