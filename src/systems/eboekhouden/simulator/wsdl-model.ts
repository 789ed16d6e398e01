/**
 * Reads the committed WSDL (src/systems/eboekhouden/wsdl/, the contract) into a small schema model, so the simulator's
 * request decoding, response encoding and operation list follow the very document clients use.
 */
import fs from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import path from 'node:path';
import { findRepoRoot } from '../../../repo-root';

/** The committed WSDL, the contract both the client and the simulator read (resolved from the repo root: tsc does not copy it to dist/). */
const EBOEKHOUDEN_WSDL_PATH = path.join(findRepoRoot(), 'src', 'systems', 'eboekhouden', 'wsdl', 'soap.wsdl');

export type Builtin = 'string' | 'long' | 'int' | 'decimal' | 'double' | 'boolean' | 'dateTime' | 'anyType';
export type TypeRef = { kind: 'builtin'; name: Builtin } | { kind: 'complex'; name: string } | { kind: 'enum'; name: string };

export interface FieldDef {
  name: string;
  type: TypeRef;
  minOccurs: number;
  maxOccurs: number;
  nillable: boolean;
}
export interface ComplexDef {
  name: string;
  fields: FieldDef[];
}
export interface OperationDef {
  name: string;
  soapAction: string;
  /** Type of the `<Op>Result` element, e.g. cResultAddMutatie or cError; undefined for CloseSession. */
  resultType?: string;
}
export interface SchemaModel {
  targetNamespace: string;
  complex: Map<string, ComplexDef>;
  enums: Map<string, string[]>;
  operations: Map<string, OperationDef>;
  /** The raw WSDL text, served at ?WSDL with the address rewritten. */
  wsdlText: string;
}

type Obj = Record<string, any>;
const list = (v: unknown): Obj[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]) as Obj[];
const local = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

function typeRef(qname: string | undefined, enums: Set<string>): TypeRef {
  if (!qname) return { kind: 'builtin', name: 'anyType' };
  const name = local(qname);
  if (qname.startsWith('s:')) return { kind: 'builtin', name: name as Builtin };
  return enums.has(name) ? { kind: 'enum', name } : { kind: 'complex', name };
}

function fields(complexType: Obj | '' | undefined, name: string, enums: Set<string>): ComplexDef {
  const seq = complexType && complexType['s:sequence'];
  return {
    name,
    fields: list(seq && seq['s:element']).map((e) => ({
      name: e['@_name'],
      type: typeRef(e['@_type'], enums),
      minOccurs: Number(e['@_minOccurs'] ?? 1),
      maxOccurs: e['@_maxOccurs'] === 'unbounded' ? Infinity : Number(e['@_maxOccurs'] ?? 1),
      nillable: e['@_nillable'] === 'true',
    })),
  };
}

export function loadSchemaModel(file = EBOEKHOUDEN_WSDL_PATH): SchemaModel {
  const wsdlText = fs.readFileSync(file, 'utf8');
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(wsdlText) as Obj;
  const defs = doc['wsdl:definitions'];
  const schema = defs['wsdl:types']['s:schema'];
  const enums = new Map<string, string[]>();
  for (const st of list(schema['s:simpleType'])) {
    enums.set(st['@_name'], list(st['s:restriction']['s:enumeration']).map((e) => e['@_value']));
  }
  const enumNames = new Set(enums.keys());
  const complex = new Map<string, ComplexDef>();
  for (const ct of list(schema['s:complexType'])) complex.set(ct['@_name'], fields(ct, ct['@_name'], enumNames));
  // Top-level elements carry anonymous types; register them under the element name.
  for (const el of list(schema['s:element'])) complex.set(el['@_name'], fields(el['s:complexType'], el['@_name'], enumNames));

  const operations = new Map<string, OperationDef>();
  const binding = list(defs['wsdl:binding']).find((b) => b['@_name'] === 'soapAppSoap');
  for (const op of list(binding?.['wsdl:operation'])) {
    const name: string = op['@_name'];
    const response = complex.get(`${name}Response`);
    const result = response?.fields.find((f) => f.name === `${name}Result`);
    operations.set(name, {
      name,
      soapAction: op['soap:operation']['@_soapAction'],
      resultType: result?.type.kind === 'complex' ? result.type.name : undefined,
    });
  }
  return { targetNamespace: schema['@_targetNamespace'], complex, enums, operations, wsdlText };
}
