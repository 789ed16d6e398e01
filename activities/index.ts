/** Every activity the worker registers, built once from the shared deps. */
import type { ActivityDeps } from './deps';
import { createEaccountingVismanetActivities } from './eaccounting-vismanet';
import { createNmbrsEaccountingActivities } from './nmbrs-eaccounting';
import { createNmbrsEboekhoudenActivities } from './nmbrs-eboekhouden';
import { createNmbrsMijnkantoorActivities } from './nmbrs-mijnkantoor';
import { createRuntimeActivities } from './runtime';
import { createWerkbonAppActivities } from './eboekhouden-werkbonapp';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRuntimeActivities(deps),
    ...createWerkbonAppActivities(deps),
    ...createNmbrsEboekhoudenActivities(deps),
    ...createNmbrsMijnkantoorActivities(deps),
    ...createNmbrsEaccountingActivities(deps),
    ...createEaccountingVismanetActivities(deps),
  };
}
