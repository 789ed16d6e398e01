/**
 * Bulk jaarwerk from the CRM, end to end over HTTP: POST /jaarwerk for 30 relations (some of them
 * not processable: year not locked, unknown number, no Nmbrs company), with one AnnualDocument right
 * still off in the Nmbrs user template (the seed's step 3). Those relations fail with the seed's
 * fix while the allowed documents are filed; after the right is switched on a retry completes them.
 * The same request again is the same workflow; a second request for the same relations files nothing twice.
 */
import { ANNUAL_DOCUMENTS, annualDocumentCall } from '../../../src/systems/nmbrs/annual-documents';
import { DEMO_TENANT } from '../../../src/systems/mijnkantoor/simulator/demo';
import { DEMO_USER } from '../../../src/systems/nmbrs/simulator/demo';
import { Harness, waitFor } from '../harness';

jest.setTimeout(150_000);

const h = new Harness();
let key: string;
const YEAR = 2025;
const MK = { token: 'demo-mijnkantoor-token', tenant: DEMO_TENANT };
const DIRS = { loonstroken: 'dir_loonstroken', sepa: 'dir_sepa', loonaangiftes: 'dir_loonaangiftes', jaarwerk: 'dir_jaarwerk' };

interface Progress {
  status: string;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  pending: number;
  uploaded: number;
  peakConcurrency: number;
  relations: Array<{ relation: string; status: string; uploaded: number; already: number; reason?: string; missingRights?: string[] }>;
}

const progress = async (id: string) => (await h.call<Progress>('GET', `/jaarwerk/${id}`, { key })).body;
const settled = (id: string, status: string) => waitFor(async () => ((await progress(id)).status === status ? progress(id) : undefined), 90_000, `jaarwerk ${id} ${status}`);
const jaarwerkItems = async () =>
  (await h.control<Array<{ name: string; customer_id: string; dossier_directory_id: string; year: number }>>('mijnkantoor', 'GET', `/tenants/${DEMO_TENANT}/items`)).filter(
    (i) => i.dossier_directory_id === 'dir_jaarwerk',
  );

beforeAll(async () => {
  await h.start({ simulators: ['nmbrs', 'mijnkantoor'] });
  key = await h.tenant('kantoor');
  // 27 Nmbrs companies with a locked year 2025 (numbers 101–127), two whose year is still open (128, 129);
  // Mijn Kantoor has customers 101–129 and 130 (no Nmbrs company).
  for (let n = 101; n <= 129; n++) {
    await h.control('nmbrs', 'POST', '/companies', { id: 2000 + n, debtorId: 501, number: n, name: `Klant ${n} B.V.` });
    await h.control('nmbrs', 'POST', `/companies/${2000 + n}/runs`, { runs: [{ year: YEAR, periodStart: 1, periodEnd: 12, isLocked: n < 128 }] });
    await h.control('nmbrs', 'POST', `/companies/${2000 + n}/employees`, { count: 2 });
  }
  await h.control('mijnkantoor', 'POST', `/tenants/${DEMO_TENANT}/customers`, Array.from({ length: 30 }, (_, i) => ({ number: String(101 + i), name: `Klant ${101 + i} B.V.` })));
  // Every AnnualDocument right on except AnualStatement (the demo template has them all off).
  for (const [kind] of ANNUAL_DOCUMENTS) {
    if (kind !== 'AnualStatement') await h.control('nmbrs', 'PUT', `/users/${DEMO_USER.username}/rights/${annualDocumentCall(kind)}`, { active: true });
  }
  const res = await h.call('POST', '/koppelingen', {
    key,
    body: {
      type: 'nmbrs-mijnkantoor',
      name: 'Jaarwerk',
      settings: { syncFromYear: 2026, directories: DIRS, syncRelations: false, fetch: { loonaangiftes: false, loonstroken: false, sepa: false }, jaarwerkConcurrency: 4 },
      credentials: { nmbrs: { clientId: DEMO_USER.username, clientSecret: DEMO_USER.token, tenantKey: 'demo' }, mijnkantoor: MK },
    },
  });
  expect(res.status).toBe(201);
});
afterAll(() => h.stop());

const relations = [...Array.from({ length: 29 }, (_, i) => String(101 + i)), '999'];

test('a bad body is refused with every field named', async () => {
  const res = await h.call('POST', '/jaarwerk', { key, body: { requestId: 'a b', year: 1999, relations: [] } });
  expect(res.status).toBe(400);
  expect(res.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['relations', 'requestId', 'year']);
});

test('30 relations: missing right → failed with the seed\'s fix (allowed documents filed); skipped with reasons; retry after the fix completes them', async () => {
  const start = await h.call('POST', '/jaarwerk', { key, body: { requestId: 'crm-1', year: YEAR, relations } });
  expect(start.status).toBe(202);
  const p = await settled('crm-1', 'waiting_retry');
  expect(p).toMatchObject({ total: 30, failed: 27, skipped: 3, done: 0, pending: 0 });
  expect(p.peakConcurrency).toBeGreaterThan(1);
  expect(p.peakConcurrency).toBeLessThanOrEqual(4);
  const failed = p.relations.find((r) => r.relation === '101')!;
  expect(failed).toMatchObject({ status: 'failed', uploaded: 14, missingRights: ['SalaryDocuments_AnnualDocument_AnualStatement'] });
  expect(failed.reason).toContain('Instellingen > User templates');
  expect(failed.reason).toContain('"SalaryDocuments_AnnualDocument" op Actief');
  expect(p.relations.find((r) => r.relation === '128')).toMatchObject({ status: 'skipped', reason: expect.stringContaining('nog niet afgesloten') });
  expect(p.relations.find((r) => r.relation === '999')).toMatchObject({ status: 'skipped', reason: 'Relatie 999 bestaat niet in Mijn Kantoor.' });
  expect(await jaarwerkItems()).toHaveLength(27 * 14);

  // The same request again: the same workflow, nothing new.
  const again = await h.call('POST', '/jaarwerk', { key, body: { requestId: 'crm-1', year: YEAR, relations } });
  expect(again.status).toBe(200);
  expect(again.body.duplicate).toBe(true);
  expect((await h.call('POST', '/jaarwerk', { key, body: { requestId: 'crm-1', year: 2024, relations } })).status).toBe(409);

  await h.control('nmbrs', 'PUT', `/users/${DEMO_USER.username}/rights/${annualDocumentCall('AnualStatement')}`, { active: true });
  expect((await h.call('POST', '/jaarwerk/crm-1/retry', { key })).status).toBe(202);
  const after = await settled('crm-1', 'done');
  expect(after).toMatchObject({ done: 27, failed: 0, skipped: 3 });
  expect(after.relations.find((r) => r.relation === '101')).toMatchObject({ status: 'done', uploaded: 15, already: 14 });
  const items = await jaarwerkItems();
  expect(items).toHaveLength(27 * 15);
  expect(new Set(items.map((i) => `${i.customer_id}|${i.name}`)).size).toBe(items.length);
  expect(items.some((i) => i.name === `Jaaropgaven ${YEAR}.pdf` && i.year === YEAR)).toBe(true);
});

test('a second request for the same relations and year files nothing twice', async () => {
  expect((await h.call('POST', '/jaarwerk', { key, body: { requestId: 'crm-2', year: YEAR, relations: relations.slice(0, 10) } })).status).toBe(202);
  const p = await settled('crm-2', 'done');
  expect(p).toMatchObject({ done: 10, uploaded: 0 });
  expect(p.relations.every((r) => r.already === 15)).toBe(true);
  expect(await jaarwerkItems()).toHaveLength(27 * 15);
});
