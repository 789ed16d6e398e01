/** Runs the e-Boekhouden simulator alone: `PORT=4102 HOST=127.0.0.1 node dist/src/systems/eboekhouden/simulator/main.js`. */
import { DEMO_USERNAME, startEboekhoudenSimulator } from './index';

async function main(): Promise<void> {
  const sim = await startEboekhoudenSimulator({ port: Number(process.env.PORT ?? 4102), host: process.env.HOST ?? '127.0.0.1' });
  console.log(`e-Boekhouden simulator: ${sim.url}/soap.asmx (WSDL: ${sim.url}/soap.asmx?WSDL)`);
  // Security codes are never printed, not even the demo ones (they are in demo.ts).
  console.log(`demo user "${DEMO_USERNAME}"; control API ${sim.url}/_control/stats`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
