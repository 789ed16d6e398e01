/** Runs the Mijn Kantoor simulator on its own: `PORT` (default 4106), `HOST` (default 127.0.0.1). */
import { startMijnKantoorSimulator } from './index';

async function main(): Promise<void> {
  const sim = await startMijnKantoorSimulator({ port: Number(process.env.PORT ?? 4106), host: process.env.HOST ?? '127.0.0.1' });
  // The demo token is deliberately not printed: tokens never go into logs.
  console.log(`Mijn Kantoor simulator on ${sim.url}/v1 (control: ${sim.url}/_control)`);
  const stop = () => void sim.close().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('Mijn Kantoor simulator failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
