/**
 * The Open API surface: `/openapi/<version>/<endpoint>/?token=…` (contract B1/B4).
 * Always HTTP 200 with the envelope; the token is checked before anything else.
 */
import type { Request, Response } from 'express';
import express from 'express';
import { MESSAGES, WBA, sendEnvelope } from './envelope';
import { DELETE_ENTITY_NAMES, MISSING_SOFTWARE_TOKEN_TEXT, SINGLE_OBJECT_IS_BATCH, SOFTWARE_TOKEN_REQUIRED } from './inferred';
import type { EntityName } from './records';
import { ENTITIES, prepareBatch } from './records';
import type { WerkbonAppState, WorkorderRef } from './state';
import { isStatusFilter, parseUpdateStatus } from './status';

const ENTITY_ENDPOINTS: readonly EntityName[] = ['relations', 'materials', 'hourtypes', 'workstatusses'];

function queryString(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

function workorderRef(req: Request): WorkorderRef {
  return { rowId: queryString(req, 'row_id') || undefined, workorderNo: queryString(req, 'workorder_no') || undefined };
}

/** Body of a sync POST: an array of records (a single object: SINGLE_OBJECT_IS_BATCH, inferred.ts). */
function readBatch(req: Request): { rows: unknown[] } | { code: number; message: string } {
  const raw: unknown = req.body;
  if (typeof raw !== 'string' || raw.trim() === '') return { code: WBA.NO_BODY, message: MESSAGES.noBody };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { code: WBA.UNPARSABLE_BODY, message: MESSAGES.unparsable };
  }
  if (Array.isArray(parsed)) return { rows: parsed };
  if (SINGLE_OBJECT_IS_BATCH && typeof parsed === 'object' && parsed !== null) return { rows: [parsed] };
  return { code: WBA.UNPARSABLE_BODY, message: MESSAGES.unparsable };
}

/**
 * DeleteEntity (contract B4): `entity`, `key` (the entity's natural key field), `value`, or
 * `delete_all=1`; not for werkbonnen. Names, answer and failure: guesses (DELETE_ENTITY_NAMES).
 */

function deleteEntity(state: WerkbonAppState, req: Request, res: Response): void {
  const name: EntityName | undefined = DELETE_ENTITY_NAMES[(queryString(req, 'entity') ?? '').toLowerCase()];
  const all = queryString(req, 'delete_all') === '1';
  if (!name || (!all && queryString(req, 'key') !== ENTITIES[name].key)) return sendEnvelope(res, WBA.DELETE_FAILED, [MESSAGES.deleteFailed]);
  const deleted = state.remove(name, queryString(req, 'value'), all);
  if (deleted === 0 && !all) return sendEnvelope(res, WBA.DELETE_FAILED, [MESSAGES.deleteFailed]);
  sendEnvelope(res, WBA.OK, [], deleted);
}

export function apiRouter(state: WerkbonAppState): express.Router {
  const router = express.Router();
  // Raw text so that empty (1008) and broken (1009) bodies can be told apart, whatever the content type.
  const rawBody = express.text({ type: () => true, limit: '20mb' });

  const authorized = (req: Request, res: Response): boolean => {
    const token = queryString(req, 'token');
    if (!token) {
      sendEnvelope(res, WBA.MISSING_TOKEN, [MESSAGES.missingToken]);
      return false;
    }
    if (SOFTWARE_TOKEN_REQUIRED && !queryString(req, 'software_token')) {
      sendEnvelope(res, WBA.MISSING_SOFTWARE_TOKEN, [MISSING_SOFTWARE_TOKEN_TEXT]);
      return false;
    }
    if (!state.tokens.has(token)) {
      sendEnvelope(res, WBA.UNAUTHORIZED, [MESSAGES.unauthorized]);
      return false;
    }
    return true;
  };

  const handle = (req: Request, res: Response): void => {
    const endpoint = String(req.params.endpoint);
    if (!authorized(req, res)) return;

    if ((ENTITY_ENDPOINTS as readonly string[]).includes(endpoint)) {
      const name = endpoint as EntityName;
      if (req.method === 'GET') return sendEnvelope(res, WBA.OK, [], state.list(name));
      if (req.method === 'POST') {
        const batch = readBatch(req);
        if ('code' in batch) return sendEnvelope(res, batch.code, [batch.message]);
        const prepared = prepareBatch(ENTITIES[name], batch.rows);
        if (!prepared.ok) return sendEnvelope(res, prepared.code, prepared.messages);
        return sendEnvelope(res, WBA.OK, [], state.upsert(name, prepared.records));
      }
    }

    if (req.method === 'GET' && endpoint === 'GetWorkorders') {
      const status = queryString(req, 'status');
      if (!isStatusFilter(status)) return sendEnvelope(res, WBA.PARSE_PROBLEM, [MESSAGES.statusInvalid]);
      const workstatus = queryString(req, 'workstatus') || undefined;
      const list = state.fetchWorkorders(status, workstatus, parseUpdateStatus(queryString(req, 'update_status')));
      return sendEnvelope(res, WBA.OK, [], list);
    }

    if (req.method === 'GET' && endpoint === 'GetWorkorder') {
      const r = state.fetchWorkorder(workorderRef(req), parseUpdateStatus(queryString(req, 'update_status')));
      return sendEnvelope(res, r.code, r.messages, r.response);
    }

    if (req.method === 'GET' && endpoint === 'UpdateWorkorder') {
      const r = state.updateWorkorder(workorderRef(req), {
        workdate: queryString(req, 'workdate'),
        worktime: queryString(req, 'worktime'),
        employee_nr: queryString(req, 'employee_nr'),
        workstatus: queryString(req, 'workstatus'),
      });
      return sendEnvelope(res, r.code, r.messages, r.response);
    }

    if (req.method === 'GET' && endpoint === 'DeleteEntity') return deleteEntity(state, req, res);

    sendEnvelope(res, WBA.UNKNOWN_ENDPOINT, [MESSAGES.unknownEndpoint]);
  };

  router.all('/openapi/:version/:endpoint', rawBody, handle);
  router.all('/openapi/:version', (_req, res) => sendEnvelope(res, WBA.NO_ENDPOINT, [MESSAGES.noEndpoint]));
  return router;
}

/** Extracts the endpoint name for the call counters, or undefined for non-API paths. */
export function endpointOf(path: string): string | undefined {
  return /^\/openapi\/[^/]+\/([^/?]+)/.exec(path)?.[1];
}
