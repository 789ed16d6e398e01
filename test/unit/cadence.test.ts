import { cadenceSchema, describeCadence, formatLocal, nextDue, nextDueSpread, spreadOffsetMs, zonedToUtc } from '../../src/domain/cadence';

const iso = (d: Date) => d.toISOString();

describe('cadence: daily', () => {
  const daily = (at: string) => cadenceSchema.parse({ kind: 'daily', at });

  it('runs at 06:00 Amsterdam in winter (05:00Z) and summer (04:00Z)', () => {
    expect(iso(nextDue(daily('06:00'), new Date('2026-01-10T12:00:00Z')))).toBe('2026-01-11T05:00:00.000Z');
    expect(iso(nextDue(daily('06:00'), new Date('2026-07-10T01:00:00Z')))).toBe('2026-07-10T04:00:00.000Z');
  });

  it('is correct across the spring-forward Sunday (2026-03-29)', () => {
    const c = daily('06:00');
    const sat = nextDue(c, new Date('2026-03-27T06:00:00Z'));
    expect(iso(sat)).toBe('2026-03-28T05:00:00.000Z');
    const sun = nextDue(c, sat);
    expect(iso(sun)).toBe('2026-03-29T04:00:00.000Z');
    expect(formatLocal(sun)).toBe('2026-03-29 06:00');
    // 23 hours apart: the day itself is short.
    expect(sun.getTime() - sat.getTime()).toBe(23 * 3600_000);
  });

  it('is correct across the fall-back Sunday (2026-10-25)', () => {
    const c = daily('06:00');
    const sat = nextDue(c, new Date('2026-10-23T12:00:00Z'));
    expect(iso(sat)).toBe('2026-10-24T04:00:00.000Z');
    const sun = nextDue(c, sat);
    expect(iso(sun)).toBe('2026-10-25T05:00:00.000Z');
    expect(sun.getTime() - sat.getTime()).toBe(25 * 3600_000);
  });

  it('moves a time inside the spring gap to just after it', () => {
    const at = nextDue(daily('02:30'), new Date('2026-03-28T12:00:00Z'));
    expect(formatLocal(at)).toBe('2026-03-29 03:30');
    expect(iso(at)).toBe('2026-03-29T01:30:00.000Z');
  });

  it('runs a doubled fall-back time once, at its first occurrence', () => {
    const c = daily('02:30');
    const first = nextDue(c, new Date('2026-10-24T12:00:00Z'));
    expect(iso(first)).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    const next = nextDue(c, first);
    expect(iso(next)).toBe('2026-10-26T01:30:00.000Z'); // not 01:30Z on the 25th (02:30 CET)
  });
});

describe('cadence: every N minutes', () => {
  it('fires on quarter hours, 96 times a day, DST days included', () => {
    const c = cadenceSchema.parse({ kind: 'interval', everyMinutes: 15 });
    expect(iso(nextDue(c, new Date('2026-03-29T00:07:00Z')))).toBe('2026-03-29T00:15:00.000Z');
    for (const day of ['2026-03-29', '2026-10-25']) {
      let t = new Date(`${day}T00:00:00Z`);
      let n = 0;
      while (t.getTime() < new Date(`${day}T00:00:00Z`).getTime() + 24 * 3600_000) {
        t = nextDue(c, t);
        n++;
      }
      expect(n).toBe(96);
    }
  });
});

describe('cadence: hourly inside a window', () => {
  const c = cadenceSchema.parse({ kind: 'hourly', from: '07:00', to: '20:00' });

  it('fires 14 times a day, 07:00 to 20:00 local, on both DST Sundays', () => {
    for (const [day, startZ] of [
      ['2026-03-29', '2026-03-29T05:00:00.000Z'],
      ['2026-10-25', '2026-10-25T06:00:00.000Z'],
    ]) {
      let t = new Date(`${day}T00:00:00Z`);
      const fired: string[] = [];
      for (let i = 0; i < 14; i++) {
        t = nextDue(c, t);
        fired.push(formatLocal(t));
      }
      expect(fired[0]).toBe(`${day} 07:00`);
      expect(fired[13]).toBe(`${day} 20:00`);
      expect(iso(nextDue(c, new Date(`${day}T00:00:00Z`)))).toBe(startZ);
      expect(formatLocal(nextDue(c, t))).toBe(`${day.slice(0, 8)}${String(Number(day.slice(8)) + 1).padStart(2, '0')} 07:00`);
    }
  });
});

describe('cadence: schema and helpers', () => {
  it('rejects bad input with the field and reason', () => {
    const r = cadenceSchema.safeParse({ kind: 'daily', at: '25:00' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['at']);
    const w = cadenceSchema.safeParse({ kind: 'hourly', from: '20:00', to: '07:00' });
    expect(w.success).toBe(false);
    expect(w.error?.issues[0].message).toMatch(/from must not be after to/);
    expect(cadenceSchema.safeParse({ kind: 'weekly' }).success).toBe(false);
  });

  it('maps wall times to instants, undefined inside the gap', () => {
    expect(zonedToUtc(2026, 3, 29, 2, 30)).toBeUndefined();
    expect(iso(zonedToUtc(2026, 3, 29, 3, 0)!)).toBe('2026-03-29T01:00:00.000Z');
  });

  it('describes cadences in Dutch', () => {
    expect(describeCadence({ kind: 'daily', at: '06:00' })).toBe('dagelijks om 06:00');
    expect(describeCadence({ kind: 'interval', everyMinutes: 15 })).toBe('elke 15 minuten');
  });
});

describe('spread', () => {
  const quarter = { kind: 'interval', everyMinutes: 15 } as const;

  test('each koppeling has a fixed offset inside the tolerance; many koppelingen spread over it', () => {
    const offsets = Array.from({ length: 1000 }, (_v, i) => spreadOffsetMs(quarter, `k_${i.toString(16).padStart(16, '0')}`));
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(15 * 60_000);
    // Spread, not clustered: every minute of the quarter gets some koppelingen.
    const minutes = new Set(offsets.map((o) => Math.floor(o / 60_000)));
    expect(minutes.size).toBe(15);
    expect(spreadOffsetMs(quarter, 'k_1')).toBe(spreadOffsetMs(quarter, 'k_1'));
  });

  test('a 15-minute loop keeps its own minutes; a daily time moves at most 15 minutes, also on DST days', () => {
    const offset = 4 * 60_000;
    let at = new Date('2026-05-04T08:00:00Z');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      at = nextDueSpread(quarter, at, offset);
      seen.push(formatLocal(at).slice(14));
    }
    expect(seen).toEqual(['04', '19', '34', '49']);
    const daily = { kind: 'daily', at: '06:00' } as const;
    const off = spreadOffsetMs(daily, 'k_demo');
    expect(off).toBeLessThan(15 * 60_000);
    for (const day of ['2026-03-28T12:00:00Z', '2026-10-24T12:00:00Z']) {
      const due = nextDueSpread(daily, new Date(day), off);
      const local = formatLocal(due).slice(11);
      expect(local >= '06:00' && local < '06:15').toBe(true);
    }
  });
});
