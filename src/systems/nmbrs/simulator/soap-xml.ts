/**
 * SOAP wire format for the simulator: the response/fault envelopes as ASP.NET ASMX writes them
 * (SOAP 1.1 and 1.2). Requests are read with the shared namespace-aware tree in ../xml.
 */
import { escapeXml } from '../../simulator-support/xml';

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export type SoapVersion = '1.1' | '1.2';

/** `<name>escaped</name>`, `<name />` for '', nothing for undefined (ASMX omits null members). */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  const text = escapeXml(String(value));
  return text === '' ? `<${name} />` : `<${name}>${text}</${name}>`;
}

function envelope(version: SoapVersion, body: string): string {
  const soapNs = version === '1.1' ? SOAP11_NS : SOAP12_NS;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${soapNs}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

/** `<OpResponse xmlns=ns><OpResult>…</OpResult></OpResponse>`; result undefined → no Result element. */
export function responseEnvelope(version: SoapVersion, ns: string, op: string, resultXml: string | undefined): string {
  const result = resultXml === undefined ? '' : resultXml === '' ? `<${op}Result />` : `<${op}Result>${resultXml}</${op}Result>`;
  return envelope(version, `<${op}Response xmlns="${ns}">${result}</${op}Response>`);
}

export type FaultKind = 'Client' | 'Server' | 'VersionMismatch';

export function faultEnvelope(version: SoapVersion, kind: FaultKind, message: string): string {
  const text = escapeXml(message);
  if (version === '1.1') {
    return envelope(version, `<soap:Fault><faultcode>soap:${kind}</faultcode><faultstring>${text}</faultstring><detail /></soap:Fault>`);
  }
  const code = kind === 'Client' ? 'Sender' : kind === 'Server' ? 'Receiver' : 'VersionMismatch';
  return envelope(
    version,
    `<soap:Fault><soap:Code><soap:Value>soap:${code}</soap:Value></soap:Code>` +
      `<soap:Reason><soap:Text xml:lang="en">${text}</soap:Text></soap:Reason><soap:Detail /></soap:Fault>`,
  );
}

export function contentType(version: SoapVersion): string {
  return version === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8';
}
