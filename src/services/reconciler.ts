/**
 * Runs KoppelingService.reconcile at start-up and then every interval, so a koppeling that ended up
 * linked without a running workflow (a stop/start race, a terminated workflow, a reset Temporal
 * database) is healed within a minute, not only at the next API start. One pass at a time; a
 * failing pass is reported and the next one tries again.
 */
import type { KoppelingService } from './koppelingen';

export const RECONCILE_INTERVAL_MS = 30_000;

export interface Reconciler {
  stop(): Promise<void>;
}

export function startReconciler(
  service: Pick<KoppelingService, 'reconcile'>,
  opts: {
    intervalMs?: number;
    onError?: (err: unknown) => void;
    onRepair?: (r: { started: number; stopped: number; parked: number }) => void;
    /** Also park koppelingen whose connection was refused since the previous pass (ConnectionService.parkRefused). */
    parkRefused?: (since: Date) => Promise<number>;
  } = {},
): Reconciler {
  let running: Promise<void> | undefined;
  // The first pass looks back one interval: a refusal just before start-up is not missed.
  let since = new Date(Date.now() - (opts.intervalMs ?? RECONCILE_INTERVAL_MS));
  const pass = () => {
    if (running) return; // the previous pass is still going
    const startedAt = new Date();
    running = service
      .reconcile()
      .then(async (r) => {
        const parked = opts.parkRefused ? await opts.parkRefused(since) : 0;
        since = startedAt;
        if (r.started || r.stopped || parked) opts.onRepair?.({ ...r, parked });
      })
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(pass, opts.intervalMs ?? RECONCILE_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
