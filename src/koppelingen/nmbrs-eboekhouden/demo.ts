/**
 * Demo koppeling Nmbrs → e-Boekhouden for `npm start`: the demo accounts of both simulators, company
 * 1001 "EB Bedrijf", synchronised from 2026 period 1. The first cycle books the locked runs of
 * periods 1–9 as memorialen and stops at the extra run 41010 of period 9, which uses looncode 4105:
 * the demo chart lacks that grootboekrekening, so the koppeling shows BLOCKED_MAPPING with 4105
 * until it is mapped (PUT /koppelingen/:id/mapping {"mapping":{"4105":"4000"}}) or created.
 */
import { NMBRS_EBOEKHOUDEN, nmbrsEboekhoudenSettings } from './settings';
import { DEMO_SECURITY_CODE_1, DEMO_SECURITY_CODE_2, DEMO_USERNAME } from '../../systems/eboekhouden/simulator/demo';
import { DEMO_USER, DEMO_YEAR, EB_BEDRIJF_ID } from '../../systems/nmbrs/simulator/demo';
import type { DemoSeeder } from '../../demo';

export const seedNmbrsEboekhouden: DemoSeeder = async ({ tenantId, service, koppelingen }) => {
  const [, existing] = await koppelingen.list({ tenantId, type: NMBRS_EBOEKHOUDEN, limit: 1, offset: 0 });
  if (existing > 0) return;
  await service.create({
    tenantId,
    type: NMBRS_EBOEKHOUDEN,
    name: 'EB Bedrijf: Nmbrs loonjournaalposten → e-Boekhouden',
    settings: nmbrsEboekhoudenSettings.parse({ nmbrsCompanyId: EB_BEDRIJF_ID, syncFromYear: DEMO_YEAR, syncFromPeriod: 1 }),
    credentials: {
      nmbrs: { username: DEMO_USER.username, token: DEMO_USER.token, domain: DEMO_USER.domain },
      eboekhouden: { username: DEMO_USERNAME, securityCode1: DEMO_SECURITY_CODE_1, securityCode2: DEMO_SECURITY_CODE_2 },
    },
  });
};
