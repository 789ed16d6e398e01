/**
 * SOAP wire format for the simulator: a namespace-aware view of the request envelope, and the
 * response/fault envelopes as ASP.NET ASMX writes them (SOAP 1.1 and 1.2).
 */
import { XMLParser } from 'fast-xml-parser';

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export type SoapVersion = '1.1' | '1.2';

export interface XmlElement {
  /** Local name, prefix stripped. */
  name: string;
  /** Resolved namespace URI ('' when none). */
  ns: string;
  children: XmlElement[];
  text: string;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

export class XmlSyntaxError extends Error {}

/** Parse and resolve prefixes, so `tns:CompanyId` and `<CompanyId xmlns=…>` compare equal. */
export function parseXmlTree(xml: string): XmlElement {
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(xml, true) as OrderedNode[];
  } catch (err) {
    throw new XmlSyntaxError((err as Error).message);
  }
  const root = nodes.map((n) => toElement(n, {})).find((e): e is XmlElement => e !== undefined);
  if (!root) throw new XmlSyntaxError('Root element is missing.');
  return root;
}

function toElement(node: OrderedNode, scope: Record<string, string>): XmlElement | undefined {
  const tag = Object.keys(node).find((k) => k !== ':@');
  if (!tag || tag === '#text' || tag.startsWith('?') || tag.startsWith('!')) return undefined;
  const attrs = node[':@'] ?? {};
  const inner: Record<string, string> = { ...scope };
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'xmlns') inner[''] = v;
    else if (k.startsWith('xmlns:')) inner[k.slice(6)] = v;
  }
  const colon = tag.indexOf(':');
  const prefix = colon >= 0 ? tag.slice(0, colon) : '';
  const children = (node[tag] as OrderedNode[]) ?? [];
  return {
    name: colon >= 0 ? tag.slice(colon + 1) : tag,
    ns: inner[prefix] ?? '',
    children: children.map((c) => toElement(c, inner)).filter((e): e is XmlElement => e !== undefined),
    text: children
      .filter((c) => '#text' in c)
      .map((c) => String(c['#text']))
      .join(''),
  };
}

export function child(el: XmlElement | undefined, name: string, ns: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name && c.ns === ns);
}

/** Text-node escaping as .NET's XmlWriter does it: quotes stay as they are. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch]!);
}

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
