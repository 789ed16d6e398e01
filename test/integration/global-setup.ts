/**
 * Starts the real servers once for the integration suite: FerretDB (SQLite, temp dir) and the
 * Temporal CLI dev server (in-memory, search attributes registered). Test files read their
 * addresses from the environment; each file uses its own MongoDB database. Both die with the jest
 * process even when it is killed or force-exits (src/dev/die-with-parent.ts).
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
  const started = await Promise.allSettled([
    startFerretDB({ port: await freePort(), dir: join(dir, 'ferretdb'), quiet: true }),
    startTemporalDev({ port: await freePort(), quiet: true }),
  ]);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    // Jest skips the teardown when setup throws: stop the one that did start.
    for (const r of started) if (r.status === 'fulfilled') await r.value.stop(5_000);
    throw failed.reason;
  }
  const [ferret, temporal] = started.map((r) => (r as PromiseFulfilledResult<Managed & { uri?: string; address?: string }>).value);
  process.env.KW_IT_MONGODB_URI = ferret.uri!;
  process.env.KW_IT_TEMPORAL_ADDRESS = temporal.address!;
  process.env.KW_IT_DIR = dir;
  globalThis.__KOPPELWERK_SERVERS__ = [ferret, temporal];
}
