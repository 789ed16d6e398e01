/** Runs the WerkbonApp simulator on its own: `PORT` (default 4103), `HOST` (default 127.0.0.1). */
import { startWerkbonAppSimulator } from './index';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4103);
  const host = process.env.HOST ?? '127.0.0.1';
  const sim = await startWerkbonAppSimulator({ port, host, demo: true });
  // The token is deliberately not printed: tokens never go into logs.
  console.log(`WerkbonApp simulator on ${sim.apiUrl} (control: ${sim.url}/_control)`);
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('WerkbonApp simulator failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
