/**
 * Namespace-aware XML element tree for the SOAP simulators (e-Boekhouden, Nmbrs). fast-xml-parser's
 * object mode drops namespace URIs, and SOAP dispatch and WSDL-driven decoding need them, so both
 * simulators read requests through this one tree instead of each keeping its own copy.
 */
import { XMLParser, XMLValidator, type ValidationError } from 'fast-xml-parser';

export interface XmlElement {
  /** Resolved namespace URI ('' when none). */
  ns: string;
  /** Name with its prefix stripped. */
  local: string;
  /** Attributes as written, prefixes kept (xmlns declarations included). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text nodes, each trimmed, concatenated. */
  text: string;
}

export class XmlSyntaxError extends Error {}

/**
 * How a parse failure reads; each simulator keeps the fault text its real service sends.
 * - 'parser': fast-xml-parser's own wording ("msg:line:col"); the first root element is used.
 * - 'xmlserializer': .NET XmlSerializer's wording ("There is an error in XML document (line, col). …");
 *   anything but exactly one root element is refused.
 */
export type XmlErrorStyle = 'parser' | 'xmlserializer';

export interface ParseXmlOptions {
  errors?: XmlErrorStyle;
}

interface Wording {
  invalid(err: ValidationError['err']): string;
  unreadable(err: Error): string;
  noRoot: string;
}

const WORDING: Record<XmlErrorStyle, Wording> = {
  parser: {
    // Same text XMLParser.parse(xml, true) throws for a validation failure.
    invalid: (e) => `${e.msg}:${e.line}:${e.col}`,
    unreadable: (e) => e.message,
    noRoot: 'Root element is missing.',
  },
  xmlserializer: {
    invalid: (e) => `There is an error in XML document (${e.line}, ${e.col}). ${e.msg}`,
    // The parser's own messages (DOCTYPE problems) have no position to report; XmlSerializer's
    // generic sentence is what .NET says then.
    unreadable: () => 'There is an error in XML document.',
    noRoot: 'There is an error in XML document (1, 1). Root element is missing.',
  },
};

// Ordered mode keeps every element with its own attributes, which is where xmlns declarations live.
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

type Raw = Record<string, unknown>;

/** Parses a document and returns its root element. Throws XmlSyntaxError when it cannot be read. */
export function parseXml(text: string, options: ParseXmlOptions = {}): XmlElement {
  const wording = WORDING[options.errors ?? 'parser'];
  const roots = build(parseOrdered(text, wording), {});
  const tooMany = options.errors === 'xmlserializer' && roots.length > 1;
  if (roots.length === 0 || tooMany) throw new XmlSyntaxError(wording.noRoot);
  return roots[0];
}

function parseOrdered(text: string, wording: Wording): Raw[] {
  // The parser itself accepts broken markup; the validator is what finds it.
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlSyntaxError(wording.invalid(valid.err));
  try {
    return parser.parse(text) as Raw[];
  } catch (err) {
    throw new XmlSyntaxError(wording.unreadable(err as Error));
  }
}

/** Turns ordered parser output into elements, resolving prefixes against the declarations in scope. */
function build(raw: Raw[], scope: Record<string, string>): XmlElement[] {
  const out: XmlElement[] = [];
  for (const item of raw) {
    const tag = Object.keys(item).find((k) => k !== ':@');
    if (!tag || !isElementTag(tag)) continue;
    const attrs = (item[':@'] ?? {}) as Record<string, string>;
    const inner = declaredScope(attrs, scope);
    const colon = tag.indexOf(':');
    const kids = (item[tag] ?? []) as Raw[];
    out.push({
      ns: inner[colon >= 0 ? tag.slice(0, colon) : ''] ?? '',
      local: colon >= 0 ? tag.slice(colon + 1) : tag,
      attrs,
      children: build(kids, inner),
      text: textOf(kids),
    });
  }
  return out;
}

function isElementTag(tag: string): boolean {
  return tag !== '#text' && !tag.startsWith('?') && !tag.startsWith('!');
}

/** The prefix → URI map inside an element: its parent's, plus its own xmlns declarations. */
function declaredScope(attrs: Record<string, string>, scope: Record<string, string>): Record<string, string> {
  const inner: Record<string, string> = { ...scope };
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'xmlns') inner[''] = v;
    else if (k.startsWith('xmlns:')) inner[k.slice(6)] = v;
  }
  return inner;
}

function textOf(kids: Raw[]): string {
  return kids
    .filter((k) => '#text' in k)
    .map((k) => String(k['#text']))
    .join('');
}

/** First child with this local name in this namespace, so `tns:X` and `<X xmlns=…>` compare equal. */
export function child(el: XmlElement | undefined, local: string, ns: string): XmlElement | undefined {
  return el?.children.find((c) => c.local === local && c.ns === ns);
}

/** Resolves a prefixed attribute such as xsi:nil by its local name, whatever prefix the client chose. */
export function attrByLocalName(el: XmlElement, local: string): string | undefined {
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k === local || k.endsWith(`:${local}`)) return v;
  }
  return undefined;
}

/** Escapes element text the way .NET's XmlWriter/XmlSerializer do: quotes stay as they are. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch] as string);
}
