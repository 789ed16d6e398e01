/** Run the Visma eAccounting simulator on its own: `node dist/src/systems/eaccounting/simulator/main.js [port]`. */
import { startEaccountingSimulator } from '.';

void startEaccountingSimulator({ port: Number(process.argv[2] ?? 4104) }).then((s) => console.log(`Visma eAccounting simulator on ${s.url} (identity /connect, API /v2)`));
