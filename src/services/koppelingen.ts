/**
 * Koppeling operations that touch both MongoDB (configuration, credentials) and Temporal (the entity
 * workflow). Used by the admin API and by the demo seeding, so both behave the same.
 */
import { WorkflowIdConflictPolicy, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
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
  startUpdate,
  statusQuery,
  stopUpdate,
  syncNowUpdate,
  type KoppelingStatusView,
} from '../../workflows/messages';

const STATUS_QUERY_TIMEOUT_MS = 5_000;

/** A request the workflow refused (validator), or an unknown id: the API turns these into 404/409. */
export class ServiceError extends Error {
  constructor(
    readonly status: 404 | 409 | 400 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** The live status, or the MongoDB mirror with `problem` when the workflow's task keeps failing (stuck). */
export type LiveStatus = KoppelingStatusView & {
  problem?: { kind: 'stuck'; message: string; attempt?: number; since?: string };
};

/** How long the API waits for the workflow to answer a query or an update before it says so. */
const ANSWER_DEADLINE_MS = 10_000;
/** Tries of one update while Temporal aborts it for a failed workflow task (then 503, see api/errors). */
const UPDATE_ATTEMPTS = 4;
/** A workflow task on its third try has failed or timed out twice: not a passing hiccup. */
const STUCK_ATTEMPT = 3;

export interface CreateKoppelingInput {
  tenantId: string;
  type: string;
  name: string;
  settings: Record<string, unknown>;
  cadence?: Cadence;
  mapping?: Record<string, string>;
  credentials: Record<string, Record<string, string>>;
  /** Connections: existing ones by system (checked by the caller: same tenant and system). */
  connections?: Record<string, string>;
  /** Start the workflow right away (default true). */
  start?: boolean;
}

export class KoppelingService {
  private readonly lanes = new Map<string, Promise<void>>();

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

  /**
   * Few sequential store round trips (creation of 1,000 is measured in bench-scale): the twin
   * check, the connections in parallel, the koppeling whole in one write (already linked, with its
   * connections), then the workflow start.
   */
  async create(input: CreateKoppelingInput): Promise<KoppelingDoc> {
    const def = getKoppelingType(input.type);
    if (!def) throw new ServiceError(400, `Onbekend koppelingstype ${input.type}.`);
    // Connections: the static secrets of given connections count for the target too.
    const given = Object.entries(input.connections ?? {});
    const secrets = { ...input.credentials };
    const givenSecrets = await Promise.all(given.map(([, cid]) => this.credentials.staticSecretOf(cid)));
    given.forEach(([system], i) => {
      const secret = givenSecrets[i];
      if (secret) secrets[system] = secret;
    });
    // Refused (409) before any connection is made: a refused koppeling leaves nothing behind.
    const targetKey = await this.claimTarget(input, input.settings, secrets);
    const made = await Promise.all(
      Object.entries(input.credentials).map(async ([system, secret]) => [system, (await this.credentials.connect(input.tenantId, system, secret))._id] as const),
    );
    const connections = Object.fromEntries([...made, ...given]);
    const id = `k_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const start = input.start !== false;
    // Linked in the same write that gives it its connections: the reconciler starts any linked
    // koppeling without a workflow, and one it started before the credentials were in place ran its
    // first cycle without them (WAITING_REAUTH for good; 3 of 300 in bench-scale once).
    const doc = await this.koppelingen.create(
      {
        targetKey,
        _id: id,
        tenantId: input.tenantId,
        type: input.type,
        name: input.name,
        settings: input.settings,
        cadence: input.cadence ?? def.defaultCadence,
        mapping: input.mapping,
        ...(Object.keys(connections).length ? { connections, credentialsVersion: 1 } : {}),
      },
      start ? 'linked' : 'unlinked',
    );
    if (start) await this.oneAtATime(id, () => this.startWorkflow(doc));
    return doc;
  }

  /**
   * Ensure the workflow runs: idempotent (USE_EXISTING), also after an earlier stop. Linking again
   * is refused while another koppeling books the same data (`claim`; not at reconcile, which only
   * restores what was linked already).
   */
  start(id: string, opts: { claim?: boolean } = {}): Promise<void> {
    return this.oneAtATime(id, () => this.startNow(id, opts));
  }

  private async startNow(id: string, opts: { claim?: boolean }): Promise<void> {
    const k = await this.get(id);
    const relink = k.lifecycle !== 'linked';
    if (relink) {
      if (opts.claim) await this.koppelingen.setTargetKey(id, await this.claimTarget(k, k.settings, await this.storedCredentials(k), k._id));
      await this.koppelingen.setLifecycle(id, 'linked');
    }
    await this.ensureRunning(k, relink);
  }

  /**
   * Start the workflow, or find the running one. After an unlink that run may still be stopping;
   * reusing it as if it would go on left koppelingen linked without a workflow. So a relink tells
   * the run to go on (startUpdate), and starts a new run when the old one has just ended.
   */
  private async ensureRunning(k: KoppelingDoc, relink: boolean): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.startWorkflow(k);
      if (!relink) return;
      try {
        await this.sendUpdate(k, startUpdate, [], ANSWER_DEADLINE_MS);
        return;
      } catch (err) {
        if (isRunOver(err)) continue; // the stopping run ended meanwhile: start a fresh one
        if (isDeadline(err)) {
          throw new ServiceError(503, 'De koppeling is gekoppeld, maar haar workflow antwoordt nu niet. Ze wordt binnen een minuut vanzelf gestart.');
        }
        throw err;
      }
    }
    throw new ServiceError(503, 'De koppeling is gekoppeld, maar haar vorige workflow stopt nog. Ze wordt binnen een minuut vanzelf gestart.');
  }

  private async startWorkflow(k: KoppelingDoc): Promise<void> {
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
   * MongoDB is the source of truth: every linked koppeling has a running workflow, and no unlinked
   * one keeps running. Compares MongoDB with Temporal's list of running koppeling workflows, so a
   * quiet pass costs two listings, not a call per koppeling. Run at API start-up and every
   * `RECONCILE_INTERVAL` after, so a lost Temporal database, a terminated workflow or a stop/start
   * race heals within a minute.
   */
  async reconcile(): Promise<{ started: number; stopped: number }> {
    const running = new Set<string>();
    for await (const wf of this.client.workflow.list({ query: `WorkflowType="koppelingWorkflow" AND ExecutionStatus="Running"` })) {
      running.add(wf.workflowId);
    }
    let started = 0;
    let stopped = 0;
    // Read the whole (small, projected) list before repairing anything: a cursor left open while
    // repairs take seconds keeps a read open in FerretDB's SQLite, and writers then wait for it
    // (SQLITE_BUSY after 30 s: 503s while 300 koppelingen were being created).
    const candidates = [];
    for await (const k of this.koppelingen.lifecycles()) {
      const isRunning = running.has(koppelingWorkflowId(k.tenantId, k._id));
      if (k.lifecycle === 'linked' ? isRunning && k.targetKey !== undefined : !isRunning) continue;
      candidates.push({ k, isRunning });
    }
    for (const { k, isRunning } of candidates) {
      // Something to repair: decide again on a fresh read, in the koppeling's lane, so a start or
      // stop sent meanwhile is not undone by this pass's older view.
      const done = await this.oneAtATime(k._id, async () => {
        const fresh = await this.koppelingen.get(k._id);
        if (!fresh) return undefined;
        if (fresh.lifecycle === 'linked') {
          // Koppelingen from before target keys existed get theirs (no refusal: both are linked already).
          if (fresh.targetKey === undefined) await this.koppelingen.setTargetKey(fresh._id, this.targetKey(fresh, fresh.settings, await this.storedCredentials(fresh)));
          if (isRunning) return undefined;
          // The visibility list lags behind starts (a koppeling created a moment ago): ask the run itself.
          if (await this.runsNow(fresh)) return undefined;
          await this.startWorkflow(fresh);
          return 'started' as const;
        }
        return (await this.stopRun(fresh)) ? ('stopped' as const) : undefined;
      });
      if (done === 'started') started++;
      if (done === 'stopped') stopped++;
    }
    return { started, stopped };
  }

  /** Whether the koppeling's workflow runs right now, by its own record (not the lagging visibility list). */
  private async runsNow(k: KoppelingDoc): Promise<boolean> {
    try {
      const desc = await this.client.connection.withDeadline(Date.now() + ANSWER_DEADLINE_MS, () => this.handle(k).describe());
      return desc.status.name === 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /**
   * Live status from the workflow; undefined when it is not running (the API then shows the MongoDB
   * mirror). A stuck workflow task (failing again and again, e.g. a bug) is reported, never waited
   * on; a query that does not answer in time throws, and the route shows the mirror with the reason.
   */
  async status(k: KoppelingDoc): Promise<LiveStatus | undefined> {
    try {
      // Bounded: a query waits for a worker, and an API call must not hang on a busy or absent one
      // (the route then answers with the MongoDB mirror and says why).
      return await this.client.connection.withDeadline(Date.now() + STATUS_QUERY_TIMEOUT_MS, async () => {
        const desc = await this.handle(k).describe();
        if (desc.status.name !== 'RUNNING') return undefined;
        const task = desc.raw.pendingWorkflowTask;
        const attempt = Number(task?.attempt ?? 0);
        if (attempt >= STUCK_ATTEMPT) {
          const since = task?.originalScheduledTime?.seconds ? new Date(Number(task.originalScheduledTime.seconds) * 1000).toISOString() : undefined;
          return this.mirror(k, {
            kind: 'stuck',
            attempt,
            since,
            message:
              `De workflow van deze koppeling loopt vast: haar workflow-taak mislukt steeds (poging ${attempt}${since ? ` sinds ${since}` : ''}). ` +
              'Andere koppelingen hebben er geen last van. Zie de geschiedenis van de workflow in de Web UI (WorkflowTaskFailed) en meld het aan de beheerder.',
          });
        }
        return await this.handle(k).query(statusQuery);
      });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** The MongoDB mirror of the status, shaped like the live one, with what is wrong. */
  private mirror(k: KoppelingDoc, problem: NonNullable<LiveStatus['problem']>): LiveStatus {
    return {
      koppelingId: k._id,
      tenantId: k.tenantId,
      type: k.type,
      state: k.status.state,
      paused: k.status.state === 'PAUSED',
      cadence: k.cadence,
      nextDueAt: k.status.nextDueAt?.toISOString(),
      cycleNo: 0,
      blockingReason: k.status.blockingReason,
      missingCodes: k.status.missingCodes,
      closedPeriods: k.closedPeriods,
      credentialsVersion: k.credentialsVersion,
      mappingVersion: k.version,
      problem,
    };
  }

  /**
   * Send an update under one id, and send it again while Temporal aborts it because the workflow
   * task it rode on failed (e.g. a stop completing the run at the same moment, or a worker that just
   * died): such an update never reached the handler, and the id makes a repeat count once.
   */
  private async sendUpdate<Ret, Args extends unknown[]>(
    k: KoppelingDoc,
    def: UpdateDefinition<Ret, Args>,
    args: Args,
    deadlineMs?: number,
  ): Promise<Ret> {
    const updateId = randomUUID();
    for (let attempt = 1; ; attempt++) {
      // The overloads split on empty vs non-empty args; the definition already ties args to it.
      const send = () => this.handle(k).executeUpdate(def as unknown as UpdateDefinition<Ret, [unknown]>, { args: args as unknown as [unknown], updateId });
      try {
        return await (deadlineMs ? this.client.connection.withDeadline(Date.now() + deadlineMs, send) : send());
      } catch (err) {
        if (attempt >= UPDATE_ATTEMPTS || !isAbortedByTaskFailure(err)) throw err;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
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
    return this.update(k, () => this.sendUpdate(k, syncNowUpdate, [{ reason }]));
  }

  pause(k: KoppelingDoc, reason?: string) {
    return this.update(k, () => this.sendUpdate(k, pauseUpdate, [{ reason }]));
  }

  resume(k: KoppelingDoc) {
    return this.update(k, () => this.sendUpdate(k, resumeUpdate, []));
  }

  /** Unlink: the workflow ends after its current cycle; configuration and ledger are kept. */
  stop(k: KoppelingDoc): Promise<void> {
    return this.oneAtATime(k._id, async () => {
      await this.koppelingen.setLifecycle(k._id, 'unlinked');
      await this.stopRun(k);
    });
  }

  /**
   * Changes to one koppeling run in the order they arrive: a start sent 20 ms after a stop must not
   * have its "linked" overwritten by the stop's "unlinked", and FerretDB v1 rewrites a whole document
   * per update, so two concurrent updates of one koppeling could lose one. Per API process; across
   * processes the reconciler makes Temporal follow whatever MongoDB ends up saying.
   */
  private oneAtATime<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const before = this.lanes.get(id) ?? Promise.resolve();
    const result = before.then(fn, fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.lanes.set(id, tail);
    void tail.then(() => {
      if (this.lanes.get(id) === tail) this.lanes.delete(id);
    });
    return result;
  }

  /** Ask the running workflow to stop; false when it is gone or already stopping. */
  private async stopRun(k: KoppelingDoc): Promise<boolean> {
    try {
      await this.sendUpdate(k, stopUpdate, [], ANSWER_DEADLINE_MS);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError || isRunOver(err)) return false; // already stopped or stopping
      // Unlinked in MongoDB already: the reconciler stops the workflow once it answers.
      if (isDeadline(err) || isUnavailable(err)) return false;
      throw err;
    }
  }

  replaceCredentials(k: KoppelingDoc, system: string, secret: Record<string, string>): Promise<number> {
    return this.oneAtATime(k._id, () => this.replaceCredentialsNow(k, system, secret));
  }

  private async replaceCredentialsNow(k: KoppelingDoc, system: string, secret: Record<string, string>): Promise<number> {
    const credentials = { ...(await this.storedCredentials(k)), [system]: secret };
    const targetKey = k.lifecycle === 'linked' ? await this.claimTarget(k, k.settings, credentials, k._id) : this.targetKey(k, k.settings, credentials);
    await this.credentials.put(k.tenantId, k._id, system, secret);
    await this.koppelingen.setTargetKey(k._id, targetKey);
    const version = await this.koppelingen.bumpCredentialsVersion(k._id);
    await this.signalIfRunning(k, () => this.handle(k).signal(reauthorizedSignal, { credentialsVersion: version }));
    return version;
  }

  // --- connections (src/services/connections.ts) -------------------------------------------------

  /**
   * The target key this koppeling gets when its connection for `system` gets `secret`; refused
   * (409) when another linked koppeling already books the same data. Written with `setTargetKey`.
   */
  async targetWith(k: KoppelingDoc, system: string, secret: Record<string, string>): Promise<string | null> {
    const credentials = { ...(await this.storedCredentials(k)), [system]: secret };
    return k.lifecycle === 'linked' ? this.claimTarget(k, k.settings, credentials, k._id) : this.targetKey(k, k.settings, credentials);
  }

  setTargetKey(id: string, targetKey: string | null): Promise<void> {
    return this.koppelingen.setTargetKey(id, targetKey);
  }

  replaceMapping(k: KoppelingDoc, mapping: Record<string, string>): Promise<KoppelingDoc> {
    return this.oneAtATime(k._id, () => this.replaceMappingNow(k, mapping));
  }

  private async replaceMappingNow(k: KoppelingDoc, mapping: Record<string, string>): Promise<KoppelingDoc> {
    const updated = (await this.koppelingen.setMapping(k._id, mapping))!;
    await this.signalIfRunning(k, () => this.handle(k).signal(mappingChangedSignal, { mappingVersion: updated.version }));
    return updated;
  }

  updateConfig(k: KoppelingDoc, changes: { name?: string; settings?: Record<string, unknown>; cadence?: Cadence }) {
    return this.oneAtATime(k._id, () => this.updateConfigNow(k, changes));
  }

  private async updateConfigNow(k: KoppelingDoc, changes: { name?: string; settings?: Record<string, unknown>; cadence?: Cadence }) {
    if (changes.settings) {
      const credentials = await this.storedCredentials(k);
      const targetKey = k.lifecycle === 'linked' ? await this.claimTarget(k, changes.settings, credentials, k._id) : this.targetKey(k, changes.settings, credentials);
      await this.koppelingen.setTargetKey(k._id, targetKey);
    }
    const updated = (await this.koppelingen.updateConfig(k._id, changes))!;
    await this.signalIfRunning(k, () => this.handle(k).signal(configChangedSignal, { cadence: updated.cadence, version: updated.version }));
    return updated;
  }

  closePeriod(k: KoppelingDoc, p: ClosedPeriod): Promise<KoppelingStatusView | undefined> {
    return this.oneAtATime(k._id, () => this.closePeriodNow(k, p));
  }

  private async closePeriodNow(k: KoppelingDoc, p: ClosedPeriod): Promise<KoppelingStatusView | undefined> {
    await this.koppelingen.addClosedPeriod(k._id, p);
    try {
      return await this.sendUpdate(k, closePeriodUpdate, [p]);
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
      const c = await this.credentials.readStatic<Record<string, string>>(k._id, system);
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

/** gRPC status of a client error, when it has one. */
function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code ?? (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The run the call was for has completed (or is gone). */
function isRunOver(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const text = err instanceof Error ? `${err.message} ${err.cause instanceof Error ? err.cause.message : ''}` : '';
  return /already completed|workflow execution.*(completed|not found)|not found/i.test(text) && !(err instanceof WorkflowUpdateFailedError);
}

/** Temporal aborted the update with its workflow task (FAILED_PRECONDITION): nothing was applied. */
function isAbortedByTaskFailure(err: unknown): boolean {
  for (let e = err, i = 0; e && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    if (grpcCode(e) === 9 && /unexpected workflow task failure|Workflow Task in failed state/i.test((e as Error).message ?? '')) return true;
  }
  return false;
}

/** withDeadline ran out (gRPC DEADLINE_EXCEEDED). */
function isDeadline(err: unknown): boolean {
  return grpcCode(err) === 4 || /deadline exceeded/i.test(err instanceof Error ? err.message : '');
}

/** Temporal could not be reached (gRPC UNAVAILABLE). */
function isUnavailable(err: unknown): boolean {
  return grpcCode(err) === 14;
}
