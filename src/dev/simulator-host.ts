/**
 * Simulators in a process of their own: `node dist/src/dev/simulator-host.js <system> …` starts the
 * registry's simulators of those systems on free ports (fresh, in memory), tells its parent their
 * URLs over the IPC channel, and exits when that channel closes.
 *
 * For the kill soak: a simulator counts requests per wall-clock second on arrival, so it must not
 * share an event loop with a driver that stalls it (checks that read thousands of items, the admin
 * API): queued requests would then be counted as one burst that the clients never sent.
 */
import { SYSTEMS } from '../systems';
import { freePort } from './processes';

export interface SimulatorHostReady {
  type: 'simulators';
  urls: Record<string, string>;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const running: Array<{ close(): Promise<void> }> = [];
  const urls: Record<string, string> = {};
  for (const id of wanted) {
    const system = SYSTEMS.find((s) => s.id === id);
    if (!system?.simulator) throw new Error(`no simulator for system ${id}`);
    const sim = await system.simulator.start({ port: await freePort() });
    running.push(sim);
    urls[id] = sim.url;
  }
  const stop = () => void Promise.all(running.map((s) => s.close().catch(() => undefined))).then(() => process.exit(0));
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  process.send?.({ type: 'simulators', urls } satisfies SimulatorHostReady);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
