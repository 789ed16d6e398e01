/**
 * The entity state machine without a server: every state × every message, and random message
 * sequences driven the way the workflow loop drives it. The property that matters: a wait never
 * starts with its condition already true (that loop would never yield and wedge the worker).
 */
import { initialState, KoppelingMachine, type CycleSummary, type Message, type Step } from '../../src/domain/koppeling-machine';
import { seededRandom } from '../../src/domain/random';

const DAILY = { kind: 'daily', at: '06:00' };
const NOW = Date.parse('2026-05-04T08:00:00Z');
const ok: CycleSummary = { result: 'ok', counts: {}, summary: '1 item' };

/** A machine idle in ACTIVE: first cycle done, next due time known. */
function active(): KoppelingMachine {
  const m = new KoppelingMachine(initialState(), DAILY);
  const { cycleNo } = m.cycleStarted();
  m.cycleFinished(ok, new Date(NOW).toISOString(), cycleNo);
  m.dueComputed('2026-05-05T04:00:00.000Z', NOW, 0);
  return m;
}

function blockedBy(result: CycleSummary['result']): KoppelingMachine {
  const m = active();
  const { cycleNo } = m.cycleStarted();
  m.cycleFinished({ result, counts: {}, summary: 'x', missingCodes: result === 'blocked_mapping' ? ['4105'] : undefined }, new Date(NOW).toISOString(), cycleNo);
  m.dueComputed('2026-05-06T04:00:00.000Z', NOW, m.s.configVersion);
  return m;
}

const STATES: Record<string, () => KoppelingMachine> = {
  ACTIVE: active,
  RUNNING: () => {
    const m = active();
    m.cycleStarted();
    return m;
  },
  PAUSED: () => {
    const m = active();
    m.apply({ kind: 'pause', reason: 'vakantie' });
    return m;
  },
  WAITING_REAUTH: () => blockedBy('waiting_reauth'),
  BLOCKED_MAPPING: () => blockedBy('blocked_mapping'),
  BLOCKED_CONFIG: () => {
    const m = active();
    m.apply({ kind: 'configChanged', version: 1, cadence: { kind: 'hourly', from: '10:00', to: '10:00', minute: 30 } });
    m.dueFailed('geen tijdstip', 1);
    return m;
  },
  STOPPING: () => {
    const m = active();
    m.apply({ kind: 'stop' });
    return m;
  },
};

const MESSAGES: Record<string, (m: KoppelingMachine) => Message> = {
  syncNow: () => ({ kind: 'syncNow' }),
  pause: () => ({ kind: 'pause', reason: 'even niet' }),
  resume: () => ({ kind: 'resume' }),
  stop: () => ({ kind: 'stop' }),
  start: () => ({ kind: 'start' }),
  reauthorized: (m) => ({ kind: 'reauthorized', credentialsVersion: m.s.credentialsVersion + 1 }),
  mappingChanged: (m) => ({ kind: 'mappingChanged', mappingVersion: m.s.mappingVersion + 1 }),
  reauthRequired: () => ({ kind: 'reauthRequired', reason: 'Visma weigerde het vernieuwen. Autoriseer opnieuw: http://x/connections/c1/authorize' }),
  closePeriod: () => ({ kind: 'closePeriod', period: { administration: 'e-Boekhouden', year: 2026, period: 3 } }),
  rename: (m) => ({ kind: 'configChanged', version: m.s.configVersion + 1, cadence: m.cadence }),
  newCadence: (m) => ({ kind: 'configChanged', version: m.s.configVersion + 1, cadence: { kind: 'interval', everyMinutes: 15 } }),
  staleConfig: (m) => ({ kind: 'configChanged', version: m.s.configVersion, cadence: { kind: 'interval', everyMinutes: 5 } }),
};

/** What the loop does after the message: 'rejected' (update refused) or the next step (state for waits). */
const R = 'rejected';
const EXPECTED: Record<string, Record<string, string>> = {
  //               syncNow        pause     resume         stop    start           reauthorized     mappingChanged      closePeriod     rename          newCadence      staleConfig
  ACTIVE:          { syncNow: 'cycle', pause: 'PAUSED', resume: R, stop: 'stop', start: 'ACTIVE', reauthorized: 'ACTIVE', mappingChanged: 'ACTIVE', reauthRequired: 'WAITING_REAUTH', closePeriod: 'ACTIVE', rename: 'computeDue', newCadence: 'computeDue', staleConfig: 'ACTIVE' },
  // RUNNING: the step after the running cycle ends ok (and its due time is computed).
  RUNNING:         { syncNow: 'cycle', pause: 'PAUSED', resume: R, stop: 'stop', start: 'ACTIVE', reauthorized: 'ACTIVE', mappingChanged: 'ACTIVE', reauthRequired: 'WAITING_REAUTH', closePeriod: 'ACTIVE', rename: 'ACTIVE', newCadence: 'ACTIVE', staleConfig: 'ACTIVE' },
  PAUSED:          { syncNow: R, pause: R, resume: 'ACTIVE', stop: 'stop', start: 'PAUSED', reauthorized: 'PAUSED', mappingChanged: 'PAUSED', reauthRequired: 'PAUSED', closePeriod: 'PAUSED', rename: 'PAUSED', newCadence: 'PAUSED', staleConfig: 'PAUSED' },
  WAITING_REAUTH:  { syncNow: R, pause: 'PAUSED', resume: R, stop: 'stop', start: 'WAITING_REAUTH', reauthorized: 'cycle', mappingChanged: 'WAITING_REAUTH', reauthRequired: 'WAITING_REAUTH', closePeriod: 'WAITING_REAUTH', rename: 'WAITING_REAUTH', newCadence: 'WAITING_REAUTH', staleConfig: 'WAITING_REAUTH' },
  BLOCKED_MAPPING: { syncNow: R, pause: 'PAUSED', resume: R, stop: 'stop', start: 'BLOCKED_MAPPING', reauthorized: 'BLOCKED_MAPPING', mappingChanged: 'cycle', reauthRequired: 'WAITING_REAUTH', closePeriod: 'BLOCKED_MAPPING', rename: 'BLOCKED_MAPPING', newCadence: 'BLOCKED_MAPPING', staleConfig: 'BLOCKED_MAPPING' },
  BLOCKED_CONFIG:  { syncNow: R, pause: 'PAUSED', resume: R, stop: 'stop', start: 'BLOCKED_CONFIG', reauthorized: 'BLOCKED_CONFIG', mappingChanged: 'BLOCKED_CONFIG', reauthRequired: 'WAITING_REAUTH', closePeriod: 'BLOCKED_CONFIG', rename: 'computeDue', newCadence: 'computeDue', staleConfig: 'BLOCKED_CONFIG' },
  STOPPING:        { syncNow: R, pause: R, resume: R, stop: R, start: 'ACTIVE', reauthorized: 'stop', mappingChanged: 'stop', reauthRequired: 'stop', closePeriod: 'stop', rename: 'stop', newCadence: 'stop', staleConfig: 'stop' },
};

const label = (step: Step) => (step.kind === 'wait' ? step.state : step.kind);

describe('every state × every message', () => {
  for (const [stateName, make] of Object.entries(STATES)) {
    for (const [msgName, build] of Object.entries(MESSAGES)) {
      test(`${stateName} + ${msgName} → ${EXPECTED[stateName][msgName]}`, () => {
        const m = make();
        const before = m.next(false);
        const msg = build(m);
        const refused = m.reject(msg);
        if (refused) {
          expect(EXPECTED[stateName][msgName]).toBe(R);
          expect(refused).toMatch(/\S/);
          return;
        }
        m.apply(msg);
        if (stateName === 'RUNNING') {
          m.cycleFinished(ok, new Date(NOW).toISOString(), m.s.cycleNo);
          m.dueComputed('2026-05-05T04:00:00.000Z', NOW, m.s.configVersion);
        }
        const after = m.next(false);
        expect(label(after)).toBe(EXPECTED[stateName][msgName]);
        // The invariant: a wait the loop would start now is not already over.
        if (after.kind === 'wait') expect(m.wakes(after)).toBe(false);
        // A waiting loop wakes exactly when its decision changed.
        if (stateName !== 'RUNNING' && before.kind === 'wait') expect(m.wakes(before)).toBe(label(after) !== label(before) || after.kind !== 'wait');
      });
    }
  }

  test('a rename while blocked keeps the block and the reason, and the fix still unblocks', () => {
    const m = blockedBy('blocked_mapping');
    const waiting = m.next(false);
    m.apply({ kind: 'configChanged', version: 1, cadence: DAILY });
    expect(m.wakes(waiting)).toBe(false);
    expect(m.state()).toBe('BLOCKED_MAPPING');
    m.apply({ kind: 'mappingChanged', mappingVersion: 1 });
    expect(m.next(false)).toEqual({ kind: 'cycle', trigger: 'mappingChanged' });
    m.cycleStarted();
    m.cycleFinished(ok, new Date(NOW).toISOString(), m.s.cycleNo);
    // The cadence changed while blocked: its due time is computed with the new one.
    m.dueComputed('2026-05-05T04:00:00.000Z', NOW, m.s.configVersion);
    expect(m.next(false)).toEqual({ kind: 'wait', state: 'ACTIVE', untilIso: '2026-05-05T04:00:00.000Z' });
  });

  test('a cadence that cannot be planned blocks visibly; a valid one put back heals it', () => {
    const m = active();
    m.apply({ kind: 'configChanged', version: 3, cadence: { bad: true } });
    expect(m.next(false).kind).toBe('computeDue');
    m.dueFailed('geen tijdstip', 3);
    expect(m.state()).toBe('BLOCKED_CONFIG');
    expect(m.blockingReason()).toBe('geen tijdstip');
    expect(m.reject({ kind: 'syncNow' })).toMatch(/geldige planning/);
    // A stop is still possible, and so is a valid cadence.
    m.apply({ kind: 'configChanged', version: 4, cadence: DAILY });
    expect(m.next(false).kind).toBe('computeDue');
    m.dueComputed('2026-05-05T04:00:00.000Z', NOW, 4);
    expect(m.state()).toBe('ACTIVE');
  });

  test('a due time computed for an older cadence does not count', () => {
    const m = active();
    m.apply({ kind: 'configChanged', version: 1, cadence: { kind: 'interval', everyMinutes: 5 } });
    const req = m.dueRequest(NOW);
    m.apply({ kind: 'configChanged', version: 2, cadence: { kind: 'interval', everyMinutes: 10 } });
    m.dueComputed('2026-05-04T08:05:00.000Z', NOW, req.configVersion);
    expect(m.next(false).kind).toBe('computeDue');
    m.dueFailed('oud', req.configVersion);
    expect(m.s.block).toBeUndefined();
  });

  test('after failed cycles the next try comes sooner than the cadence (5, 10, 20 … 60 minutes)', () => {
    const m = active();
    for (const expectedMin of [5, 10, 20, 40, 60, 60]) {
      m.cycleStarted();
      m.cycleFinished({ result: 'failed', counts: {}, summary: 'x' }, new Date(NOW).toISOString(), m.s.cycleNo);
      m.dueComputed('2026-05-05T04:00:00.000Z', NOW, m.s.configVersion);
      expect(Date.parse(m.s.nextDueAt!) - NOW).toBe(expectedMin * 60_000);
    }
  });

  test('a cycle that ran past its next due time is followed by one catch-up at once, said once', () => {
    const m = active();
    const start = Date.parse('2026-05-04T10:03:00Z');
    m.cycleStarted(start);
    m.cycleFinished(ok, '2026-05-04T10:40:00.000Z', m.s.cycleNo);
    const req = m.dueRequest(start + 37 * 60_000);
    expect(req.afterMs).toBe(start); // the next due time counts from the cycle's start
    // A 15-minute cadence: 10:04 was due while the cycle still ran.
    m.dueComputed('2026-05-04T10:04:00.000Z', start + 37 * 60_000, req.configVersion);
    expect(m.s.nextDueAt).toBe('2026-05-04T10:40:00.000Z');
    expect(m.takeOverran()).toBe(true);
    expect(m.takeOverran()).toBe(false);
    // The catch-up itself, quick this time: back on the cadence.
    m.cycleStarted(start + 37 * 60_000);
    m.cycleFinished(ok, '2026-05-04T10:41:00.000Z', m.s.cycleNo);
    m.dueComputed('2026-05-04T10:49:00.000Z', start + 38 * 60_000, m.dueRequest(start + 38 * 60_000).configVersion);
    expect(m.s.nextDueAt).toBe('2026-05-04T10:49:00.000Z');
    expect(m.takeOverran()).toBe(false);
  });

  test('a stop cancelled by a start goes on where it was; continue-as-new never carries a stop', () => {
    const m = STATES.PAUSED();
    m.apply({ kind: 'stop' });
    expect(m.next(true).kind).toBe('stop');
    m.apply({ kind: 'start' });
    expect(m.next(false)).toEqual({ kind: 'wait', state: 'PAUSED' });
    expect(m.next(true).kind).toBe('continueAsNew');
  });

  test('malformed message arguments are ignored, never stored', () => {
    const m = active();
    m.apply({ kind: 'closePeriod', period: { administration: '', year: 1, period: 99 } });
    m.apply({ kind: 'configChanged', version: Number.NaN, cadence: DAILY });
    expect(m.s.closedPeriods).toEqual([]);
    expect(m.s.configVersion).toBe(0);
    expect(m.next(false).kind).toBe('wait');
  });
});

describe('random message sequences, driven like the workflow loop', () => {
  const kinds = Object.keys(MESSAGES);
  const outcomes: CycleSummary['result'][] = ['ok', 'ok', 'partial', 'failed', 'waiting_reauth', 'blocked_mapping'];

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    test(`seed ${seed}: every iteration waits on a false condition or does work`, () => {
      const random = seededRandom(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
      let m = new KoppelingMachine(initialState(), DAILY);
      let now = NOW;
      let badCadence = false;
      let messages = 0;
      let stepsWithoutProgress = 0;
      const deliver = () => {
        const name = pick(kinds);
        if (name === 'newCadence') badCadence = random() < 0.3;
        const msg = name === 'newCadence' && badCadence ? { kind: 'configChanged' as const, version: m.s.configVersion + 1, cadence: { bad: true } } : MESSAGES[name](m);
        if (m.reject(msg)) return;
        m.apply(msg);
        messages++;
      };
      const cycles = { ran: 0, stops: 0, cans: 0 };

      for (let iteration = 0; iteration < 3_000; iteration++) {
        const step = m.next(random() < 0.02);
        switch (step.kind) {
          case 'stop':
            // The stop is being recorded; sometimes a start comes in just then.
            if (random() < 0.5) {
              m.apply({ kind: 'start' });
              stepsWithoutProgress++;
              break;
            }
            cycles.stops++;
            m = new KoppelingMachine(initialState(m.s.closedPeriods), DAILY); // started again later
            stepsWithoutProgress = 0;
            break;
          case 'continueAsNew':
            cycles.cans++;
            m = new KoppelingMachine(m.s, m.cadence); // the carried state, a fresh run
            stepsWithoutProgress = 0;
            break;
          case 'computeDue': {
            const req = m.dueRequest(now);
            if (random() < 0.2) deliver(); // a message while the local activity runs
            const invalid = (req.cadence as { bad?: boolean }).bad === true;
            if (invalid) m.dueFailed('geen tijdstip', req.configVersion);
            else m.dueComputed(new Date(now + 3_600_000).toISOString(), now, req.configVersion);
            stepsWithoutProgress++;
            break;
          }
          case 'wait': {
            // The property: the condition the loop is about to await is false right now.
            expect(m.wakes(step)).toBe(false);
            stepsWithoutProgress = 0;
            let woke = false;
            for (let i = 0; i < 20 && !woke; i++) {
              if (step.untilIso && random() < 0.3) {
                now = Math.max(now, Date.parse(step.untilIso));
                m.timerFired();
                woke = true;
                break;
              }
              deliver();
              woke = m.wakes(step);
            }
            if (!woke && !step.untilIso) {
              // Nothing this run would wake it: the test's "person" fixes whatever blocks it.
              m.apply({ kind: 'stop' });
              expect(m.wakes(step)).toBe(true);
            }
            break;
          }
          case 'cycle': {
            const { cycleNo } = m.cycleStarted();
            expect(m.state()).toBe('RUNNING');
            while (random() < 0.4) deliver();
            now += 60_000;
            m.cycleFinished({ ...ok, result: pick(outcomes) }, new Date(now).toISOString(), cycleNo);
            const req = m.dueRequest(now);
            const invalid = (req.cadence as { bad?: boolean }).bad === true;
            if (invalid) m.dueFailed('geen tijdstip', req.configVersion);
            else m.dueComputed(new Date(now + 3_600_000).toISOString(), now, req.configVersion);
            cycles.ran++;
            stepsWithoutProgress = 0;
            break;
          }
        }
        // Without a wait or a cycle the loop may take a few bookkeeping steps, never many.
        expect(stepsWithoutProgress).toBeLessThanOrEqual(4);
      }
      expect(cycles.ran).toBeGreaterThan(10);
      expect(messages).toBeGreaterThan(100);
    });
  }
});

describe('idle probe: a due tick whose source is unchanged runs no cycle', () => {
  const v1 = { fingerprint: 'v1' };
  const at = new Date(NOW).toISOString();

  /** A probing machine whose first cycle ended ok with source v1, waiting for its next due tick. */
  function probing(): KoppelingMachine {
    const m = new KoppelingMachine(initialState(), DAILY);
    m.probing = true;
    runCheck(m, v1, ok);
    m.dueComputed('2026-05-05T04:00:00.000Z', NOW, m.s.configVersion);
    return m;
  }

  /** Drive one check step like the loop: probe, then (unless idle) the cycle. */
  function runCheck(m: KoppelingMachine, probe: { fingerprint: string; outstanding?: boolean } | undefined, outcome: CycleSummary = ok): 'idle' | 'cycle' {
    const step = m.next(false);
    expect(step.kind).toBe('check');
    const { trigger } = m.checkStarted(NOW);
    const verdict = m.checkFinished(trigger, probe, at);
    if (verdict === 'cycle') {
      expect(m.next(false)).toEqual({ kind: 'cycle', trigger });
      const { cycleNo } = m.cycleStarted(NOW);
      m.cycleFinished(outcome, at, cycleNo);
    }
    return verdict;
  }

  const tick = (m: KoppelingMachine, probe: { fingerprint: string; outstanding?: boolean } | undefined, outcome: CycleSummary = ok) => {
    m.timerFired();
    const v = runCheck(m, probe, outcome);
    m.dueComputed('2026-05-06T04:00:00.000Z', NOW, m.s.configVersion);
    return v;
  };

  test('without probing the loop never checks (histories from before the probe replay unchanged)', () => {
    const m = active();
    m.timerFired();
    expect(m.next(false)).toEqual({ kind: 'cycle', trigger: 'schedule' });
    expect(m.s.watermark).toBeUndefined();
  });

  test('the same fingerprint after an ok cycle: idle, counted, no cycle number used', () => {
    const m = probing();
    expect(m.s.watermark).toBe('v1');
    expect(tick(m, v1)).toBe('idle');
    expect(tick(m, v1)).toBe('idle');
    expect(m.s.cycleNo).toBe(1);
    expect(m.s.idleChecks).toBe(2);
    expect(m.s.lastCheckedAt).toBe(at);
    expect(m.state()).toBe('ACTIVE');
    // A change runs the cycle, which resets the count.
    expect(tick(m, { fingerprint: 'v2' })).toBe('cycle');
    expect(m.s.cycleNo).toBe(2);
    expect(m.s.idleChecks).toBe(0);
    expect(m.s.watermark).toBe('v2');
  });

  test('outstanding work, a failed probe, or a trigger other than the schedule: always the cycle', () => {
    const m = probing();
    expect(tick(m, { fingerprint: 'v1', outstanding: true })).toBe('cycle');
    expect(tick(m, undefined)).toBe('cycle');
    expect(m.s.watermark).toBeUndefined(); // that cycle had no fingerprint
    expect(tick(m, v1)).toBe('cycle');
    expect(tick(m, v1)).toBe('idle');
    m.apply({ kind: 'syncNow' });
    expect(runCheck(m, v1)).toBe('cycle');
  });

  for (const result of ['partial', 'failed', 'blocked_mapping', 'waiting_reauth'] as const) {
    test(`a ${result} cycle leaves no watermark: the next tick runs whatever the probe says`, () => {
      const m = probing();
      expect(tick(m, { fingerprint: 'v2' }, { ...ok, result })).toBe('cycle');
      expect(m.s.watermark).toBeUndefined();
    });
  }

  let periods = 0;
  const clearing: Record<string, (m: KoppelingMachine) => Message> = {
    reauthorized: MESSAGES.reauthorized,
    reauthRequired: MESSAGES.reauthRequired,
    mappingChanged: MESSAGES.mappingChanged,
    // A period not closed before (closing a closed one again changes nothing, and keeps the watermark).
    closePeriod: () => ({ kind: 'closePeriod', period: { administration: 'e-Boekhouden', year: 2000 + Math.floor(periods / 13), period: (periods++ % 13) + 1 } }),
    rename: MESSAGES.rename,
  };
  for (const [name, build] of Object.entries(clearing)) {
    test(`${name} forgets the watermark, also when it comes in during a cycle`, () => {
      const m = probing();
      m.apply(build(m));
      expect(m.s.watermark).toBeUndefined();
      const n = probing();
      n.timerFired();
      n.checkStarted(NOW);
      expect(n.checkFinished('schedule', { fingerprint: 'v2' }, at)).toBe('cycle');
      const { cycleNo } = n.cycleStarted(NOW);
      n.apply(build(n)); // while the cycle runs: what its probe saw may no longer be what it did
      n.cycleFinished(ok, at, cycleNo);
      expect(n.s.watermark).toBeUndefined();
    });
  }

  test('a syncNow that comes in during an idle probe still gets its cycle', () => {
    const m = probing();
    m.timerFired();
    const { trigger } = m.checkStarted(NOW);
    m.apply({ kind: 'syncNow' });
    expect(m.checkFinished(trigger, v1, at)).toBe('idle');
    expect(m.next(false)).toEqual({ kind: 'check', trigger: 'syncNow' });
  });

  test('a pause during the probe wins over the cycle it decided; resume runs it without probing again', () => {
    const m = probing();
    m.timerFired();
    const { trigger } = m.checkStarted(NOW);
    m.apply({ kind: 'pause' });
    expect(m.checkFinished(trigger, { fingerprint: 'v2' }, at)).toBe('cycle');
    expect(label(m.next(false))).toBe('PAUSED');
    m.apply({ kind: 'resume' });
    expect(m.next(false)).toEqual({ kind: 'cycle', trigger: 'schedule' });
  });

  // The property that matters: an idle tick never hides work. A model of the source (a version
  // bumped at random) and of what the koppeling still owes is kept next to the machine.
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    test(`seed ${seed}: a tick is idle only when the last cycle ended ok on the same source and nothing changed since`, () => {
      const random = seededRandom(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
      const m = new KoppelingMachine(initialState(), DAILY);
      m.probing = true;
      let version = 0;
      /** The source version the last ok cycle saw before it started, if nothing since made it stale. */
      let doneUpTo: number | undefined;
      let idle = 0;
      let full = 0;
      const clearingNames = Object.keys(clearing);
      for (let i = 0; i < 2_000; i++) {
        if (random() < 0.3) version++;
        if (random() < 0.1) {
          const msg = clearing[pick(clearingNames)](m);
          m.apply(msg);
          doneUpTo = undefined;
        }
        if (m.s.block) {
          m.apply(m.s.block.kind === 'mapping' ? MESSAGES.mappingChanged(m) : m.s.block.kind === 'reauth' ? MESSAGES.reauthorized(m) : MESSAGES.newCadence(m));
          doneUpTo = undefined;
        }
        if (random() < 0.1) m.apply({ kind: 'syncNow' });
        let step = m.next(false);
        if (step.kind === 'computeDue') {
          m.dueComputed(new Date(NOW + i * 60_000).toISOString(), NOW, m.s.configVersion);
          step = m.next(false);
        }
        if (step.kind === 'wait') {
          m.timerFired();
          step = m.next(false);
        }
        expect(step.kind).toBe('check');
        const { trigger } = m.checkStarted(NOW);
        const probeFails = random() < 0.05;
        const seen = version;
        const verdict = m.checkFinished(trigger, probeFails ? undefined : { fingerprint: `v${seen}` }, at);
        if (verdict === 'idle') {
          idle++;
          expect(trigger).toBe('schedule');
          expect(doneUpTo).toBe(seen); // nothing owed
          continue;
        }
        full++;
        const { cycleNo } = m.cycleStarted(NOW);
        if (random() < 0.2) version++; // the source changes while the cycle runs
        if (random() < 0.05) {
          m.apply(clearing[pick(clearingNames)](m));
          doneUpTo = undefined;
          const result = pick(['ok', 'ok', 'partial', 'failed'] as const);
          m.cycleFinished({ ...ok, result }, at, cycleNo);
          continue;
        }
        const result = pick(['ok', 'ok', 'ok', 'partial', 'failed', 'blocked_mapping', 'waiting_reauth'] as const);
        m.cycleFinished({ ...ok, result }, at, cycleNo);
        // An ok cycle owes nothing up to what it saw before it started (later changes it may have missed).
        doneUpTo = result === 'ok' && !probeFails ? seen : undefined;
      }
      expect(idle).toBeGreaterThan(50);
      expect(full).toBeGreaterThan(50);
    });
  }
});
