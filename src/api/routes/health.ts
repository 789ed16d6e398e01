import { pingStore } from '../../store/mongo';
import { defineRoute } from '../route';

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await Promise.race([fn(), new Promise((_r, reject) => setTimeout(() => reject(new Error('timeout after 3s')), 3_000))]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export const healthz = defineRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Health of MongoDB and Temporal (503 when one is down)',
  tag: 'health',
  auth: 'public',
  responses: { 200: 'all parts up', 503: 'a part is down' },
  handler: async ({ ctx, res }) => {
    const [mongodb, temporal] = await Promise.all([
      check(() => pingStore(ctx.store)),
      check(() => ctx.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ok = mongodb.ok && temporal.ok;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', mongodb, temporal };
  },
});
