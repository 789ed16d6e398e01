/** Per koppeling type: the read-only tools of the admin API (dry-run preview, mapping check). */
import type { ActivityDeps } from '../../activities/deps';
import type { ApiContext } from './context';

export function createPreviews(_deps: ActivityDeps): NonNullable<ApiContext['previews']> {
  return {};
}
