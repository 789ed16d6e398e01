/**
 * The system and koppeling registries, and what is derived from them: one registration line each
 * must be enough, so every derived list is checked against the registries here.
 */
import { configSchema } from '../../src/config';
import { KOPPELINGEN } from '../../src/koppelingen';
import { SYSTEMS } from '../../src/systems';
import { activitiesPerSecond } from '../../src/systems/system';
import { TASK_QUEUES } from '../../src/temporal/task-queues';
import { cycleWorkflowType } from '../../workflows/cycle';
import * as workflows from '../../workflows';

describe('system registry', () => {
  it('gives each system its own id, task queue, base-URL variable and simulator port', () => {
    const unique = (xs: unknown[]) => new Set(xs).size === xs.length;
    expect(unique(SYSTEMS.map((s) => s.id))).toBe(true);
    expect(unique(SYSTEMS.map((s) => s.taskQueue))).toBe(true);
    expect(unique(SYSTEMS.map((s) => s.baseUrl.env))).toBe(true);
    expect(unique(SYSTEMS.map((s) => s.simulator?.defaultPort).filter(Boolean))).toBe(true);
    for (const s of SYSTEMS) {
      expect(s.taskQueue).toBe(`koppelwerk-${s.id}`);
      expect(s.baseUrl.env).toBe(`${s.id.toUpperCase()}_BASE_URL`);
      expect(s.baseUrl.default).toMatch(/^https:\/\//);
    }
  });

  it('declares a usable rate budget for every system', () => {
    for (const s of SYSTEMS) {
      expect(s.rateBudget.concurrency).toBeGreaterThan(0);
      expect(activitiesPerSecond(s.rateBudget)).toBeGreaterThan(0);
    }
    expect(activitiesPerSecond({ perSecond: 10, perMinute: 120, concurrency: 1 })).toBe(2);
    expect(activitiesPerSecond({ concurrency: 1 })).toBeUndefined();
  });

  it('has Dutch credential help naming where to find the credentials', () => {
    for (const s of SYSTEMS) {
      expect(s.credentialHelp.oorzaak).toContain(s.label);
      expect(s.credentialHelp.oplossing).toMatch(/^Vul /);
    }
  });

  it('is where the task queues and config base URLs come from', () => {
    expect(TASK_QUEUES).toEqual({ workflows: 'koppelwerk', ...Object.fromEntries(SYSTEMS.map((s) => [s.id, s.taskQueue])) });
    const shape = configSchema.shape as Record<string, { parse(v: unknown): unknown }>;
    for (const s of SYSTEMS) expect(shape[s.baseUrl.env].parse(undefined)).toBe(s.baseUrl.default);
  });
});

describe('koppeling registry', () => {
  it('ships the koppeling types, each under one name', () => {
    expect(KOPPELINGEN.map((k) => k.type).sort()).toEqual(['eaccounting-vismanet', 'eboekhouden-werkbonapp', 'nmbrs-eaccounting', 'nmbrs-eboekhouden', 'nmbrs-mijnkantoor']);
  });

  it('takes each koppeling credential schema from the system registry (one schema per system)', () => {
    for (const k of KOPPELINGEN) {
      expect(Object.keys(k.credentials)).toEqual(k.systems.map((s) => s.id));
      for (const s of k.systems) {
        expect(SYSTEMS).toContain(s);
        expect(k.credentials[s.id]).toBe(s.credentials);
      }
    }
  });

  it('has a cycle workflow registered for every koppeling type', () => {
    for (const k of KOPPELINGEN) expect(typeof (workflows as Record<string, unknown>)[cycleWorkflowType(k.type)]).toBe('function');
  });
});
