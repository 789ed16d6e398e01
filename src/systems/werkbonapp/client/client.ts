/**
 * Typed WerkbonApp Open API client. The same code talks to the real API or the simulator; only
 * `baseUrl` differs. Values are converted at this edge (see mapping.ts).
 */
import type { ZodType, ZodTypeDef } from 'zod';
import { isKoppelError } from '../../../domain/errors';
import { DEFAULT_API_VERSION, DEFAULT_TIMEOUT_MS, UPSERT_BATCH_SIZE } from './constants';
import { envelopeError, invalidInput, notCompleteError } from './errors';
import type { HttpConfig } from './http';
import { call, contextFor, parseResponse, resolveApiBase } from './http';
import {
  hourTypeFromWire,
  hourTypeToWire,
  materialFromWire,
  materialToWire,
  relationFromWire,
  relationToWire,
  workorderChangesToParams,
  workorderFromWire,
  workstatusFromWire,
} from './mapping';
import {
  hourTypeListSchema,
  materialListSchema,
  relationListSchema,
  syncCountSchema,
  updateWorkorderResponseSchema,
  wireWorkorderSchema,
  workorderListSchema,
  workstatusListSchema,
} from './schemas';
import type {
  GetWorkordersQuery,
  HourType,
  HourTypeInput,
  Material,
  MaterialInput,
  Relation,
  RelationInput,
  Workorder,
  WorkorderChanges,
  WorkorderRef,
  Workstatus,
} from './types';

export interface WerkbonAppClientOptions {
  /** Server root (e.g. https://www.werkbonapp.nl) or Open API base (…/openapi/8). */
  baseUrl: string;
  token: string;
  /** Partner packages also send a software token (contract B1, Q9). */
  softwareToken?: string;
  timeoutMs?: number;
  apiVersion?: number;
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface WerkbonAppClient {
  getRelations(): Promise<Relation[]>;
  /** Upserts by debtor number; returns the number of rows WerkbonApp synced. */
  upsertRelations(relations: RelationInput[]): Promise<number>;
  getMaterials(): Promise<Material[]>;
  /** Upserts by code. */
  upsertMaterials(materials: MaterialInput[]): Promise<number>;
  getHourTypes(): Promise<HourType[]>;
  /** Upserts by code. */
  upsertHourTypes(hourTypes: HourTypeInput[]): Promise<number>;
  getWorkstatusses(): Promise<Workstatus[]>;
  getWorkorders(query: GetWorkordersQuery): Promise<Workorder[]>;
  /** null when WerkbonApp does not know the werkbon (code 1500). */
  getWorkorder(ref: WorkorderRef, opts?: { updateStatus?: boolean }): Promise<Workorder | null>;
  /** Changes workstatus/date/time/employee, and/or marks a Compleet werkbon Afgehandeld. */
  updateWorkorder(ref: WorkorderRef, changes: WorkorderChanges): Promise<void>;
}

function refParams(ref: WorkorderRef): Record<string, string> {
  return typeof ref === 'object' ? { workorder_no: ref.workorderNo } : { row_id: String(ref) };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createWerkbonAppClient(opts: WerkbonAppClientOptions): WerkbonAppClient {
  const cfg: HttpConfig = {
    apiBase: resolveApiBase(opts.baseUrl, opts.apiVersion ?? DEFAULT_API_VERSION),
    token: opts.token,
    softwareToken: opts.softwareToken,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    fetchImpl: opts.fetch ?? fetch,
  };

  /** Converts caller input to wire records; a conversion failure is the caller's bad data. */
  function toWire<T, W>(endpoint: string, items: T[], convert: (item: T) => W): W[] {
    try {
      return items.map(convert);
    } catch (err) {
      throw isKoppelError(err) ? err : invalidInput(contextFor(cfg, endpoint), err instanceof Error ? err.message : String(err));
    }
  }

  async function list<W, T>(endpoint: string, schema: ZodType<W[], ZodTypeDef, unknown>, fromWire: (w: W) => T): Promise<T[]> {
    const env = await call(cfg, { method: 'GET', endpoint });
    return parseResponse(cfg, endpoint, schema, env.response).map(fromWire);
  }

  async function upsert(endpoint: string, records: unknown[]): Promise<number> {
    let synced = 0;
    // An empty POST would be answered 1008 ("Unable to fetch body"): nothing to do anyway.
    for (const batch of chunks(records, UPSERT_BATCH_SIZE)) {
      const env = await call(cfg, { method: 'POST', endpoint, body: batch });
      synced += parseResponse(cfg, endpoint, syncCountSchema, env.response);
    }
    return synced;
  }

  async function fetchOne(ref: WorkorderRef, updateStatus: boolean): Promise<Workorder | null> {
    const env = await call(cfg, {
      method: 'GET',
      endpoint: 'GetWorkorder',
      params: { ...refParams(ref), update_status: String(updateStatus) },
      accept: [1500],
    });
    if (env.code === 1500) return null;
    return workorderFromWire(parseResponse(cfg, 'GetWorkorder', wireWorkorderSchema, env.response));
  }

  return {
    getRelations: () => list('relations', relationListSchema, relationFromWire),
    upsertRelations: (rs) => upsert('relations', toWire('relations', rs, relationToWire)),
    getMaterials: () => list('materials', materialListSchema, materialFromWire),
    upsertMaterials: (ms) => upsert('materials', toWire('materials', ms, materialToWire)),
    getHourTypes: () => list('hourtypes', hourTypeListSchema, hourTypeFromWire),
    upsertHourTypes: (hs) => upsert('hourtypes', toWire('hourtypes', hs, hourTypeToWire)),
    getWorkstatusses: () => list('workstatusses', workstatusListSchema, workstatusFromWire),

    async getWorkorders({ status, workstatus, updateStatus = false }) {
      const params: Record<string, string> = { status, update_status: String(updateStatus) };
      if (workstatus) params.workstatus = workstatus;
      const env = await call(cfg, { method: 'GET', endpoint: 'GetWorkorders', params });
      return parseResponse(cfg, 'GetWorkorders', workorderListSchema, env.response).map(workorderFromWire);
    },

    getWorkorder: (ref, o) => fetchOne(ref, o?.updateStatus ?? false),

    async updateWorkorder(ref, changes) {
      const [params] = toWire('UpdateWorkorder', [changes], workorderChangesToParams);
      if (Object.keys(params).length > 0) {
        const env = await call(cfg, {
          method: 'GET',
          endpoint: 'UpdateWorkorder',
          params: { ...refParams(ref), ...params },
          // 1503 "No data changed": the werkbon already has these values, e.g. on a retry.
          accept: [1503],
        });
        parseResponse(cfg, 'UpdateWorkorder', updateWorkorderResponseSchema, env.response);
      }
      if (changes.status !== 'Afgehandeld') return;
      // The Open API has no status parameter on UpdateWorkorder: a fetch with update_status=true is
      // the documented way to mark a processed Compleet werkbon Afgehandeld (contract B3).
      const before = await fetchOne(ref, true);
      const ctx = contextFor(cfg, 'GetWorkorder');
      if (!before) throw envelopeError(1500, [], ctx);
      if (before.status !== 'Compleet' && before.status !== 'Afgehandeld') {
        throw notCompleteError(ctx, before.workorderNo, before.status);
      }
    },
  };
}
