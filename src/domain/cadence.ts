/**
 * When a koppeling runs next. Pure and deterministic given its inputs; the workflow calls it through
 * a local activity so the answer is recorded in history and a tzdata upgrade cannot break replay.
 *
 * Wall-clock times are Europe/Amsterdam. DST rules:
 * - a daily time that does not exist (spring forward, 02:30) runs at the same minute after the gap (03:30);
 * - a daily time that exists twice (fall back, 02:30) runs once, at the first occurrence.
 */
import { z } from 'zod';

export const TIME_ZONE = 'Europe/Amsterdam';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24h)');

export const cadenceSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('daily'), at: hhmm }).strict(),
    z.object({ kind: z.literal('interval'), everyMinutes: z.number().int().min(1).max(24 * 60) }).strict(),
    z
      .object({ kind: z.literal('hourly'), from: hhmm, to: hhmm, minute: z.number().int().min(0).max(59).default(0) })
      .strict(),
  ])
  .superRefine((c, ctx) => {
    if (c.kind === 'hourly' && c.from > c.to) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'from must not be after to', path: ['to'] });
      return;
    }
    const problem = cadenceProblem(c);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem.message, path: problem.path });
  });
export type Cadence = z.infer<typeof cadenceSchema>;

// Instants a cadence must be able to answer from: ordinary days and both 2026 DST Sundays.
const PROBES = ['2026-01-15T12:00:00Z', '2026-03-28T23:30:00Z', '2026-10-24T23:30:00Z', '2026-06-30T21:59:00Z'];

/**
 * Why a cadence cannot be planned, or undefined: it is asked for its next due times from a few
 * instants (DST days included), so a cadence that passes here cannot fail in the workflow.
 */
export function cadenceProblem(c: Cadence): { message: string; path: string[] } | undefined {
  if (c.kind === 'hourly' && hourlySlots(c).length === 0) {
    return { message: `het venster van ${c.from} tot ${c.to} bevat geen enkel tijdstip op minuut ${c.minute}`, path: ['minute'] };
  }
  for (const probe of PROBES) {
    try {
      let at = new Date(probe);
      for (let i = 0; i < 3; i++) {
        const due = nextDue(c, at);
        if (!(due.getTime() > at.getTime())) throw new Error(`no time after ${at.toISOString()}`);
        at = due;
      }
    } catch (err) {
      return { message: `de planning levert geen volgend tijdstip op (${err instanceof Error ? err.message : String(err)})`, path: [] };
    }
  }
  return undefined;
}

/** The wall-clock times of an hourly window: each hour at `minute`, from `from` up to and including `to`. */
function hourlySlots(c: Extract<Cadence, { kind: 'hourly' }>): Array<[number, number]> {
  const [fh, fm] = parseHhmm(c.from);
  const [th, tm] = parseHhmm(c.to);
  const slots: Array<[number, number]> = [];
  for (let hour = 0; hour < 24; hour++) {
    const t = hour * 60 + c.minute;
    if (t >= fh * 60 + fm && t <= th * 60 + tm) slots.push([hour, c.minute]);
  }
  return slots;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function localParts(instant: Date): LocalParts {
  const p: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute };
}

/** Offset of Amsterdam from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function offsetMinutes(instant: Date): number {
  const l = localParts(instant);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant a local wall-clock time happens, or undefined when it does not exist (the spring gap).
 * For a time that exists twice, the first occurrence.
 */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number): Date | undefined {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Try both offsets that can apply around this wall time; keep those that map back to it.
  const candidates = new Set<number>();
  for (const probe of [wall - 3 * 3600_000, wall + 3 * 3600_000]) {
    candidates.add(wall - offsetMinutes(new Date(probe)) * 60_000);
  }
  const valid = [...candidates]
    .filter((t) => {
      const l = localParts(new Date(t));
      return l.year === year && l.month === month && l.day === day && l.hour === hour && l.minute === minute;
    })
    .sort((a, b) => a - b);
  return valid.length ? new Date(valid[0]) : undefined;
}

function addLocalDays(l: LocalParts, days: number): LocalParts {
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0 };
}

function parseHhmm(v: string): [number, number] {
  const [h, m] = v.split(':').map(Number);
  return [h, m];
}

/** A daily wall time on a given local date, shifted past the spring gap when it does not exist. */
function dailyInstant(day: LocalParts, hour: number, minute: number): Date {
  const exact = zonedToUtc(day.year, day.month, day.day, hour, minute);
  if (exact) return exact;
  // In the gap: the same minute one hour later exists (Amsterdam's gap is exactly one hour).
  return zonedToUtc(day.year, day.month, day.day, hour + 1, minute)!;
}

/** The first due time strictly after `after`. */
export function nextDue(cadence: Cadence, after: Date): Date {
  switch (cadence.kind) {
    case 'interval': {
      // Elapsed time, aligned to multiples of the interval (quarter hours for 15): DST cannot bend it.
      const step = cadence.everyMinutes * 60_000;
      return new Date(Math.floor(after.getTime() / step) * step + step);
    }
    case 'daily': {
      const [h, m] = parseHhmm(cadence.at);
      const today = localParts(after);
      for (let i = 0; i <= 2; i++) {
        const at = dailyInstant(addLocalDays(today, i), h, m);
        if (at.getTime() > after.getTime()) return at;
      }
      throw new Error('unreachable: no daily time within 3 days');
    }
    case 'hourly': {
      const slots = hourlySlots(cadence);
      const today = localParts(after);
      for (let i = 0; i <= 2; i++) {
        const day = addLocalDays(today, i);
        for (const [hour, minute] of slots) {
          const at = zonedToUtc(day.year, day.month, day.day, hour, minute);
          if (at && at.getTime() > after.getTime()) return at;
        }
      }
      throw new Error(`het venster van ${cadence.from} tot ${cadence.to} bevat geen tijdstip op minuut ${cadence.minute}`);
    }
  }
}

/**
 * How far after its nominal time a koppeling's cadence may run: the room its due times are spread
 * in, so thousands of koppelingen on one cadence do not all wake on the same boundary. An interval
 * has its whole interval (a 15-minute loop runs at, say, :04, :19, :34, :49), an hourly window ten
 * minutes, a daily time fifteen (06:00 becomes somewhere in 06:00–06:14). Product choices, not
 * taken from the seeds; change them here.
 */
export function spreadToleranceMs(c: Cadence): number {
  switch (c.kind) {
    case 'interval':
      return c.everyMinutes * 60_000;
    case 'hourly':
      return 10 * 60_000;
    case 'daily':
      return 15 * 60_000;
  }
}

/** A koppeling's fixed offset inside its cadence's tolerance: whole seconds, from a hash of its key. */
export function spreadOffsetMs(c: Cadence, key: string): number {
  // FNV-1a: small, stable across Node versions, spreads similar ids well enough.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const seconds = Math.floor(spreadToleranceMs(c) / 1000);
  return seconds > 0 ? (h % seconds) * 1000 : 0;
}

/**
 * The first due time strictly after `after`, shifted by the koppeling's spread offset: the
 * nominal times moved `offsetMs` later (so a daily 06:00 with a 7-minute offset runs at 06:07).
 */
export function nextDueSpread(cadence: Cadence, after: Date, offsetMs: number): Date {
  return new Date(nextDue(cadence, new Date(after.getTime() - offsetMs)).getTime() + offsetMs);
}

/** "dagelijks om 06:00", "elke 15 minuten", "elk uur van 07:00 tot 20:00": for logs and the UI. */
export function describeCadence(c: Cadence): string {
  switch (c.kind) {
    case 'daily':
      return `dagelijks om ${c.at}`;
    case 'interval':
      return c.everyMinutes === 1 ? 'elke minuut' : `elke ${c.everyMinutes} minuten`;
    case 'hourly':
      return `elk uur van ${c.from} tot ${c.to}`;
  }
}

/** Format an instant as Amsterdam local time, "2026-03-29 06:00". */
export function formatLocal(instant: Date): string {
  const l = localParts(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}
