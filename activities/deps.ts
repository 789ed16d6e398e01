/** What activities may use: the store and the config. Built once per worker process. */
import type { Config } from '../src/config';
import type { CredentialStore } from '../src/store/credentials';
import type { KoppelingStore } from '../src/store/koppelingen';
import type { Ledger } from '../src/store/ledger';
import type { KoppelingLog } from '../src/store/log';
import type { Store } from '../src/store/mongo';

export interface ActivityDeps {
  config: Config;
  store: Store;
  koppelingen: KoppelingStore;
  credentials: CredentialStore;
  ledger: Ledger;
  log: KoppelingLog;
}
