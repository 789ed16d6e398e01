/** Stops the servers of global-setup, each even if another fails to stop. */
export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.__KOPPELWERK_SERVERS__ ?? [];
  globalThis.__KOPPELWERK_SERVERS__ = undefined;
  await Promise.allSettled(servers.map((s) => s.stop(5_000)));
}
