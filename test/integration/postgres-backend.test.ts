/**
 * FerretDB's PostgreSQL backend on the embedded PostgreSQL from npm (the alternative to SQLite that
 * `bench-scale --backend both` measures): it starts from the registry's binaries (as root too),
 * the store's own code works on it (unique ledger inserts included), and it stops cleanly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../../src/dev/postgres';
import { freePort, startFerretDB, type Managed } from '../../src/dev/processes';
import { Ledger } from '../../src/store/ledger';
import { connectStore, type Store } from '../../src/store/mongo';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'kw-pg-'));
const children: Managed[] = [];
let store: Store | undefined;

afterAll(async () => {
  await store?.close();
  for (const c of children.reverse()) await c.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the ledger works on FerretDB over the embedded PostgreSQL', async () => {
  const pg = await startPostgres({ port: await freePort(), dir: join(dir, 'postgres') });
  children.push(pg);
  const ferret = await startFerretDB({ port: await freePort(), dir: join(dir, 'ferretdb'), postgresqlUrl: pg.url, quiet: true });
  children.push(ferret);
  store = await connectStore(ferret.uri, 'it_pg');
  const ledger = new Ledger(store);
  const input = { tenantId: 't', koppelingId: 'k-pg', entity: 'memoriaal', sourceKey: 'run-1', contentHash: 'h1', reference: 'NMBRS-PG-1' };
  let writes = 0;
  const ops = { lookup: async () => undefined, write: async () => (writes++, 'm-1') };
  const first = await ledger.postOnce(input, ops);
  const second = await ledger.postOnce(input, ops);
  expect(writes).toBe(1);
  expect(first.outcome).toBe('posted');
  expect(second).toMatchObject({ outcome: 'already', targetId: 'm-1' });
});
