/** Builds the shared pieces from the config: store, keyring, activity deps, API context. */
import type { MongoClientOptions } from 'mongodb';
import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities/deps';
import type { ApiContext } from './api/context';
import { createPreviews } from './api/previews';
import type { Config } from './config';
import { makeKeyring } from './domain/crypto';
import { registerProductionTypes } from './koppelingen';
import { KoppelingService } from './services/koppelingen';
import { ConnectionService } from './services/connections';
import { OAuthStateStore } from './oauth/state';
import { publicUrl } from './oauth/public-url';
import { registerOAuth2System } from './oauth/systems';
import { SYSTEMS } from './systems';
import { ActivityLogStore } from './store/activity-log';
import { CredentialStore } from './store/credentials';
import { KoppelingStore } from './store/koppelingen';
import { Ledger } from './store/ledger';
import { KoppelingLog } from './store/log';
import { connectStore } from './store/mongo';
import { NotificationStore } from './store/notifications';
import { TenantStore } from './store/tenants';
import { codecFromConfig } from './temporal/data-converter';

let typesRegistered = false;

export async function openDeps(config: Config, mongoOptions: MongoClientOptions = {}): Promise<ActivityDeps> {
  if (!typesRegistered) {
    registerProductionTypes();
    typesRegistered = true;
  }
  // OAuth2 systems (Visma eAccounting): their client from config, for the API's authorise/callback and the worker's refresh.
  for (const system of SYSTEMS) {
    const def = system.oauth2?.(config);
    if (def) registerOAuth2System(def);
  }
  const store = await connectStore(config.MONGODB_URI, config.MONGODB_DB, mongoOptions);
  const ring = keyringOf(config);
  return {
    config,
    store,
    koppelingen: new KoppelingStore(store),
    credentials: new CredentialStore(store, ring, { publicUrl: publicUrl(config) }),
    ledger: new Ledger(store),
    log: new KoppelingLog(store),
    activityLog: new ActivityLogStore(store),
    notifications: new NotificationStore(store, ring),
  };
}

export function apiContext(deps: ActivityDeps, temporal: Client): ApiContext {
  const tenants = new TenantStore(deps.store);
  return {
    config: deps.config,
    store: deps.store,
    temporal,
    tenants,
    koppelingen: deps.koppelingen,
    service: new KoppelingService(deps.koppelingen, deps.credentials, temporal),
    connections: new ConnectionService(deps.store, deps.credentials, deps.koppelingen, new OAuthStateStore(deps.store.db, keyringOf(deps.config)), temporal),
    log: deps.log,
    ledger: deps.ledger,
    activityLog: deps.activityLog,
    notifications: deps.notifications,
    codec: codecFromConfig(deps.config),
    previews: createPreviews(deps),
  };
}

/** The credentials keyring (also seals the OAuth2 PKCE verifiers). */
function keyringOf(config: Config) {
  return makeKeyring(config.KOPPELWERK_CREDENTIALS_KEY_ID, config.KOPPELWERK_CREDENTIALS_KEY, config.KOPPELWERK_CREDENTIALS_OLD_KEYS);
}
