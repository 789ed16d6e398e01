/** Mijn Kantoor Public API connector: typed client, payload schemas and error mapping. */
export { createMijnKantoorClient } from './client';
export type { CustomerInput, MijnKantoorClient, MijnKantoorClientOptions, UploadInput } from './client';
export type { MkContact, MkCustomer, MkDirectory, MkItem } from './schemas';
export { httpError } from './errors';
