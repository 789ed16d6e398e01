/** e-Boekhouden.nl SOAP connector (see client.ts). */
export { createEboekhoudenClient, DEFAULT_SOURCE, DEFAULT_TIMEOUT_MS, type EboekhoudenClient } from './client';
export { EboekhoudenSession } from './session';
export { API_SETTINGS_PATH, FACTUURSJABLONEN_PATH } from './errors';
export { EB_CODES } from './error-codes';
export { BTW_CODES, btwPercentage, type BtwCode } from './btw';
export { EBOEKHOUDEN_WSDL_PATH, EB_PRODUCTION_BASE_URL } from './paths';
export * from './types';
