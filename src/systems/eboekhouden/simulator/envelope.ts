/**
 * SOAP envelopes as ASMX writes them: SOAP 1.1 (text/xml + SOAPAction header) and SOAP 1.2
 * (application/soap+xml, action in the content type), answered in the version the client used.
 */
import { child, escapeXml, parseXml, XmlSyntaxError, type XmlElement } from '../../simulator-support/xml';
import { ClientFault } from './codec';
import type { SchemaModel } from './wsdl-model';

export type SoapVersion = '1.1' | '1.2';
const ENV_NS: Record<SoapVersion, string> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};

export interface SoapRequest {
  version: SoapVersion;
  op: string;
  body: XmlElement;
}

/** Thrown when the fault must be answered in a given version (defaults to 1.1 when unknown). */
export class EnvelopeFault extends ClientFault {
  constructor(message: string, readonly version: SoapVersion = '1.1') {
    super(message);
  }
}

export function contentTypeFor(version: SoapVersion): string {
  return version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
}

/** The requested action: SOAPAction header (1.1) or the content type's action parameter (1.2). */
export function requestedAction(headers: { soapaction?: string; 'content-type'?: string }): string {
  const header = headers.soapaction ?? /action="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1] ?? '';
  return header.replace(/^"|"$/g, '').trim();
}

export function readEnvelope(model: SchemaModel, text: string, action: string): SoapRequest {
  let root: XmlElement;
  try {
    root = parseXml(text, { errors: 'xmlserializer' });
  } catch (e) {
    throw new EnvelopeFault(`Server was unable to read request. ---> ${e instanceof XmlSyntaxError ? e.message : 'There is an error in XML document.'}`);
  }
  const version = (Object.keys(ENV_NS) as SoapVersion[]).find((v) => ENV_NS[v] === root.ns);
  if (root.local !== 'Envelope' || !version) {
    throw new EnvelopeFault(`Possible SOAP version mismatch: Envelope namespace ${root.ns} was unexpected. Expecting ${ENV_NS['1.1']}.`);
  }
  const body = child(root, 'Body', root.ns);
  const payload = body?.children[0];
  const actionOp = action ? [...model.operations.values()].find((o) => o.soapAction === action)?.name : undefined;
  if (action && !actionOp) throw new EnvelopeFault(`Server did not recognize the value of HTTP Header SOAPAction: ${action}.`, version);
  if (!payload || payload.ns !== model.targetNamespace || !model.operations.has(payload.local)) {
    if (!action) throw new EnvelopeFault('Unable to handle request without a valid action parameter. Please supply a valid soap action.', version);
    throw new EnvelopeFault(`Server was unable to read request. ---> <${payload?.local ?? 'Body'} xmlns='${payload?.ns ?? ''}'> was not expected.`, version);
  }
  if (actionOp && actionOp !== payload.local) {
    throw new EnvelopeFault(`Server was unable to read request. ---> <${payload.local} xmlns='${payload.ns}'> was not expected.`, version);
  }
  return { version, op: payload.local, body: payload };
}

export function envelope(version: SoapVersion, bodyXml: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${ENV_NS[version]}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<soap:Body>${bodyXml}</soap:Body></soap:Envelope>`
  );
}

export function faultEnvelope(version: SoapVersion, kind: 'Client' | 'Server', message: string): string {
  const text = escapeXml(message);
  if (version === '1.2') {
    const code = kind === 'Client' ? 'soap:Sender' : 'soap:Receiver';
    return envelope(version, `<soap:Fault><soap:Code><soap:Value>${code}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${text}</soap:Text></soap:Reason><soap:Detail /></soap:Fault>`);
  }
  return envelope(version, `<soap:Fault><faultcode>soap:${kind}</faultcode><faultstring>${text}</faultstring><detail /></soap:Fault>`);
}
