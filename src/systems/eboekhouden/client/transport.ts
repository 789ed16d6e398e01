/**
 * node-soap client built from the committed WSDL, one per endpoint (parsing the WSDL is the
 * expensive part). dateTimes are kept as text so zod, not the local time zone, decides the date.
 */
import * as soap from 'soap';
import { ebTransportError } from './errors';
import { EBOEKHOUDEN_WSDL_PATH } from './paths';

const clients = new Map<string, Promise<soap.Client>>();

export function endpointFor(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/soap\.asmx$/i, '')}/soap.asmx`;
}

function soapClient(endpoint: string): Promise<soap.Client> {
  let client = clients.get(endpoint);
  if (!client) {
    client = soap.createClientAsync(EBOEKHOUDEN_WSDL_PATH, {
      endpoint,
      customDeserializer: { dateTime: (text: string) => text, date: (text: string) => text },
    });
    client.catch(() => clients.delete(endpoint));
    clients.set(endpoint, client);
  }
  return client;
}

export interface SoapTransport {
  /** Calls `op` and returns node-soap's parsed body (`{ <Op>Result: … }`); failures are KoppelErrors. */
  invoke(op: string, args: Record<string, unknown>): Promise<unknown>;
}

export function createTransport(baseUrl: string, timeoutMs: number, secrets: readonly string[]): SoapTransport {
  const endpoint = endpointFor(baseUrl);
  return {
    async invoke(op, args) {
      try {
        const client = await soapClient(endpoint);
        const [result] = (await client[`${op}Async`](args, { timeout: timeoutMs })) as [unknown];
        return result;
      } catch (err) {
        throw ebTransportError(op, err, secrets);
      }
    },
  };
}
