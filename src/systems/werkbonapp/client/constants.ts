/**
 * WerkbonApp choices the public sources do not settle (contract: INFERRED / open questions).
 * Kept together so they are easy to correct once a real account confirms them.
 */

/** INFERRED (Q9): Open API version in the path, `/openapi/<n>/<endpoint>/`. */
export const DEFAULT_API_VERSION = 8;

/**
 * INFERRED (Q10): "1 naar E-boekhouden" is a customer-defined workstatus with sta_code "1"
 * (sta_name "naar E-boekhouden"); the koppeling lists `status=Compleet&workstatus=1`.
 */
export const RELEASE_WORKSTATUS_CODE = '1';

/** INFERRED (Q5-like): no documented batch limit for POST sync endpoints; stay modest. */
export const UPSERT_BATCH_SIZE = 250;

/** Our own default; the API documents no timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * INFERRED: amounts never carry thousands separators, so a single "," or "." is the decimal mark.
 * Materials and werkbonnen use a comma ("4,55"); hour types a dot ("50.00") [C: OS examples].
 */
export const NO_THOUSANDS_SEPARATORS = true;
