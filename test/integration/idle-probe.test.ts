/**
 * Idle due ticks of nmbrs-eboekhouden and eboekhouden-werkbonapp (the types that got their probe
 * later: idle-probe-types.test.ts), against real servers: FerretDB, the simulators over
 * their wire protocols, the real activities and the production workflow bundle, on Temporal's
 * time-skipping test server (so a day passes at once; nothing here waits for the clock). For each
 * type: an unchanged source gives an idle tick that costs at most 3 MongoDB operations, at most 15
 * history events and only the probe's source calls; a change in the simulator is picked up by the
 * next tick.
 *
 * The koppelingen live in a database of their own (no API or reconciler touches it), so every
 * MongoDB command counted is the worker's.
 */
import type { CommandStartedEvent } from 'mongodb';
import { createActivities } from '../../activities';
import type { ActivityDeps } from '../../activities/deps';
import { loadConfig } from '../../src/config';
import type { Cadence } from '../../src/domain/cadence';
import { openDeps } from '../../src/runtime';
import { DEMO_FACTUURSJABLOON, DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2, DEMO_USERNAME } from '../../src/systems/eboekhouden/simulator/demo';
import { DEMO_TOKEN } from '../../src/systems/werkbonapp/simulator/demo';
import { TASK_QUEUES } from '../../src/temporal/task-queues';
import { koppelingWorkflow } from '../../workflows/koppeling';
import { statusQuery, stopUpdate, type KoppelingStatusView } from '../../workflows/messages';
import { useTimeSkipping } from '../support/time-skipping';
import { Harness } from './harness';

jest.setTimeout(180_000);

const h = new Harness();
const ts = useTimeSkipping(require.resolve('../../workflows'));
let deps: ActivityDeps;
/** MongoDB commands the worker's client sent (handshakes and heartbeats left out). */
const commands: string[] = [];
const NOT_WORK = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'saslStart', 'saslContinue', 'buildInfo', 'getMore']);

beforeAll(async () => {
  await h.start({ simulators: ['nmbrs', 'eboekhouden', 'werkbonapp'], worker: 'none' });
  deps = await openDeps(loadConfig({ ...h.env, MONGODB_DB: `${h.env.MONGODB_DB}_idle` }), { monitorCommands: true });
  deps.store.client.on('commandStarted', (e: CommandStartedEvent) => {
    if (!NOT_WORK.has(e.commandName)) commands.push(`${e.commandName} ${String((e.command as Record<string, unknown>)[e.commandName])}`);
  });
});
afterAll(async () => {
  await deps?.store.close();
  await h.stop();
});

const NMBRS_CREDS = { username: 'demo@koppelwerk.nl', token: 'demo-nmbrs-token', domain: 'demo' };
const EB_CREDS = { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 };

async function create(id: string, type: string, cadence: Cadence, settings: Record<string, unknown>, credentials: Record<string, Record<string, string>>, mapping?: Record<string, string>) {
  await deps.koppelingen.create({ _id: id, tenantId: 'idle', type, name: id, settings, cadence, ...(mapping ? { mapping } : {}) });
  for (const [system, secret] of Object.entries(credentials)) await deps.credentials.put('idle', id, system, secret);
  const wf = await ts.env.client.workflow.start(koppelingWorkflow, {
    workflowId: ts.track(`koppeling/idle/${id}`),
    taskQueue: TASK_QUEUES.workflows,
    args: [{ tenantId: 'idle', koppelingId: id, type, cadence }],
  });
  return wf;
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

/** History events of the last tick: from its probe's scheduling to the end. */
async function eventsOfLastTick(wf: Handle, probe: string): Promise<{ count: number }> {
  const events = (await wf.fetchHistory()).events ?? [];
  const at = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).lastIndexOf(probe);
  const tail = events.slice(at);
  // Up to and including the timer the tick ends with (the next one's start is the next tick's).
  const end = tail.findIndex((e) => e.timerStartedEventAttributes);
  const tick = tail.slice(0, end + 1);
  // Plus the timer-fired event and workflow task that woke it (before the probe was scheduled).
  return { count: tick.length + 4 };
}

const sum = (o: Record<string, number | { requests: number }> | undefined) =>
  Object.values(o ?? {}).reduce<number>((a, v) => a + (typeof v === 'number' ? v : v.requests), 0);

test('nmbrs-eboekhouden: an unchanged Nmbrs gives an idle tick (Run_GetList + the locked journals, no e-Boekhouden); a recalculated journal is booked at the next tick', async () => {
  await h.control('nmbrs', 'POST', '/reset', {});
  const acts = createActivities(deps);
  await ts.withWorkers(acts, async () => {
    const wf = await create('nmbrs-idle', 'nmbrs-eboekhouden', { kind: 'daily', at: '06:00' }, { nmbrsCompanyId: 1001, syncFromYear: 2026, syncFromPeriod: 3 }, { nmbrs: NMBRS_CREDS, eboekhouden: EB_CREDS }, { '4105': '4000' });
    let s = await settle(wf, (v) => v.lastCycle?.cycleNo === 1 && v.state === 'ACTIVE', 'first cycle');
    expect(s.lastCycle!.result).toBe('ok');

    await h.control('nmbrs', 'DELETE', '/stats');
    await h.control('eboekhouden', 'POST', '/stats/reset');
    commands.length = 0;
    s = await nextTick(wf);
    expect(s.cycleNo).toBe(1);
    expect(s.idleChecks).toBe(1);
    // eslint-disable-next-line no-console
    console.log(`nmbrs-eboekhouden idle tick: MongoDB ${commands.length} (${commands.join(', ')})`);
    expect(commands.length).toBeLessThanOrEqual(3);
    expect(commands.every((c) => c.startsWith('find '))).toBe(true);
    const nmbrs = (await h.control('nmbrs', 'GET', '/stats')).operations as Record<string, { requests: number }>;
    const eb = (await h.control('eboekhouden', 'GET', '/stats')).calls as Record<string, number>;
    // eslint-disable-next-line no-console
    console.log(`nmbrs-eboekhouden idle tick: Nmbrs ${JSON.stringify(nmbrs)}, e-Boekhouden ${JSON.stringify(eb)}`);
    expect(Object.keys(nmbrs).sort()).toEqual(['CompanyService:Journals_GetByRunCompany_v2', 'CompanyService:Run_GetList']);
    expect(nmbrs['CompanyService:Run_GetList'].requests).toBe(1); // one year in range
    expect(nmbrs['CompanyService:Journals_GetByRunCompany_v2'].requests).toBe(s.lastCycle!.counts.runs - (s.lastCycle!.counts.nietVergrendeld ?? 0)); // the locked runs
    expect(sum(eb)).toBe(0);
    const ev = await eventsOfLastTick(wf, 'nmbrsEbProbe');
    // eslint-disable-next-line no-console
    console.log(`nmbrs-eboekhouden idle tick: ${ev.count} history events`);
    expect(ev.count).toBeLessThanOrEqual(15);

    // Nmbrs recalculates a journal in place: Run_GetList shows nothing, the journal does.
    await h.control('nmbrs', 'POST', '/runs/41003/recalculate', {});
    s = await nextTick(wf);
    expect(s.cycleNo).toBe(2);
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { gecorrigeerd: 1 } });
    s = await nextTick(wf);
    expect(s.cycleNo).toBe(2);
    await wf.executeUpdate(stopUpdate, { args: [] });
    await wf.result();
  }, ['nmbrs', 'eboekhouden']);
});

test('eboekhouden-werkbonapp: an unchanged pair gives an idle tick (one session reading relaties and artikelen, four WerkbonApp lists); a new werkbon is invoiced at the next tick', async () => {
  await h.control('eboekhouden', 'POST', '/reset', { demo: true });
  await h.control('werkbonapp', 'POST', '/reset', { demo: true });
  const acts = createActivities(deps);
  await ts.withWorkers(acts, async () => {
    const settings = { import: { relaties: true, materialen: true, uursoorten: true }, export: { factuur: true, factuursjabloon: DEMO_FACTUURSJABLOON, betalingstermijn: 14 } };
    const wf = await create('wb-idle', 'eboekhouden-werkbonapp', { kind: 'interval', everyMinutes: 15 }, settings, { eboekhouden: EB_CREDS, werkbonapp: { token: DEMO_TOKEN } });
    await settle(wf, (v) => v.lastCycle?.cycleNo === 1 && v.state === 'ACTIVE', 'first cycle');
    // The first cycle wrote to both sides (imports, invoices): the next tick sees that and runs once more.
    let s = await nextTick(wf);
    for (let i = 0; i < 3 && !s.idleChecks; i++) s = await nextTick(wf);
    expect(s.idleChecks).toBe(1);
    const cycles = s.cycleNo;

    await h.control('eboekhouden', 'POST', '/stats/reset');
    await h.control('werkbonapp', 'DELETE', '/stats');
    commands.length = 0;
    s = await nextTick(wf);
    expect(s.cycleNo).toBe(cycles);
    expect(s.idleChecks).toBe(2);
    // eslint-disable-next-line no-console
    console.log(`eboekhouden-werkbonapp idle tick: MongoDB ${commands.length} (${commands.join(', ')})`);
    expect(commands.length).toBeLessThanOrEqual(3);
    expect(commands.every((c) => c.startsWith('find '))).toBe(true);
    const eb = (await h.control('eboekhouden', 'GET', '/stats')).calls as Record<string, number>;
    const wa = (await h.control('werkbonapp', 'GET', '/stats')).calls as Record<string, number>;
    // eslint-disable-next-line no-console
    console.log(`eboekhouden-werkbonapp idle tick: e-Boekhouden ${JSON.stringify(eb)}, WerkbonApp ${JSON.stringify(wa)}`);
    expect(eb).toEqual({ OpenSession: 1, GetRelaties: 1, GetArtikelen: 1, CloseSession: 1 });
    expect(sum(wa)).toBe(4);
    const ev = await eventsOfLastTick(wf, 'werkbonProbe');
    // eslint-disable-next-line no-console
    console.log(`eboekhouden-werkbonapp idle tick: ${ev.count} history events`);
    expect(ev.count).toBeLessThanOrEqual(15);

    // A werkbon is released in WerkbonApp: the next tick invoices it.
    await h.control('werkbonapp', 'POST', '/workorders', { WorkorderNo: 'WB-IDLE-1', CustomerDebtorNrInvoice: 'REL002', status: 'Compleet', WorkStatus: '1', Workperiods: [{ WorkDate: '12-03-2025', BeginTime: '08:00', EndTime: '09:00', HourType: 'ARB' }] });
    s = await nextTick(wf);
    expect(s.cycleNo).toBe(cycles + 1);
    expect(s.lastCycle).toMatchObject({ result: 'ok', counts: { facturen: 1, afgehandeld: 1 } });
    await wf.executeUpdate(stopUpdate, { args: [] });
    await wf.result();
  }, ['eboekhouden', 'werkbonapp']);
});
