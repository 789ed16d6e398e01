/**
 * The simulator serves the same WSDL the connector commits, with the service address pointing at
 * itself (ASMX builds `soap:address` from the request's Host header the same way).
 */
import fs from 'node:fs';
import { wsdlPath } from '../client/wsdl';
import type { ServiceName } from './operations';

const cache = new Map<ServiceName, string>();

export function wsdlFor(service: ServiceName, baseUrl: string): string {
  let text = cache.get(service);
  if (text === undefined) {
    text = fs.readFileSync(wsdlPath(service), 'utf8');
    cache.set(service, text);
  }
  return text.replace(/(<soap(?:12)?:address location=")[^"]*(")/g, `$1${baseUrl}/soap/v3/${service}.asmx$2`);
}
