export default async function globalTeardown(): Promise<void> {
  for (const s of globalThis.__KOPPELWERK_SERVERS__ ?? []) await s.stop(5_000);
}
