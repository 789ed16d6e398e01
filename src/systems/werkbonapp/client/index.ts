/** WerkbonApp Open API connector (REST, JSON envelope, token in the URL). */
export { createWerkbonAppClient } from './client';
export type { WerkbonAppClient, WerkbonAppClientOptions } from './client';
export { DEFAULT_API_VERSION, RELEASE_WORKSTATUS_CODE } from './constants';
export { redact } from './errors';
export type * from './types';
