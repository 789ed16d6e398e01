/** Runs the Nmbrs simulator on its own: `PORT` (default 4101), `HOST` (default 127.0.0.1). */
import { startNmbrsSimulator } from './index';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4101);
  const sim = await startNmbrsSimulator({ port, host: process.env.HOST ?? '127.0.0.1' });
  console.log(`Nmbrs simulator on ${sim.url} (WSDL: ${sim.url}/soap/v3/CompanyService.asmx?WSDL)`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
