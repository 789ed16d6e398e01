/**
 * Crash test for bulk jaarwerk: the production worker (`node dist/src/worker.js`, from `npm run
 * build`) is killed with SIGKILL several times while a bulk request for 20 relations files their
 * annual documents, and restarted each time. Mijn Kantoor answers slowly, so kills land inside
 * uploads too. Afterwards every relation is done and the dossier holds each of its 15 documents
 * exactly once: nothing lost, nothing twice. Kill moments come from a seeded generator
 * (CRASH_SEED=<n> repeats a run); assertions depend only on the end state.
 */
import { seededRandom } from '../../../src/domain/random';
import { ANNUAL_DOCUMENTS, annualDocumentCall } from '../../../src/systems/nmbrs/annual-documents';
import { DEMO_TENANT } from '../../../src/systems/mijnkantoor/simulator/demo';
import { DEMO_USER } from '../../../src/systems/nmbrs/simulator/demo';
import { Harness, waitFor } from '../harness';

jest.setTimeout(240_000);

const KILLS = 3;
const RELATIONS = 12;
const YEAR = 2025;
const h = new Harness();
let key: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await h.start({ simulators: ['nmbrs', 'mijnkantoor'], worker: 'child' });
  key = await h.tenant('crash');
  for (let n = 301; n < 301 + RELATIONS; n++) {
    await h.control('nmbrs', 'POST', '/companies', { id: 3000 + n, debtorId: 501, number: n, name: `Crash ${n} B.V.` });
    await h.control('nmbrs', 'POST', `/companies/${3000 + n}/runs`, { runs: [{ year: YEAR, periodStart: 1, periodEnd: 12, isLocked: true }] });
  }
  await h.control('mijnkantoor', 'POST', `/tenants/${DEMO_TENANT}/customers`, Array.from({ length: RELATIONS }, (_, i) => ({ number: String(301 + i), name: `Crash ${301 + i} B.V.` })));
  for (const [kind] of ANNUAL_DOCUMENTS) await h.control('nmbrs', 'PUT', `/users/${DEMO_USER.username}/rights/${annualDocumentCall(kind)}`, { active: true });
});
afterAll(() => h.stop());

test(`the worker is killed ${KILLS} times during a bulk jaarwerk; every document is filed exactly once`, async () => {
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
  const random = seededRandom(seed);
  // eslint-disable-next-line no-console
  console.log(`jaarwerk crash test seed ${seed} (repeat with CRASH_SEED=${seed})`);
  const created = await h.call('POST', '/koppelingen', {
    key,
    body: {
      type: 'nmbrs-mijnkantoor',
      name: 'Crash',
      settings: {
        syncFromYear: 2026,
        syncRelations: false,
        fetch: { loonaangiftes: false, loonstroken: false, sepa: false },
        directories: { loonstroken: 'dir_loonstroken', sepa: 'dir_sepa', loonaangiftes: 'dir_loonaangiftes', jaarwerk: 'dir_jaarwerk' },
      },
      credentials: { nmbrs: { clientId: DEMO_USER.username, clientSecret: DEMO_USER.token, tenantKey: 'demo' }, mijnkantoor: { token: 'demo-mijnkantoor-token', tenant: DEMO_TENANT } },
    },
  });
  expect(created.status).toBe(201);
  await h.control('mijnkantoor', 'POST', '/faults', { latencyMs: 60 });
  const relations = Array.from({ length: RELATIONS }, (_, i) => String(301 + i));
  expect((await h.call('POST', '/jaarwerk', { key, body: { requestId: 'crash-1', year: YEAR, relations } })).status).toBe(202);

  const doneAtKill: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    await sleep(600 + Math.floor(random() * 1200));
    const now = (await h.call('GET', '/jaarwerk/crash-1', { key })).body;
    doneAtKill.push(now.status === 'done' ? RELATIONS : (now.done ?? 0));
    await h.killWorker('SIGKILL');
    await h.spawnWorker();
  }
  const p = await waitFor(async () => {
    const body = (await h.call('GET', '/jaarwerk/crash-1', { key })).body;
    return body.status === 'done' ? body : undefined;
  }, 180_000, 'jaarwerk done');
  expect(p).toMatchObject({ total: RELATIONS, done: RELATIONS, failed: 0 });
  expect(doneAtKill[0]).toBeLessThan(RELATIONS); // the kills landed while the bulk was running

  const items = (await h.control<Array<{ customer_id: string; name: string; dossier_directory_id: string }>>('mijnkantoor', 'GET', `/tenants/${DEMO_TENANT}/items`)).filter((i) => i.dossier_directory_id === 'dir_jaarwerk');
  const names = items.map((i) => `${i.customer_id}|${i.name}`);
  expect(new Set(names).size).toBe(names.length); // nothing twice
  expect(items).toHaveLength(RELATIONS * 15); // nothing lost
  expect(items.some((i) => / \(versie \d+\)/.test(i.name))).toBe(false);
});
