/** Per koppeling type: the read-only tools of the admin API (dry-run preview, mapping check), from each type's definition. */
import type { ActivityDeps } from '../../activities/deps';
import type { ApiContext } from './context';
import { KOPPELINGEN } from '../koppelingen';

export function createPreviews(deps: ActivityDeps): NonNullable<ApiContext['previews']> {
  return Object.fromEntries(KOPPELINGEN.flatMap((k) => (k.previews ? [[k.type, k.previews(deps)]] : [])));
}
