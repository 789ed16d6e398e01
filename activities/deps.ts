/** What activities may use: the store and the config. Built once per worker process. */
import type { Config } from '../src/config';
import type { ActivityLogStore } from '../src/store/activity-log';
import type { CredentialStore } from '../src/store/credentials';
import type { KoppelingStore } from '../src/store/koppelingen';
import type { Ledger } from '../src/store/ledger';
import type { KoppelingLog } from '../src/store/log';
import type { Store } from '../src/store/mongo';
import type { NotificationStore } from '../src/store/notifications';

export interface ActivityDeps {
  config: Config;
  store: Store;
  koppelingen: KoppelingStore;
  credentials: CredentialStore;
  ledger: Ledger;
  log: KoppelingLog;
  /** Per-item activity log (source, pushed, answer), redacted, with retention. */
  activityLog: ActivityLogStore;
  /** Tenant webhooks and the notification outbox (src/platform/notify.ts sends). */
  notifications: NotificationStore;
}
