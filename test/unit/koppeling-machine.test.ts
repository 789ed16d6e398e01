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
