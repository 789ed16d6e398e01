/**
 * The workflow bundle for tests: every production workflow plus the test-only koppeling type's
 * cycle. The test type exists only here, never in the shipped bundle.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { CycleInput, CycleOutcome } from '../../workflows/cycle';
import type { TestKoppelingActivities } from './test-koppeling';
import type { TestOAuthActivities } from './oauth-koppeling';

import { registerProbe } from '../../workflows/probes';

export * from '../../workflows';

const { testStep } = proxyActivities<TestKoppelingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '50ms', maximumAttempts: 3, nonRetryableErrorTypes: ['ReauthRequired', 'PermissionDenied', 'MappingIncomplete'] },
});

export async function testKoppelingCycle(input: CycleInput): Promise<CycleOutcome> {
  return testStep(input);
}

/**
 * "test-probing": the test koppeling with a probe (activity `testProbe` on the workflow queue), for
 * the idle-tick tests and the replay fixture of the probe path. "test-koppeling" has none, so the
 * fixtures recorded before the probe keep their shape.
 */
export const TEST_PROBING_TYPE = 'test-probing';
registerProbe(TEST_PROBING_TYPE, { activity: 'testProbe' });

export async function testProbingCycle(input: CycleInput): Promise<CycleOutcome> {
  return testStep(input);
}

/**
 * A workflow whose every task fails (a bug that is not a Temporal failure): Temporal retries the
 * task forever. Started under a koppeling's workflow id, it shows how a stuck koppeling looks.
 */
export async function stuckForTest(): Promise<void> {
  throw new TypeError('simulated bug in workflow code');
}

const { testOauthStep } = proxyActivities<TestOAuthActivities>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '50ms', maximumAttempts: 3, nonRetryableErrorTypes: ['ReauthRequired', 'PermissionDenied', 'MappingIncomplete'] },
});

/** The OAuth2 test type's cycle (test/support/oauth-koppeling.ts). */
export async function testOauthCycle(input: CycleInput): Promise<CycleOutcome> {
  return testOauthStep(input);
}
