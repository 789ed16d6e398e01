/**
 * Koppeling operations that touch both MongoDB (configuration, credentials) and Temporal (the entity
 * workflow). Used by the admin API and by the demo seeding, so both behave the same.
 */
import { WorkflowIdConflictPolicy, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Cadence } from '../domain/cadence';
import { contentHash } from '../domain/hash';
import { getKoppelingType } from '../domain/koppeling-types';
import type { CredentialStore } from '../store/credentials';
import type { KoppelingStore } from '../store/koppelingen';
import type { ClosedPeriod, KoppelingDoc } from '../store/types';
import { KOPPELING_STATE, KOPPELING_TYPE, TENANT_ID } from '../temporal/search-attributes';
import { TASK_QUEUES } from '../temporal/task-queues';
import { koppelingWorkflow, koppelingWorkflowId } from '../../workflows/koppeling';
import {
  closePeriodUpdate,
  configChangedSignal,
  mappingChangedSignal,
  pauseUpdate,
  reauthorizedSignal,
  resumeUpdate,
  statusQuery,
  stopUpdate,
  syncNowUpdate,
  type KoppelingStatusView,
} from '../../workflows/messages';

const STATUS_QUERY_TIMEOUT_MS = 5_000;

/** A request the workflow refused (validator), or an unknown id: the API turns these into 404/409. */
export class ServiceError extends Error {
  constructor(
    readonly status: 404 | 409 | 400,
    message: string,
  ) {
    super(message);
  }
}

export interface CreateKoppelingInput {
  tenantId: string;
  type: string;
  name: string;
  settings: Record<string, unknown>;
  cadence?: Cadence;
  mapping?: Record<string, string>;
  credentials: Record<string, Record<string, string>>;
  /** Start the workflow right away (default true). */
  start?: boolean;
}

export class KoppelingService {
  constructor(
    private readonly koppelingen: KoppelingStore,
    private readonly credentials: CredentialStore,
    private readonly client: Client,
  ) {}

  handle(k: Pick<KoppelingDoc, 'tenantId' | '_id'>) {
    return this.client.workflow.getHandle(koppelingWorkflowId(k.tenantId, k._id));
  }

  async get(id: string): Promise<KoppelingDoc> {
    const k = await this.koppelingen.get(id);
    if (!k) throw new ServiceError(404, `Koppeling ${id} bestaat niet.`);
    return k;
  }

  async create(input: CreateKoppelingInput): Promise<KoppelingDoc> {
    const def = getKoppelingType(input.type);
    if (!def) throw new ServiceError(400, `Onbekend koppelingstype ${input.type}.`);
    const targetKey = await this.claimTarget(input, input.settings, input.credentials);
    const id = `k_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    await this.koppelingen.create({
      targetKey,
      _id: id,
      tenantId: input.tenantId,
      type: input.type,
      name: input.name,
      settings: input.settings,
      cadence: input.cadence ?? def.defaultCadence,
      mapping: input.mapping,
    });
    for (const [system, secret] of Object.entries(input.credentials)) {
      await this.credentials.put(input.tenantId, id, system, secret);
    }
    if (Object.keys(input.credentials).length) await this.koppelingen.bumpCredentialsVersion(id);
    if (input.start !== false) await this.start(id);
    return (await this.koppelingen.get(id))!;
  }

  /**
   * Ensure the workflow runs: idempotent (USE_EXISTING), also after an earlier stop. Linking again
   * is refused while another koppeling books the same data (`claim`; not at reconcile, which only
   * restores what was linked already).
   */
  async start(id: string, opts: { claim?: boolean } = {}): Promise<void> {
    const k = await this.get(id);
    if (k.lifecycle !== 'linked') {
      if (opts.claim) await this.koppelingen.setTargetKey(id, await this.claimTarget(k, k.settings, await this.storedCredentials(k), k._id));
      await this.koppelingen.setLifecycle(id, 'linked');
    }
    await this.client.workflow.start(koppelingWorkflow, {
      workflowId: koppelingWorkflowId(k.tenantId, k._id),
      taskQueue: TASK_QUEUES.workflows,
      args: [{ tenantId: k.tenantId, koppelingId: k._id, type: k.type, cadence: k.cadence, closedPeriods: k.closedPeriods }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [
        { key: TENANT_ID, value: k.tenantId },
        { key: KOPPELING_TYPE, value: k.type },
        { key: KOPPELING_STATE, value: 'ACTIVE' },
      ],
      staticSummary: `${k.type} · ${k.name}`,
    });
  }

  /**
   * MongoDB is the source of truth: every linked koppeling must have a running workflow. Run at
   * API start-up, so a lost or reset Temporal database (or a terminated workflow) heals itself.
   */
  async reconcile(): Promise<number> {
    let started = 0;
    for (let offset = 0; ; offset += 200) {
      const [page] = await this.koppelingen.list({ limit: 200, offset });
      for (const k of page) {
        if (k.lifecycle !== 'linked') continue;
        // Koppelingen from before target keys existed get theirs (no refusal: both are linked already).
        if (k.targetKey === undefined) await this.koppelingen.setTargetKey(k._id, this.targetKey(k, k.settings, await this.storedCredentials(k)));
        await this.start(k._id);
        started++;
      }
      if (page.length < 200) return started;
    }
  }

  /** Live status from the workflow; falls back to the mirror in MongoDB when it is not running. */
  async status(k: KoppelingDoc): Promise<KoppelingStatusView | undefined> {
    try {
      const desc = await this.handle(k).describe();
      if (desc.status.name !== 'RUNNING') return undefined;
      // Bounded: a query waits for a worker, and an API call must not hang on a busy or absent one.
      return await this.client.connection.withDeadline(Date.now() + STATUS_QUERY_TIMEOUT_MS, () => this.handle(k).query(statusQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  private async update<R>(k: KoppelingDoc, fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new ServiceError(409, 'De koppeling draait niet (gestopt). Start haar eerst.');
      if (err instanceof WorkflowUpdateFailedError) throw new ServiceError(409, err.cause?.message ?? err.message);
      throw err;
    }
  }

  syncNow(k: KoppelingDoc, reason?: string) {
    return this.update(k, () => this.handle(k).executeUpdate(syncNowUpdate, { args: [{ reason }] }));
  }

  pause(k: KoppelingDoc, reason?: string) {
    return this.update(k, () => this.handle(k).executeUpdate(pauseUpdate, { args: [{ reason }] }));
  }

  resume(k: KoppelingDoc) {
    return this.update(k, () => this.handle(k).executeUpdate(resumeUpdate, { args: [] }));
  }

  /** Unlink: the workflow ends after its current cycle; configuration and ledger are kept. */
  async stop(k: KoppelingDoc): Promise<void> {
    await this.koppelingen.setLifecycle(k._id, 'unlinked');
    try {
      await this.handle(k).executeUpdate(stopUpdate, { args: [] });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError) return; // already stopped
      throw err;
    }
  }

  async replaceCredentials(k: KoppelingDoc, system: string, secret: Record<string, string>): Promise<number> {
    const credentials = { ...(await this.storedCredentials(k)), [system]: secret };
    const targetKey = k.lifecycle === 'linked' ? await this.claimTarget(k, k.settings, credentials, k._id) : this.targetKey(k, k.settings, credentials);
    await this.credentials.put(k.tenantId, k._id, system, secret);
    await this.koppelingen.setTargetKey(k._id, targetKey);
    const version = await this.koppelingen.bumpCredentialsVersion(k._id);
    await this.signalIfRunning(k, () => this.handle(k).signal(reauthorizedSignal, { credentialsVersion: version }));
    return version;
  }

  async replaceMapping(k: KoppelingDoc, mapping: Record<string, string>): Promise<KoppelingDoc> {
    const updated = (await this.koppelingen.setMapping(k._id, mapping))!;
    await this.signalIfRunning(k, () => this.handle(k).signal(mappingChangedSignal, { mappingVersion: updated.version }));
    return updated;
  }

  async updateConfig(k: KoppelingDoc, changes: { name?: string; settings?: Record<string, unknown>; cadence?: Cadence }) {
    if (changes.settings) {
      const credentials = await this.storedCredentials(k);
      const targetKey = k.lifecycle === 'linked' ? await this.claimTarget(k, changes.settings, credentials, k._id) : this.targetKey(k, changes.settings, credentials);
      await this.koppelingen.setTargetKey(k._id, targetKey);
    }
    const updated = (await this.koppelingen.updateConfig(k._id, changes))!;
    await this.signalIfRunning(k, () => this.handle(k).signal(configChangedSignal, { cadence: updated.cadence, version: updated.version }));
    return updated;
  }

  async closePeriod(k: KoppelingDoc, p: ClosedPeriod): Promise<KoppelingStatusView | undefined> {
    await this.koppelingen.addClosedPeriod(k._id, p);
    try {
      return await this.handle(k).executeUpdate(closePeriodUpdate, { args: [p] });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined; // recorded in MongoDB; the next start reads it
      if (err instanceof WorkflowUpdateFailedError) throw new ServiceError(400, err.cause?.message ?? err.message);
      throw err;
    }
  }

  /** What a koppeling with these settings and credentials writes where, hashed (null: nothing). */
  private target(k: Pick<KoppelingDoc, 'type'>, settings: Record<string, unknown>, credentials: Partial<Record<string, Record<string, string>>>) {
    const target = getKoppelingType(k.type)?.target?.(settings, credentials);
    return target ? { key: contentHash({ type: k.type, target: target.key }), label: target.label } : null;
  }

  private targetKey(k: Pick<KoppelingDoc, 'type'>, settings: Record<string, unknown>, credentials: Partial<Record<string, Record<string, string>>>): string | null {
    return this.target(k, settings, credentials)?.key ?? null;
  }

  /** The target key, after making sure no other linked koppeling has it: both would book the same data. */
  private async claimTarget(
    k: Pick<KoppelingDoc, 'type' | 'tenantId'>,
    settings: Record<string, unknown>,
    credentials: Partial<Record<string, Record<string, string>>>,
    exceptId?: string,
  ): Promise<string | null> {
    const target = this.target(k, settings, credentials);
    if (!target) return null;
    const twin = await this.koppelingen.findTwin(target.key, exceptId);
    if (twin) {
      // Another tenant's koppeling is not named: only that it exists.
      const which = twin.tenantId === k.tenantId ? `koppeling "${twin.name}" (${twin._id})` : 'een koppeling van een andere klant';
      throw new ServiceError(
        409,
        `Er is al een actieve koppeling voor ${target.label}: ${which}. Een tweede zou alles dubbel boeken. ` +
          'Ontkoppel de andere koppeling eerst, of zet deze op niet actief.',
      );
    }
    return target.key;
  }

  private async storedCredentials(k: Pick<KoppelingDoc, '_id' | 'type'>): Promise<Record<string, Record<string, string>>> {
    const out: Record<string, Record<string, string>> = {};
    for (const system of Object.keys(getKoppelingType(k.type)?.credentials ?? {})) {
      const c = await this.credentials.read<Record<string, string>>(k._id, system);
      if (c) out[system] = c;
    }
    return out;
  }

  private async signalIfRunning(_k: KoppelingDoc, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
}
