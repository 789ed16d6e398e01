/** Every activity the worker registers, built once from the shared deps. */
import type { ActivityDeps } from './deps';
import { createRuntimeActivities } from './runtime';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRuntimeActivities(deps),
  };
}
