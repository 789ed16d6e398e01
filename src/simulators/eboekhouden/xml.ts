/**
 * Minimal namespace-aware XML tree on top of fast-xml-parser. SOAP dispatch and the WSDL-driven
 * codec need every element's namespace URI, which the parser's plain object mode loses.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XNode {
  ns: string;
  local: string;
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

export class XmlSyntaxError extends Error {}

type Raw = Record<string, unknown>;

/** Parses a document and returns its root element. Throws XmlSyntaxError when not well-formed. */
export function parseXml(text: string): XNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new XmlSyntaxError(`There is an error in XML document (${valid.err.line}, ${valid.err.col}). ${valid.err.msg}`);
  }
  const nodes = build(parser.parse(text) as Raw[], {});
  if (nodes.length !== 1) throw new XmlSyntaxError('There is an error in XML document (1, 1). Root element is missing.');
  return nodes[0];
}

function build(raw: Raw[], scope: Record<string, string>): XNode[] {
  const out: XNode[] = [];
  for (const item of raw) {
    const name = Object.keys(item).find((k) => k !== ':@');
    if (!name || name === '#text' || name.startsWith('?') || name.startsWith('!')) continue;
    const attrs = (item[':@'] ?? {}) as Record<string, string>;
    const inner: Record<string, string> = { ...scope };
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'xmlns') inner[''] = v;
      else if (k.startsWith('xmlns:')) inner[k.slice(6)] = v;
    }
    const [prefix, local] = name.includes(':') ? name.split(':', 2) : ['', name];
    const kids = (item[name] ?? []) as Raw[];
    const text = kids
      .filter((k) => '#text' in k)
      .map((k) => String(k['#text']))
      .join('');
    out.push({ ns: inner[prefix] ?? '', local, attrs, children: build(kids, inner), text });
  }
  return out;
}

/** Resolves a prefixed attribute such as xsi:nil against the element's own declarations. */
export function attrByLocalName(node: XNode, local: string): string | undefined {
  for (const [k, v] of Object.entries(node.attrs)) {
    if (k === local || k.endsWith(`:${local}`)) return v;
  }
  return undefined;
}

/** Escapes element text the way XmlSerializer does (quotes stay as they are). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string);
}
