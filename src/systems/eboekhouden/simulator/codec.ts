/**
 * WSDL-driven (de)serialisation of operation payloads, in the way ASMX's XmlSerializer behaves:
 * children are matched by name in the target namespace (order and unknown elements are tolerated,
 * unknown ones ignored), unparsable values and bad enum values are SOAP faults. An omitted element
 * is not an error: a minOccurs=0 or nillable one is "not specified", a required (minOccurs=1)
 * value gets its .NET type's default — 0 for numbers, false for booleans, 0001-01-01
 * (DateTime.MinValue) for dates, the first member for enums; strings and complex types are null.
 * So published clients that leave out `KostenplaatsID` or a filter's `ID` are read as the real
 * service reads them; what an operation
 * then does with a defaulted value (a 0001-01-01 booking date, say) is decided in inferred.ts.
 * Decoded dateTimes are reduced to `YYYY-MM-DD`: the simulator books by day.
 */
import { attrByLocalName, escapeXml, type XmlElement } from '../../simulator-support/xml';
import type { ComplexDef, FieldDef, SchemaModel, TypeRef } from './wsdl-model';

/** A request the server cannot read: answered as a soap:Client fault (HTTP 500). */
export class ClientFault extends Error {}

const READ = 'Server was unable to read request. ---> There is an error in XML document. ---> ';

/** ArrayOfX wrapper types are exposed as plain JS arrays on both sides. */
function arrayItemField(def: ComplexDef): FieldDef | undefined {
  return def.name.startsWith('ArrayOf') && def.fields.length === 1 && def.fields[0].maxOccurs > 1 ? def.fields[0] : undefined;
}

function complexDef(model: SchemaModel, name: string): ComplexDef {
  const def = model.complex.get(name);
  if (!def) throw new Error(`type ${name} not in WSDL`);
  return def;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

function decodeBuiltin(name: string, raw: string): unknown {
  const text = raw.trim();
  switch (name) {
    case 'long':
    case 'int':
      if (!/^[+-]?\d+$/.test(text)) throw new ClientFault(`${READ}Input string '${text}' was not in a correct format.`);
      return Number(text);
    case 'decimal':
    case 'double':
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new ClientFault(`${READ}Input string '${text}' was not in a correct format.`);
      return Number(text);
    case 'boolean':
      if (!/^(true|false|1|0)$/.test(text)) throw new ClientFault(`${READ}The string '${text}' is not a valid Boolean value.`);
      return text === 'true' || text === '1';
    case 'dateTime': {
      // Working clients send both YYYY-MM-DD and YYYY-MM-DDThh:mm:ss (contract A2), so accept both.
      const m = DATE_RE.exec(text);
      const d = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
        throw new ClientFault(`${READ}The string '${text}' is not a valid AllXsd value.`);
      }
      return `${m[1]}-${m[2]}-${m[3]}`;
    }
    default:
      return raw;
  }
}

function decodeValue(model: SchemaModel, node: XmlElement, type: TypeRef): unknown {
  if (attrByLocalName(node, 'nil') === 'true') return null;
  if (type.kind === 'builtin') return decodeBuiltin(type.name, node.text);
  if (type.kind === 'enum') {
    const text = node.text.trim();
    if (!model.enums.get(type.name)?.includes(text)) {
      throw new ClientFault(`${READ}Instance validation error: '${text}' is not a valid value for ${type.name}.`);
    }
    return text;
  }
  const def = complexDef(model, type.name);
  const item = arrayItemField(def);
  if (item) return decodeField(model, node, item);
  return decodeComplex(model, node, def);
}

function decodeField(model: SchemaModel, node: XmlElement, field: FieldDef): unknown {
  const matches = node.children.filter((c) => c.local === field.name && c.ns === model.targetNamespace);
  if (field.maxOccurs > 1) return matches.map((c) => decodeValue(model, c, field.type));
  // XmlSerializer leaves an omitted member at its default: "not specified" for minOccurs=0 (an
  // XSpecified member) and nillable (Nullable<T>) elements, the type's default otherwise.
  if (matches.length === 0) return field.minOccurs === 0 || field.nillable ? undefined : defaultFor(model, field.type);
  return decodeValue(model, matches[0], field.type);
}

/** Decodes an element of a complex type into a plain object keyed by the WSDL's element names. */
export function decodeComplex(model: SchemaModel, node: XmlElement, def: ComplexDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of def.fields) {
    const v = decodeField(model, node, field);
    if (v !== undefined) out[field.name] = v;
  }
  return out;
}

export function decodeOperation(model: SchemaModel, node: XmlElement): Record<string, unknown> {
  return decodeComplex(model, node, complexDef(model, node.local));
}

// ---------------------------------------------------------------- encoding

function formatDecimal(n: number): string {
  return Number.isInteger(Math.round(n * 100 * 1e6) / 1e6) ? n.toFixed(2) : String(n);
}

function formatBuiltin(name: string, v: unknown): string {
  switch (name) {
    case 'long':
    case 'int':
      return String(Math.trunc(Number(v)));
    case 'decimal':
      return formatDecimal(Number(v));
    case 'double':
      return String(Number(v));
    case 'boolean':
      return v ? 'true' : 'false';
    case 'dateTime':
      return `${String(v).slice(0, 10)}T00:00:00`;
    default:
      return escapeXml(String(v));
  }
}

/** .NET's default of a value type: what XmlSerializer writes for an unset member and reads for an omitted one. */
function defaultFor(model: SchemaModel, type: TypeRef): unknown {
  if (type.kind === 'enum') return model.enums.get(type.name)?.[0];
  if (type.kind !== 'builtin') return undefined;
  switch (type.name) {
    case 'long':
    case 'int':
    case 'decimal':
    case 'double':
      return 0;
    case 'boolean':
      return false;
    case 'dateTime':
      return '0001-01-01';
    default:
      return undefined;
  }
}

function encodeElement(model: SchemaModel, field: FieldDef, value: unknown): string {
  const { name, type } = field;
  let v = value;
  if (v === undefined || v === null) {
    v = field.minOccurs >= 1 ? defaultFor(model, type) : undefined;
    if (v === undefined) return field.minOccurs >= 1 && field.nillable ? `<${name} xsi:nil="true" />` : '';
  }
  if (type.kind === 'builtin') {
    // An untyped element (anyType) is written with its runtime type, as ASMX does.
    if (type.name === 'anyType') return `<${name} xsi:type="xsd:string">${escapeXml(String(v))}</${name}>`;
    const text = formatBuiltin(type.name, v);
    return text === '' ? `<${name} />` : `<${name}>${text}</${name}>`;
  }
  if (type.kind === 'enum') return `<${name}>${escapeXml(String(v))}</${name}>`;
  const inner = encodeComplex(model, type.name, v);
  return inner === '' ? `<${name} />` : `<${name}>${inner}</${name}>`;
}

/** Encodes the children of a complex value in WSDL order. Arrays may be given for ArrayOfX types. */
export function encodeComplex(model: SchemaModel, typeName: string, value: unknown): string {
  const def = complexDef(model, typeName);
  const item = arrayItemField(def);
  const obj = ((item && Array.isArray(value) ? { [item.name]: value } : value) ?? {}) as Record<string, unknown>;
  let out = '';
  for (const field of def.fields) {
    const v = obj[field.name];
    if (field.maxOccurs > 1) {
      for (const x of (v as unknown[] | undefined) ?? []) out += encodeElement(model, field, x);
    } else out += encodeElement(model, field, v);
  }
  return out;
}

/** `<OpResponse xmlns="ns"><OpResult>…</OpResult></OpResponse>`; result undefined for empty responses. */
export function encodeResponse(model: SchemaModel, op: string, resultType: string | undefined, result: unknown): string {
  const tag = `${op}Response`;
  if (!resultType) return `<${tag} xmlns="${model.targetNamespace}" />`;
  const field: FieldDef = { name: `${op}Result`, type: { kind: 'complex', name: resultType }, minOccurs: 0, maxOccurs: 1, nillable: false };
  return `<${tag} xmlns="${model.targetNamespace}">${encodeElement(model, field, result)}</${tag}>`;
}
