/**
 * Mijn Kantoor connector against its simulator over real HTTP (port 0): auth (401/403), customers
 * with the unique number, the directory tree and its leaf rule, multipart upload, search with
 * pagination through meta.pagination.links.next, download, persistence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KoppelError } from '../../../src/domain/errors';
import { createMijnKantoorClient, type MijnKantoorClient } from '../../../src/systems/mijnkantoor/client';
import { DEMO_DIRECTORIES, DEMO_TENANT, DEMO_TOKEN, startMijnKantoorSimulator, type MijnKantoorSimulator } from '../../../src/systems/mijnkantoor/simulator';

let sim: MijnKantoorSimulator;
let client: MijnKantoorClient;

async function caught(p: Promise<unknown>): Promise<KoppelError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KoppelError);
    return err as KoppelError;
  }
  throw new Error('expected a KoppelError');
}

beforeAll(async () => {
  sim = await startMijnKantoorSimulator({ port: 0 });
  client = createMijnKantoorClient({ baseUrl: sim.url, token: DEMO_TOKEN, tenant: DEMO_TENANT });
});
afterAll(() => sim.close());

test('a wrong token is 401 → ReauthRequired in Dutch; a token of another tenant is 403', async () => {
  const e = await caught(createMijnKantoorClient({ baseUrl: sim.url, token: 'wrong-token-123', tenant: DEMO_TENANT }).listCustomers());
  expect(e.type).toBe('ReauthRequired');
  expect(e.code).toBe('401');
  expect(e.oplossing).toMatch(/nieuw API-token/);
  expect(e.message).not.toContain('wrong-token-123');
  const f = await caught(createMijnKantoorClient({ baseUrl: sim.url, token: DEMO_TOKEN, tenant: 'ander-kantoor' }).listCustomers());
  expect(f.code).toBe('403');
  expect(f.oorzaak).toContain('ander-kantoor');
});

test('customers: list (demo office), create, duplicate number (leading zeros ignored) refused, update', async () => {
  const list = await client.listCustomers();
  expect(list.map((c) => c.number)).toEqual(expect.arrayContaining(['0001', '2', '17', '1005']));
  const created = await client.createCustomer({ name: 'Nieuw B.V.', number: '300', type: 'business' });
  expect(created.id).toMatch(/^cus_/);
  const dup = await caught(client.createCustomer({ name: 'Dubbel', number: '0300', type: 'business' }));
  expect(dup.type).toBe('InvalidData');
  expect(dup.oorzaak).toMatch(/al in gebruik/);
  const updated = await client.updateCustomer(created.id, { name: 'Nieuw Holding B.V.' });
  expect(updated.name).toBe('Nieuw Holding B.V.');
});

test('directories: a tree with is_leaf; upload into a non-leaf is refused; a leaf accepts it; search pages; download returns the bytes', async () => {
  const eb = (await client.listCustomers()).find((c) => c.number === '0001')!;
  const dirs = await client.listDirectories(eb.id);
  expect(dirs.find((d) => d.id === DEMO_DIRECTORIES.salaris)?.is_leaf).toBe(false);
  expect(dirs.find((d) => d.id === DEMO_DIRECTORIES.loonstroken)).toMatchObject({ is_leaf: true, parent_id: DEMO_DIRECTORIES.salaris });

  const content = Buffer.from('%PDF-1.4 test');
  const refused = await caught(
    client.upload({ customerId: eb.id, directoryId: DEMO_DIRECTORIES.salaris, name: 'x.pdf', filename: 'x.pdf', mimeType: 'application/pdf', content }),
  );
  expect(refused.type).toBe('InvalidData');
  expect(refused.oorzaak).toContain('Salarisadministratie');

  for (let i = 1; i <= 105; i++) {
    await client.upload({ customerId: eb.id, directoryId: DEMO_DIRECTORIES.loonstroken, name: `Loonstroken 2026-${i} run 1.pdf`, filename: `l${i}.pdf`, mimeType: 'application/pdf', content: Buffer.from(`%PDF ${i}`), year: 2026, period: String(i) });
  }
  const found = await client.searchItems(eb.id, 'Loonstroken');
  expect(found).toHaveLength(105); // two pages of 100 followed through links.next
  expect(found[0]).toMatchObject({ year: 2026, period: '1', dossier_directory_id: DEMO_DIRECTORIES.loonstroken });
  expect((await client.download(found[104].id)).toString()).toBe('%PDF 105');
  expect(await client.searchItems(eb.id, 'bestaat niet')).toEqual([]);
}, 30_000); // 105 uploads paced at the account's budget (18 a second)

test('5xx and 429 from fault injection are Transient / RateLimited', async () => {
  sim.faults.set({ errorRate: 1 });
  expect((await caught(client.listCustomers())).type).toBe('Transient');
  sim.faults.set({ rateLimitRate: 1, retryAfterSeconds: 3 });
  const r = await caught(client.listCustomers());
  expect(r.type).toBe('RateLimited');
  expect(r.retryAfterMs).toBe(3000);
  sim.faults.reset();
});

test('the state file keeps customers and files across a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-sim-'));
  try {
    const file = join(dir, 'mk.json');
    const a = await startMijnKantoorSimulator({ port: 0, stateFile: file });
    const ca = createMijnKantoorClient({ baseUrl: a.url, token: DEMO_TOKEN, tenant: DEMO_TENANT });
    const c = await ca.createCustomer({ name: 'Blijft', number: '777', type: 'business' });
    await ca.upload({ customerId: c.id, directoryId: DEMO_DIRECTORIES.algemeen, name: 'a.txt', filename: 'a.txt', mimeType: 'text/plain', content: Buffer.from('hallo') });
    await a.close();
    const b = await startMijnKantoorSimulator({ port: 0, stateFile: file });
    const cb = createMijnKantoorClient({ baseUrl: b.url, token: DEMO_TOKEN, tenant: DEMO_TENANT });
    const items = await cb.searchItems(c.id);
    expect((await cb.download(items[0].id)).toString()).toBe('hallo');
    await b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
