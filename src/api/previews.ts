/** Per koppeling type: the read-only tools of the admin API (dry-run preview, mapping check). */
import type { ActivityDeps } from '../../activities/deps';
import type { ApiContext } from './context';
import { createNmbrsEboekhoudenPreviews } from '../../activities/nmbrs-eboekhouden';
import { NMBRS_EBOEKHOUDEN } from '../koppelingen/nmbrs-eboekhouden/index';

export function createPreviews(deps: ActivityDeps): NonNullable<ApiContext['previews']> {
  return {
    [NMBRS_EBOEKHOUDEN]: createNmbrsEboekhoudenPreviews(deps),
  };
}
