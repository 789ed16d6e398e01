/** Visma Nmbrs SOAP v3 connector: typed client, response schemas and error mapping. */
export { createNmbrsClient, NMBRS_PRODUCTION_URL, NMBRS_SANDBOX_URL } from './client';
export type { NmbrsClient, NmbrsClientOptions } from './client';
export { mapNmbrsError } from './errors';
export { parseJournalXml } from './journal';
export { wsdlPath, findRepoRoot } from './wsdl';
export type * from './types';
