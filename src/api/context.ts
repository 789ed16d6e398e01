/** Everything a route handler may use. */
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { ConnectionService } from '../services/connections';
import type { KoppelingService } from '../services/koppelingen';
import type { KoppelingStore } from '../store/koppelingen';
import type { KoppelingLog } from '../store/log';
import type { Store } from '../store/mongo';
import type { TenantStore } from '../store/tenants';
import type { AesGcmPayloadCodec } from '../temporal/codec';
import type { Ledger } from '../store/ledger';
import type { KoppelingPreviews } from '../koppelingen/koppeling';
import type { ActivityLogStore } from '../store/activity-log';
import type { NotificationStore } from '../store/notifications';

export interface ApiContext {
  config: Pick<Config, 'KOPPELWERK_OPERATOR_API_KEY' | 'KOPPELWERK_CODEC_UI_TOKEN' | 'KOPPELWERK_UI_ORIGIN'> &
    Partial<Pick<Config, 'KOPPELWERK_PUBLIC_URL' | 'PORT'>>;
  store: Store;
  temporal: Client;
  tenants: TenantStore;
  koppelingen: KoppelingStore;
  service: KoppelingService;
  /** Connections and OAuth2 (src/services/connections.ts). */
  connections?: ConnectionService;
  log: KoppelingLog;
  ledger: Ledger;
  activityLog: ActivityLogStore;
  notifications: NotificationStore;
  codec: AesGcmPayloadCodec;
  /** Per koppeling type: extra read-only tools (dry-run preview, mapping check). */
  previews?: Record<string, KoppelingPreviews>;
}
