/**
 * A test-only koppeling type on an OAuth2 connection ("test-oauth"): its activity asks the
 * connection for an access token at call time (refreshed when close to expiry) and calls the
 * provider simulator's API with it, like a Visma koppeling will.
 */
import { z } from 'zod';
import type { ActivityDeps } from '../../activities/deps';
import { KoppelError } from '../../src/domain/errors';
import { registerKoppelingType } from '../../src/domain/koppeling-types';
import { oauth2SystemFor } from '../../src/oauth/systems';
import type { CycleInput, CycleOutcome } from '../../workflows/cycle';

export const TEST_OAUTH_TYPE = 'test-oauth';
export const TEST_OAUTH_SYSTEM = 'testoauth';

export function registerTestOAuthKoppelingType(): void {
  registerKoppelingType({
    type: TEST_OAUTH_TYPE,
    label: 'Test OAuth2-koppeling',
    credentials: { [TEST_OAUTH_SYSTEM]: z.object({ accessToken: z.string() }) },
    settings: z.object({}).passthrough(),
    defaultCadence: { kind: 'daily', at: '06:00' },
  });
}

export interface TestOAuthActivities {
  testOauthStep(input: CycleInput): Promise<CycleOutcome>;
}

export function createTestOAuthActivities(deps: ActivityDeps): TestOAuthActivities {
  return {
    async testOauthStep(input) {
      const creds = await deps.credentials.read<{ accessToken: string }>(input.koppelingId, TEST_OAUTH_SYSTEM);
      const def = oauth2SystemFor(TEST_OAUTH_SYSTEM);
      if (!creds || !def) throw new Error('no connection');
      const res = await fetch(new URL('/api/me', def.tokenUrl), { headers: { authorization: `Bearer ${creds.accessToken}` } });
      if (res.status === 401) {
        throw new KoppelError({
          type: 'ReauthRequired',
          system: 'koppelwerk',
          code: '4005',
          message: 'provider refused the access token',
          oorzaak: 'De testaanbieder weigerde het toegangstoken.',
          oplossing: 'Autoriseer de verbinding opnieuw.',
        });
      }
      if (!res.ok) throw new Error(`provider answered ${res.status}`);
      return { result: 'ok', counts: { calls: 1 }, summary: 'testaanbieder bereikt' };
    },
  };
}
