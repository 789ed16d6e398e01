/**
 * Fault injection shared by every simulator: latency, HTTP 5xx, hanging requests (timeouts),
 * malformed bodies and HTTP 429 with Retry-After, each at a chosen rate. Controlled at run time through the simulator's
 * control API (`POST /_control/faults`), so tests and the demo can turn trouble on and off.
 */
import type { NextFunction, Request, Response, Router } from 'express';
import express from 'express';
import { z } from 'zod';
import { seededRandom } from '../../domain/random';

export const faultConfigSchema = z
  .object({
    /** Added to every request, in ms. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** Fraction of requests answered with HTTP 500/503. */
    errorRate: z.number().min(0).max(1).default(0),
    /** Fraction of requests that hang for `timeoutMs` and then drop the connection. */
    timeoutRate: z.number().min(0).max(1).default(0),
    timeoutMs: z.number().int().min(0).max(120_000).default(15_000),
    /** Fraction of requests answered 200 with a truncated, unparsable body. */
    malformedRate: z.number().min(0).max(1).default(0),
    /** Fraction of requests answered HTTP 429 with `Retry-After: retryAfterSeconds`. */
    rateLimitRate: z.number().min(0).max(1).default(0),
    retryAfterSeconds: z.number().int().min(0).max(3_600).default(1),
    /** Seed for the fault dice, so a run can be repeated. */
    seed: z.number().int().optional(),
  })
  .strict();
export type FaultConfig = z.infer<typeof faultConfigSchema>;

export class FaultInjector {
  private config: FaultConfig = faultConfigSchema.parse({});
  private random: () => number = Math.random;
  /** Counts of injected faults, for tests and benchmarks. */
  readonly injected = { errors: 0, timeouts: 0, malformed: 0, rateLimited: 0, requests: 0 };
  /**
   * Requests per wall-clock second: the busiest second seen (`peakPerSecond`, at `peakAt`), for
   * comparing the load a system received with its declared rate budget. Counted whatever the fault config.
   */
  readonly rate = { second: 0, count: 0, peakPerSecond: 0, peakAt: '' };

  /** Forget the busiest second seen so far (e.g. after a warm-up). */
  resetPeak(): void {
    this.rate.peakPerSecond = 0;
    this.rate.peakAt = '';
  }

  private countRequest(): void {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.rate.second) {
      this.rate.second = second;
      this.rate.count = 0;
    }
    this.rate.count++;
    if (this.rate.count > this.rate.peakPerSecond) {
      this.rate.peakPerSecond = this.rate.count;
      this.rate.peakAt = new Date(second * 1000).toISOString();
    }
  }

  set(input: unknown): FaultConfig {
    this.config = faultConfigSchema.parse(input);
    this.random = this.config.seed === undefined ? Math.random : seededRandom(this.config.seed);
    return this.config;
  }

  get current(): FaultConfig {
    return this.config;
  }

  reset(): void {
    this.set({});
  }

  /**
   * Express middleware: put it before the simulator's routes, after the control routes.
   * `malformedBody` is what a broken answer looks like for this protocol.
   */
  middleware(malformedBody: string, contentType = 'text/xml; charset=utf-8') {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      if (req.path.startsWith('/_control')) return next();
      this.injected.requests++;
      this.countRequest();
      const c = this.config;
      if (c.latencyMs > 0) await new Promise((r) => setTimeout(r, c.latencyMs));
      const dice = this.random();
      if (dice < c.errorRate) {
        this.injected.errors++;
        res.status(this.random() < 0.5 ? 500 : 503).type('text/html').send('<html><body>Service Unavailable</body></html>');
        return;
      }
      if (dice < c.errorRate + c.timeoutRate) {
        this.injected.timeouts++;
        setTimeout(() => req.socket.destroy(), c.timeoutMs).unref();
        return;
      }
      if (dice < c.errorRate + c.timeoutRate + c.malformedRate) {
        this.injected.malformed++;
        res.status(200).type(contentType).send(malformedBody.slice(0, Math.max(1, Math.floor(malformedBody.length / 2))));
        return;
      }
      if (dice < c.errorRate + c.timeoutRate + c.malformedRate + c.rateLimitRate) {
        this.injected.rateLimited++;
        res.status(429).set('retry-after', String(c.retryAfterSeconds)).type('text/plain').send('Too Many Requests');
        return;
      }
      next();
    };
  }

  /** `GET/POST /_control/faults` routes. */
  routes(): Router {
    const router = express.Router();
    router.get('/_control/faults', (_req, res) => {
      res.json({ config: this.current, injected: this.injected, rate: { peakPerSecond: this.rate.peakPerSecond, peakAt: this.rate.peakAt } });
    });
    router.post('/_control/faults', express.json(), (req, res) => {
      const parsed = faultConfigSchema.safeParse(req.body ?? {});
      if (!parsed.success) {
        res.status(400).json({ error: 'invalid fault config', issues: parsed.error.issues });
        return;
      }
      res.json({ config: this.set(parsed.data) });
    });
    return router;
  }
}
