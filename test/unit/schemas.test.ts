import { closePeriodBody, createKoppelingBody, listKoppelingenQuery, mappingBody } from '../../src/api/schemas';
import { zodIssues } from '../../src/api/route';

describe('API schemas', () => {
  it('accept a full create body and fill defaults', () => {
    const b = createKoppelingBody.parse({ type: 'nmbrs-eboekhouden', name: 'Loon' });
    expect(b).toMatchObject({ settings: {}, credentials: {}, start: true });
  });

  it('name every bad field with its reason', () => {
    const r = createKoppelingBody.safeParse({ type: '', name: 'x', cadence: { kind: 'interval', everyMinutes: 0 }, extra: 1 });
    expect(r.success).toBe(false);
    const issues = zodIssues(r.error!);
    expect(issues.map((i) => i.field)).toEqual(expect.arrayContaining(['type', 'cadence.everyMinutes', '(body)']));
    expect(issues.find((i) => i.field === '(body)')?.reason).toMatch(/extra/);
  });

  it('validate periods, mappings and list queries', () => {
    expect(closePeriodBody.safeParse({ administration: 'EB', year: 2026, period: 13 }).success).toBe(true);
    expect(closePeriodBody.safeParse({ administration: 'EB', year: 2026, period: 0 }).success).toBe(false);
    expect(mappingBody.safeParse({ mapping: { '4105': '' } }).success).toBe(false);
    expect(listKoppelingenQuery.parse({ limit: '20' }).limit).toBe(20);
    expect(listKoppelingenQuery.safeParse({ limit: '9999' }).success).toBe(false);
  });
});
