/**
 * Direct sync of one Mijn Kantoor customer to Nmbrs (outbound, seed 001 step 4): a short workflow
 * per webhook event, id `directsync/<koppelingId>/<eventId>`, so an event delivered twice runs once.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { NmbrsMijnkantoorActivities, PushResult } from '../../activities/nmbrs-mijnkantoor';
import { NON_RETRYABLE_TYPES } from '../../src/domain/errors';
import { MIJNKANTOOR } from '../../src/systems/mijnkantoor/identity';

const { nmkPushCustomer } = proxyActivities<Pick<NmbrsMijnkantoorActivities, 'nmkPushCustomer'>>({
  taskQueue: MIJNKANTOOR.taskQueue,
  startToCloseTimeout: '5m',
  heartbeatTimeout: '8s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10, nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES] },
});

export const directSyncWorkflowId = (koppelingId: string, eventId: string) => `directsync/${koppelingId}/${eventId}`;

export async function nmbrsMijnkantoorDirectSync(input: { koppelingId: string; customerId: string; eventId: string }): Promise<PushResult> {
  return nmkPushCustomer({ koppelingId: input.koppelingId, customerId: input.customerId });
}
