/** A business error the simulator answers in-band (HTTP 200, ErrorMsg/LastErrorCode). */
import { EB_CODES, type EbCodeName } from './inferred';

export class EbError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }
}

export function ebError(name: EbCodeName, description: string): EbError {
  return new EbError(EB_CODES[name], description);
}
