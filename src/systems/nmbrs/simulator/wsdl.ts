/**
 * The simulator serves the committed WSDL (src/systems/nmbrs/wsdl/, the contract the client reads too), with the service address pointing at
 * itself (ASMX builds `soap:address` from the request's Host header the same way).
 */
import fs from 'node:fs';
import path from 'node:path';
import { findRepoRoot } from '../../../repo-root';
import type { ServiceName } from './operations';

const cache = new Map<ServiceName, string>();

function wsdlPath(service: ServiceName): string {
  return path.join(findRepoRoot(), 'src', 'systems', 'nmbrs', 'wsdl', `${service}.wsdl`);
}

export function wsdlFor(service: ServiceName, baseUrl: string): string {
  let text = cache.get(service);
  if (text === undefined) {
    text = fs.readFileSync(wsdlPath(service), 'utf8');
    cache.set(service, text);
  }
  return text.replace(/(<soap(?:12)?:address location=")[^"]*(")/g, `$1${baseUrl}/soap/v3/${service}.asmx$2`);
}
