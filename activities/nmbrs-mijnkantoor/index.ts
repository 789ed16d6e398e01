/**
 * The Nmbrs ↔ Mijn Kantoor koppeling's activities (seed 001): the hourly scan on the Nmbrs queue,
 * filing and relations on the Mijn Kantoor queue, and the bulk jaarwerk per relation.
 */
import type { ActivityDeps } from '../deps';
import { context } from './context';
import { directSync } from './direct-sync';
import { fileDocument } from './file';
import { jaarwerk } from './jaarwerk';
import { probe } from './probe';
import { relations } from './relations';
import { report } from './report';
import { scan } from './scan';

export * from './contract';
export type { PushResult } from './direct-sync';

export function createNmbrsMijnkantoorActivities(deps: ActivityDeps) {
  const ctx = context(deps);
  return {
    nmkScan: scan(ctx),
    nmkFile: fileDocument(deps, ctx),
    nmkRelations: relations(deps, ctx),
    nmkReport: report(deps),
    ...jaarwerk(deps, ctx),
    nmkPushCustomer: directSync(deps, ctx),
    nmkProbe: probe(deps, ctx),
  };
}

export type NmbrsMijnkantoorActivities = ReturnType<typeof createNmbrsMijnkantoorActivities>;
