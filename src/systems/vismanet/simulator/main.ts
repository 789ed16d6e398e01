/** Run the Visma.net ERP simulator on its own: `node dist/src/systems/vismanet/simulator/main.js [port]`. */
import { startVismanetSimulator } from '.';

void startVismanetSimulator({ port: Number(process.argv[2] ?? 4107) }).then((s) => console.log(`Visma.net ERP simulator on ${s.url} (token /connect/token, ERP /v1, SalesOrders /api/v3)`));
