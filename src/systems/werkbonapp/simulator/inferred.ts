/**
 * INFERRED — every rule of the WerkbonApp simulator that the public sources do not settle, in one
 * place, so each can be checked against the real Open API and corrected here. Each entry cites the
 * section of shared/contracts/eboekhouden-werkbonapp.md (part B) it stems from; the simulator code
 * reads these constants and functions. The README lists them ("What the simulators guess (INFERRED)").
 */
import type { EntityName } from './records';

/** INFERRED (B1, Q9): the API version in the path; the connector defaults to the same. */
export const API_VERSION = 8;

/**
 * INFERRED (B1, Q9): `software_token` is optional — token-only accounts exist — and not checked.
 * Set to true to require it (code 1003, documented).
 */
export const SOFTWARE_TOKEN_REQUIRED = false;
export const MISSING_SOFTWARE_TOKEN_TEXT = 'Request is missing the GET parameter: software_token';

/** INFERRED (B2: POST sync bodies are arrays): a single JSON object counts as a batch of one record. */
export const SINGLE_OBJECT_IS_BATCH = true;

/**
 * INFERRED (B2: the docs show the error answer only): a posted batch is all or nothing — one bad
 * record rejects the batch and nothing is kept. Set to false to keep the good records (and answer
 * OK with their count).
 */
export const BATCH_ALL_OR_NOTHING = true;

/**
 * INFERRED (B2 code 1504): UpdateWorkorder is all or nothing — with one invalid value nothing is
 * saved, and the answer lists every problem. Set to false to save the valid values and still
 * answer 1504 with the problems.
 */
export const UPDATE_WORKORDER_ALL_OR_NOTHING = true;

/**
 * INFERRED (B4 DeleteEntity): entity names are accepted singular or plural, the answer is the
 * number deleted, and a delete that removes nothing (or names an unknown entity or key) is 1600.
 */
export const DELETE_ENTITY_NAMES: Readonly<Record<string, EntityName>> = {
  relation: 'relations', relations: 'relations',
  material: 'materials', materials: 'materials',
  hourtype: 'hourtypes', hourtypes: 'hourtypes',
  workstatus: 'workstatusses', workstatusses: 'workstatusses',
};

/** INFERRED (B2): the code table says 2801 for a workstatus with a missing field; the documented example answers 2501. We use the table. */
export const WORKSTATUS_MISSING_FIELD_CODE = 2801;

/** INFERRED (B2): message texts the docs do not give. */
export const UNDOCUMENTED_MESSAGES = {
  workstatusUnknown: 'Workstatus not updated',
  statusInvalid: 'Status invalid. Options: Alle, Opgehaald, Klaargezet, Compleet, Afgehandeld',
  missingWorkorderRef: 'Either row_id or workorder_no is required',
  updateWithoutData: 'Update workorder request is missing update data',
  noDataChanged: 'No data changed',
  deleteFailed: 'Delete failed',
} as const;

/** INFERRED (B3, Q10): "1 naar E-boekhouden" is a customer workstatus with sta_code "1" (demo data). */
export const RELEASE_WORKSTATUS = '1';
