/**
 * node-soap client built from the committed WSDL, one per endpoint (parsing the WSDL is the
 * expensive part). dateTimes are kept as text so zod, not the local time zone, decides the date.
 */
import * as soap from 'soap';
import { awaitCallSlot } from '../../../platform/call-budget';
import { eboekhoudenSystem } from '../system';
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

/** `account`: the e-Boekhouden user whose rate budget the calls count against (src/platform/call-budget.ts). */
export function createTransport(baseUrl: string, timeoutMs: number, secrets: readonly string[], account: string): SoapTransport {
  const endpoint = endpointFor(baseUrl);
  return {
    async invoke(op, args) {
      const client = await soapClient(endpoint).catch((err) => {
        throw ebTransportError(op, err, secrets);
      });
      await awaitCallSlot(eboekhoudenSystem, account);
      try {
        const [result] = (await client[`${op}Async`](args, { timeout: timeoutMs })) as [unknown];
        return result;
      } catch (err) {
        throw ebTransportError(op, err, secrets);
      }
    },
  };
}
