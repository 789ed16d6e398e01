/**
 * A test-only koppeling type ("test-koppeling"): its one activity reads its credentials and mapping
 * at call time like a real koppeling, and behaves by its settings, so the runtime can be tested
 * end to end without an external system.
 */
import { z } from 'zod';
import type { ActivityDeps } from '../../activities/deps';
import { KoppelError, type ExternalSystem } from '../../src/domain/errors';
import { registerKoppelingType } from '../../src/domain/koppeling-types';
import type { CycleInput, CycleOutcome } from '../../workflows/cycle';

export const TEST_TYPE = 'test-koppeling';

export function registerTestKoppelingType(): void {
  registerKoppelingType({
    type: TEST_TYPE,
    label: 'Test koppeling',
    credentials: { testsys: z.object({ apiToken: z.string().min(8) }).strict() },
    settings: z.object({ requiredCode: z.string().default('A1'), items: z.number().int().min(0).default(3) }).strict(),
    defaultCadence: { kind: 'interval', everyMinutes: 15 },
  });
}

export interface TestKoppelingActivities {
  testStep(input: CycleInput): Promise<CycleOutcome>;
}

export const GOOD_TOKEN = 'correct-horse-battery-staple';

export function createTestKoppelingActivities(deps: ActivityDeps): TestKoppelingActivities {
  return {
    async testStep(input) {
      const k = await deps.koppelingen.get(input.koppelingId);
      if (!k) throw new Error('koppeling gone');
      const creds = await deps.credentials.read<{ apiToken: string }>(k._id, 'testsys');
      if (creds?.apiToken !== GOOD_TOKEN) {
        throw new KoppelError({
          type: 'ReauthRequired',
          // The test system is not in the registry; it names itself so its connection can be marked.
          system: 'testsys' as ExternalSystem,
          code: 'T401',
          message: 'test system rejected the token',
          oorzaak: 'Het API-token van het testsysteem is ongeldig.',
          oplossing: 'Vul een geldig token in bij de koppeling.',
        });
      }
      const settings = k.settings as { requiredCode: string; items: number };
      if (!Object.values(k.mapping).includes(settings.requiredCode)) {
        throw new KoppelError({
          type: 'MappingIncomplete',
          system: 'koppelwerk',
          message: `code ${settings.requiredCode} unmapped`,
          oorzaak: `Code ${settings.requiredCode} heeft geen koppeling in de mapping.`,
          oplossing: 'Voeg de code toe aan de mapping.',
          details: { missingCodes: [settings.requiredCode] },
        });
      }
      await deps.log.write(k.tenantId, k._id, [{ code: 'TEST_ITEMS', message: `${settings.items} items gesynchroniseerd`, counts: { items: settings.items }, cycleNo: input.cycleNo }]);
      return { result: 'ok', counts: { items: settings.items }, summary: `${settings.items} items gesynchroniseerd` };
    },
  };
}
