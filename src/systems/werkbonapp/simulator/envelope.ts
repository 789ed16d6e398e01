/**
 * The Open API answers every request with HTTP 200 and `{code, messages, response}` (contract B2).
 * Code numbers and texts are kept here, in one place.
 */
import type { Response } from 'express';
import { UNDOCUMENTED_MESSAGES, WORKSTATUS_MISSING_FIELD_CODE } from './inferred';

export const WBA = {
  OK: 200,
  NO_ENDPOINT: 1000,
  UNKNOWN_ENDPOINT: 1001,
  MISSING_TOKEN: 1002,
  MISSING_SOFTWARE_TOKEN: 1003,
  UNAUTHORIZED: 1004,
  UNCAUGHT: 1007,
  NO_BODY: 1008,
  UNPARSABLE_BODY: 1009,
  MATERIAL_FAILED: 1200,
  MATERIAL_MISSING_FIELD: 1201,
  RELATION_FAILED: 1300,
  RELATION_MISSING_FIELD: 1301,
  WORKORDER_NOT_FOUND: 1500,
  DELETE_FAILED: 1600,
  UPDATE_WITHOUT_DATA: 1502,
  NO_DATA_CHANGED: 1503,
  PARSE_PROBLEM: 1504,
  HOURTYPE_FAILED: 1800,
  HOURTYPE_MISSING_FIELD: 1801,
  WORKSTATUS_FAILED: 2800,
  /** 2801 or 2501: a guess (inferred.ts). */
  WORKSTATUS_MISSING_FIELD: WORKSTATUS_MISSING_FIELD_CODE,
} as const;

export const MESSAGES = {
  noEndpoint: 'The URL being called is not containing an endpoint.',
  unknownEndpoint: 'The endpoint being provided is unknown.',
  missingToken: 'Request is missing the GET parameter: token',
  unauthorized: 'unauthorized',
  uncaught: 'A general uncaught error occured.',
  noBody: 'Unable to fetch body',
  unparsable: 'Unable to parse body',
  requiredMissing: (field: string) => `Required field missing: ${field}`,
  dateInvalid: 'Date invalid. Format: 20-02-2016',
  timeInvalid: 'Time invalid. Format: 07:08',
  employeeNotUpdated: 'Employee not updated',
  // Texts the docs do not give: guesses (inferred.ts).
  ...UNDOCUMENTED_MESSAGES,
} as const;

export function sendEnvelope(res: Response, code: number, messages: string[] = [], response: unknown = null): void {
  res.status(200).json({ code, messages, response });
}
