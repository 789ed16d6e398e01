/**
 * KoppelError → ApplicationFailure, at the activity boundary (a worker interceptor), so connectors
 * stay free of Temporal and workflows see typed failures: `type` is the ErrorType, details[0] the
 * Dutch cause and fix.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { isKoppelError, type KoppelError } from '../domain/errors';

export function toApplicationFailure(err: KoppelError): ApplicationFailure {
  return ApplicationFailure.create({
    type: err.type,
    message: `${err.oorzaak} ${err.oplossing}`.trim(),
    nonRetryable: !err.retryable,
    nextRetryDelay: err.retryAfterMs,
    details: [err.toJSON()],
  });
}

export class KoppelErrorInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      if (isKoppelError(err)) throw toApplicationFailure(err);
      throw err;
    }
  }
}
