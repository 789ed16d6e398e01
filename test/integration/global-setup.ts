/**
 * Starts the real servers once for the integration suite: FerretDB (SQLite, temp dir) and the
 * Temporal CLI dev server (in-memory, search attributes registered). Test files read their
 * addresses from the environment; each file uses its own MongoDB database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFerretDB, startTemporalDev, type Managed } from '../../src/dev/processes';

declare global {
  // eslint-disable-next-line no-var
  var __KOPPELWERK_SERVERS__: Managed[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'koppelwerk-it-'));
  const [ferret, temporal] = await Promise.all([
    startFerretDB({ port: await freePort(), dir: join(dir, 'ferretdb'), quiet: true }),
    startTemporalDev({ port: await freePort(), quiet: true }),
  ]);
  process.env.KW_IT_MONGODB_URI = ferret.uri;
  process.env.KW_IT_TEMPORAL_ADDRESS = temporal.address;
  process.env.KW_IT_DIR = dir;
  globalThis.__KOPPELWERK_SERVERS__ = [ferret, temporal];
}
