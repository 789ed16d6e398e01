/**
 * Idle due ticks of the types that got their probe later (nmbrs-eaccounting, nmbrs-mijnkantoor),
 * against real servers: FerretDB, the simulators over their wire protocols, the real activities and
 * the production workflow bundle on Temporal's time-skipping test server. For each: an unchanged
 * source gives an idle tick of at most 3 MongoDB operations (all reads), at most 15 history events
 * and only the probe's source calls; a change in the simulator is picked up by the next tick. For
 * eAccounting in manual mode, a send request no cycle has seen yet is picked up by the next tick too.
 *
 * The Visma connection is authorised through the admin API the way a user does it (browser trip);
 * the koppelingen themselves are written straight to MongoDB and run only on the time-skipping
 * server. MongoDB commands are counted on this process's own client: the worker's.
 */
import type { CommandStartedEvent } from 'mongodb';
import { createActivities } from '../../activities';
import type { ActivityDeps } from '../../activities/deps';
import { createNmbrsEaccountingRuns } from '../../activities/nmbrs-eaccounting/runs';
import { loadConfig } from '../../src/config';
import type { Cadence } from '../../src/domain/cadence';
import { freePort } from '../../src/dev/processes';
import { Browser } from '../../src/dev/browser';
import { demoSettings } from '../../src/koppelingen/nmbrs-mijnkantoor/demo';
import { openDeps } from '../../src/runtime';
import { DEMO_COMPANIES, DEMO_EMAIL, DEMO_PASSWORD } from '../../src/systems/eaccounting/simulator';
import { DEMO_TENANT, DEMO_TOKEN } from '../../src/systems/mijnkantoor/simulator/demo';
import { TASK_QUEUES } from '../../src/temporal/task-queues';
import { koppelingWorkflow } from '../../workflows/koppeling';
import { statusQuery, stopUpdate, type KoppelingStatusView } from '../../workflows/messages';
import { useTimeSkipping } from '../support/time-skipping';
import { Harness } from './harness';

jest.setTimeout(180_000);

const h = new Harness();
const ts = useTimeSkipping(require.resolve('../../workflows'));
let deps: ActivityDeps;
let key: string;
const TENANT = 'idletypes';
/** MongoDB commands the worker's client sent (handshakes and heartbeats left out). */
const commands: string[] = [];
const NOT_WORK = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'saslStart', 'saslContinue', 'buildInfo', 'getMore']);

beforeAll(async () => {
  const port = await freePort();
  await h.start({ simulators: ['nmbrs', 'eaccounting', 'mijnkantoor'], worker: 'none', env: { PORT: String(port), KOPPELWERK_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  key = await h.tenant(TENANT);
  deps = await openDeps(loadConfig(h.env), { monitorCommands: true });
  deps.store.client.on('commandStarted', (e: CommandStartedEvent) => {
    if (!NOT_WORK.has(e.commandName)) commands.push(`${e.commandName} ${String((e.command as Record<string, unknown>)[e.commandName])}`);
  });
});
afterAll(async () => {
  await deps?.store.close();
  await h.stop();
});

const NMBRS_CREDS = { username: 'demo@koppelwerk.nl', token: 'demo-nmbrs-token', domain: 'demo' };

async function create(id: string, type: string, cadence: Cadence, settings: Record<string, unknown>, credentials: Record<string, Record<string, string>>, connections: Record<string, string> = {}) {
  await deps.koppelingen.create({ _id: id, tenantId: TENANT, type, name: id, settings, cadence });
  for (const [system, secret] of Object.entries(credentials)) await deps.credentials.put(TENANT, id, system, secret);
  for (const [system, connectionId] of Object.entries(connections)) await deps.credentials.attach(id, system, connectionId);
  return ts.env.client.workflow.start(koppelingWorkflow, {
    workflowId: ts.track(`koppeling/${TENANT}/${id}`),
    taskQueue: TASK_QUEUES.workflows,
    args: [{ tenantId: TENANT, koppelingId: id, type, cadence }],
  });
}

type Handle = Awaited<ReturnType<typeof create>>;

async function settle(wf: Handle, until: (s: KoppelingStatusView) => boolean, what: string): Promise<KoppelingStatusView> {
  for (let i = 0; i < 300; i++) {
    const s = await wf.query(statusQuery);
    if (until(s)) return s;
    await ts.env.sleep('1s');
  }
  throw new Error(`${what} not reached; last status ${JSON.stringify(await wf.query(statusQuery))}`);
}

/** Let the next due tick happen and finish (its cycle, if any, done; the next due time set). */
async function nextTick(wf: Handle): Promise<KoppelingStatusView> {
  const due = Date.parse((await wf.query(statusQuery)).nextDueAt!);
  await ts.env.sleep(Math.max(1_000, due - (await ts.env.currentTimeMs()) + 1_000));
  return settle(wf, (s) => !!s.lastCheckedAt && Date.parse(s.lastCheckedAt) >= due && s.state === 'ACTIVE' && Date.parse(s.nextDueAt!) > Date.parse(s.lastCheckedAt), 'tick');
}

/** Ticks until one is idle (a cycle that wrote to the target may change what the probe sees once). */
async function untilIdle(wf: Handle): Promise<KoppelingStatusView> {
  let s = await nextTick(wf);
  for (let i = 0; i < 3 && !s.idleChecks; i++) s = await nextTick(wf);
  expect(s.idleChecks).toBeGreaterThanOrEqual(1);
  return s;
}

/** History events of the last tick: from its probe's scheduling to the timer it ends with, plus the wake-up. */
async function eventsOfLastTick(wf: Handle, probe: string): Promise<number> {
  const events = (await wf.fetchHistory()).events ?? [];
  const at = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).lastIndexOf(probe);
  const tail = events.slice(at);
  const end = tail.findIndex((e) => e.timerStartedEventAttributes);
  return end + 1 + 4;
}

/** One idle tick, measured: MongoDB commands, and the Nmbrs operations it made. */
async function idleTick(wf: Handle, probe: string, idleBefore: number) {
  await h.control('nmbrs', 'DELETE', '/stats');
  commands.length = 0;
  const cycles = (await wf.query(statusQuery)).cycleNo;
  const s = await nextTick(wf);
  expect(s.cycleNo).toBe(cycles);
  expect(s.idleChecks).toBe(idleBefore + 1);
  const mongo = [...commands];
  const nmbrs = (await h.control('nmbrs', 'GET', '/stats')).operations as Record<string, { requests: number }>;
  const events = await eventsOfLastTick(wf, probe);
  // eslint-disable-next-line no-console
  console.log(`${probe} idle tick: MongoDB ${mongo.length} (${mongo.join(', ')}); Nmbrs ${JSON.stringify(nmbrs)}; ${events} history events`);
  expect(mongo.length).toBeLessThanOrEqual(3);
  expect(mongo.every((c) => c.startsWith('find '))).toBe(true);
  expect(events).toBeLessThanOrEqual(15);
  return { s, mongo, nmbrs };
}

/** The Visma connection, authorised as a user does: our link → login → Toestaan → company → our callback page. */
async function authorisedVismaConnection(): Promise<string> {
  const created = await h.call('POST', '/connections', { key, body: { system: 'eaccounting', name: 'Visma idle' } });
  expect(created.status).toBe(201);
  const b = new Browser();
  const login = await b.go(`${h.url}/connections/${created.body.id}/authorize`, { headers: { 'x-api-key': key } });
  const consent = await b.submit(login, { Email: DEMO_EMAIL, Password: DEMO_PASSWORD });
  const picker = await b.submit(consent, {}, { name: 'consent', value: 'allow' });
  const done = await b.submit(picker, { CompanyId: DEMO_COMPANIES.ebBedrijf });
  expect(done.html).toContain('Autorisatie gelukt');
  return created.body.id as string;
}

test('nmbrs-eaccounting: an unchanged Nmbrs gives an idle tick (Run_GetList + the locked journals, no eAccounting); a recalculated journal and a pending manual send are picked up by the next tick', async () => {
  await h.control('nmbrs', 'POST', '/reset', {});
  const conn = await authorisedVismaConnection();
  const acts = createActivities(deps);
  await ts.withWorkers(acts, async () => {
    const id = 'ea-idle';
    const wf = await create(id, 'nmbrs-eaccounting', { kind: 'interval', everyMinutes: 60 }, { nmbrsCompanyId: 1001, syncFromYear: 2026, syncFromPeriod: 1 }, { nmbrs: NMBRS_CREDS }, { eaccounting: conn });
    let s = await settle(wf, (v) => v.lastCycle?.cycleNo === 1 && v.state === 'ACTIVE', 'first cycle');
    expect(s.lastCycle).toMatchObject({ result: 'ok' });
    expect(s.lastCycle!.counts.vouchers).toBeGreaterThan(0);
    s = await untilIdle(wf);

    await h.control('eaccounting', 'DELETE', '/stats');
    const tick = await idleTick(wf, 'nmbrsEaProbe', s.idleChecks!);
    expect(tick.mongo).toHaveLength(1); // the koppeling; credentials from the probe cache
    expect(Object.keys(tick.nmbrs).sort()).toEqual(['CompanyService:Journals_GetByRunCompany_v2', 'CompanyService:Run_GetList']);
    expect(tick.nmbrs['CompanyService:Run_GetList'].requests).toBe(1);
    expect(tick.nmbrs['CompanyService:Journals_GetByRunCompany_v2'].requests).toBe(tick.s.lastCycle!.counts.runs - (tick.s.lastCycle!.counts.nietVerwerkt ?? 0));
    const ea = (await h.control('eaccounting', 'GET', '/stats')) as { calls: Record<string, number> };
    expect(ea.calls).toEqual({});

    // Nmbrs recalculates a journal in place: only the journal shows it; the next tick corrects it.
    await h.control('nmbrs', 'POST', '/runs/41003/recalculate', {});
    s = await nextTick(wf);
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { gecorrigeerd: 1 } });
    const cycles = s.cycleNo;

    // Manual mode: a new processed run waits; a send request that no cycle was started for (the
    // API's start did not reach the workflow) is still sent by the next due tick.
    await deps.store.c.koppelingen.updateOne({ _id: id }, { $set: { 'settings.autoSend': false }, $inc: { version: 1 } });
    const run = await h.control<{ id: number }>('nmbrs', 'POST', '/companies/1001/runs', { year: 2026, periodStart: 11, periodEnd: 11, isLocked: true });
    s = await nextTick(wf);
    expect(s.cycleNo).toBe(cycles + 1);
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { wachtOpHandmatig: 1 } });
    const manual = await idleTick(wf, 'nmbrsEaProbe', 0);
    expect(manual.mongo).toHaveLength(2); // the koppeling and the send requests
    await createNmbrsEaccountingRuns(deps).sendRun(id, run.id);
    s = await nextTick(wf);
    expect(s.cycleNo).toBe(cycles + 2);
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { verstuurd: 1 } });
    await wf.executeUpdate(stopUpdate, { args: [] });
    await wf.result();
  }, ['nmbrs', 'eaccounting']);
});

test('nmbrs-mijnkantoor: an unchanged pair gives an idle hour (customers, companies, and per matched company its runs, loonaangiftes and employees); a recalculated run is filed at the next tick', async () => {
  await h.control('nmbrs', 'POST', '/reset', {});
  const acts = createActivities(deps);
  await ts.withWorkers(acts, async () => {
    const wf = await create('mk-idle', 'nmbrs-mijnkantoor', { kind: 'hourly', from: '07:00', to: '20:00', minute: 0 }, demoSettings(), { nmbrs: NMBRS_CREDS, mijnkantoor: { token: DEMO_TOKEN, tenant: DEMO_TENANT } });
    let s = await settle(wf, (v) => v.lastCycle?.cycleNo === 1 && v.state === 'ACTIVE', 'first cycle');
    expect(s.lastCycle).toMatchObject({ result: 'ok' });
    expect(s.lastCycle!.counts.gearchiveerd).toBeGreaterThan(0);
    s = await untilIdle(wf);

    await h.control('mijnkantoor', 'DELETE', '/stats');
    const tick = await idleTick(wf, 'nmkProbe', s.idleChecks!);
    expect(tick.mongo).toHaveLength(2); // the koppeling and the companies it created (ledger)
    const matched = tick.s.lastCycle!.counts.gekoppeld;
    expect(tick.nmbrs).toMatchObject({
      'CompanyService:Run_GetList': { requests: matched },
      'CompanyService:WageTax_GetList': { requests: matched },
      'EmployeeService:List_GetByCompany': { requests: matched },
    });
    const mk = (await h.control('mijnkantoor', 'GET', '/stats')) as { calls: Record<string, number> };
    // eslint-disable-next-line no-console
    console.log(`nmkProbe idle tick: Mijn Kantoor ${JSON.stringify(mk.calls)}`);
    expect(Object.keys(mk.calls)).toEqual(['GET /customers']);

    await h.control('nmbrs', 'POST', '/runs/41003/recalculate', {});
    s = await nextTick(wf);
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { nieuweVersie: 2 } }); // payslips and SEPA file
    await wf.executeUpdate(stopUpdate, { args: [] });
    await wf.result();
  }, ['nmbrs', 'mijnkantoor']);
});
