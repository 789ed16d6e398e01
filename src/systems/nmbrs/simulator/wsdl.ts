/**
 * The simulator serves each service's full WSDL: the committed one (src/systems/nmbrs/wsdl/, the
 * subset the client reads) plus every other operation the contract lists (wsdl-catalogue.ts), so
 * a generic SOAP client loads the service as it would the real one. The service address points at
 * the simulator itself (ASMX builds `soap:address` from the request's Host header the same way).
 */
import fs from 'node:fs';
import path from 'node:path';
import { findRepoRoot } from '../../../repo-root';
import { SERVICES, type ServiceName } from './operations';
import { WSDL_GUESSES } from './inferred';
import { BUILTINS, CATALOGUE, ENUMS, TYPES, VALUE_BUILTINS, type CatalogueOperation } from './wsdl-catalogue';

const cache = new Map<ServiceName, { text: string; operations: string[] }>();

function wsdlPath(service: ServiceName): string {
  return path.join(findRepoRoot(), 'src', 'systems', 'nmbrs', 'wsdl', `${service}.wsdl`);
}

const NAMED = /<(?:s:complexType|s:simpleType|wsdl:operation) name="([^"]+)"/g;
const namesIn = (text: string) => new Set([...text.matchAll(NAMED)].map((m) => m[1]));

const qname = (type: string) => (BUILTINS.has(type) ? `s:${type}` : `tns:${type}`);
const isValue = (type: string) => VALUE_BUILTINS.has(type) || type in ENUMS;

function element(name: string, type: string): string {
  return `<s:element minOccurs="${isValue(type) ? 1 : 0}" maxOccurs="1" name="${name}" type="${qname(type)}" />`;
}

function sequence(fields: Array<[string, string]>, indent: string): string {
  if (fields.length === 0) return `${indent}<s:complexType />\n`;
  return `${indent}<s:complexType>\n${indent}  <s:sequence>\n${fields.map(([n, t]) => `${indent}    ${element(n, t)}\n`).join('')}${indent}  </s:sequence>\n${indent}</s:complexType>\n`;
}

/** Named types an operation needs, transitively (ArrayOfX needs X). */
function typesOf(op: CatalogueOperation): string[] {
  const out: string[] = [];
  const visit = (type: string) => {
    if (BUILTINS.has(type) || out.includes(type)) return;
    out.push(type);
    const item = type.startsWith('ArrayOf') ? type.slice('ArrayOf'.length) : undefined;
    if (item) visit(item);
    for (const [, t] of TYPES[type] ?? []) visit(t);
  };
  [...op.params.map(([, t]) => t), op.result].forEach(visit);
  return out;
}

function typeXml(type: string): string {
  if (type in ENUMS) {
    const values = ENUMS[type].map((v) => `          <s:enumeration value="${v}" />\n`).join('');
    return `      <s:simpleType name="${type}">\n        <s:restriction base="s:string">\n${values}        </s:restriction>\n      </s:simpleType>\n`;
  }
  if (type.startsWith('ArrayOf')) {
    const item = type.slice('ArrayOf'.length);
    const nillable = isValue(item) ? '' : ' nillable="true"';
    return `      <s:complexType name="${type}">\n        <s:sequence>\n          <s:element minOccurs="0" maxOccurs="unbounded" name="${item}"${nillable} type="${qname(item)}" />\n        </s:sequence>\n      </s:complexType>\n`;
  }
  const fields = TYPES[type];
  if (!fields) throw new Error(`wsdl-catalogue: type ${type} is not defined`);
  const body = fields.map(([n, t]) => `          ${element(n, t)}\n`).join('');
  return `      <s:complexType name="${type}">\n        <s:sequence>\n${body}        </s:sequence>\n      </s:complexType>\n`;
}

function bindingOperation(prefix: 'soap' | 'soap12', ns: string, op: string): string {
  return (
    `    <wsdl:operation name="${op}">\n` +
    `      <${prefix}:operation soapAction="${ns}/${op}" style="document" />\n` +
    `      <wsdl:input>\n        <${prefix}:body use="literal" />\n` +
    `        <${prefix}:header message="tns:${op}AuthHeaderWithDomain" part="AuthHeaderWithDomain" use="literal" />\n      </wsdl:input>\n` +
    `      <wsdl:output>\n        <${prefix}:body use="literal" />\n      </wsdl:output>\n    </wsdl:operation>\n`
  );
}

/** Inserts `add` before the n-th (0-based) occurrence of `marker`. */
function insertBefore(text: string, marker: string, add: string, nth = 0): string {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(marker, at + 1);
    if (at < 0) throw new Error(`committed WSDL lacks ${marker}`);
  }
  const lineStart = text.lastIndexOf('\n', at) + 1;
  return text.slice(0, lineStart) + add + text.slice(lineStart);
}

/** The committed WSDL with the catalogue's operations added (those it does not have yet). */
export function fullWsdl(committed: string, ns: string, extra: CatalogueOperation[]): { text: string; operations: string[] } {
  const known = namesIn(committed);
  const ops = extra.filter((op) => !known.has(op.name));
  const types = [...new Set(ops.flatMap(typesOf))].filter((t) => !known.has(t));
  let elements = '';
  for (const op of ops) {
    elements += `      <s:element name="${op.name}">\n${sequence(op.params, '        ')}      </s:element>\n`;
    elements += `      <s:element name="${op.name}Response">\n${sequence([[`${op.name}Result`, op.result]], '        ')}      </s:element>\n`;
  }
  const messages = ops
    .map(
      (op) =>
        `  <wsdl:message name="${op.name}SoapIn">\n    <wsdl:part name="parameters" element="tns:${op.name}" />\n  </wsdl:message>\n` +
        `  <wsdl:message name="${op.name}SoapOut">\n    <wsdl:part name="parameters" element="tns:${op.name}Response" />\n  </wsdl:message>\n` +
        `  <wsdl:message name="${op.name}AuthHeaderWithDomain">\n    <wsdl:part name="AuthHeaderWithDomain" element="tns:AuthHeaderWithDomain" />\n  </wsdl:message>\n`,
    )
    .join('');
  const portType = ops
    .map(
      (op) =>
        `    <wsdl:operation name="${op.name}">\n      <wsdl:documentation xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">${op.doc} (not simulated by Koppelwerk)</wsdl:documentation>\n` +
        `      <wsdl:input message="tns:${op.name}SoapIn" />\n      <wsdl:output message="tns:${op.name}SoapOut" />\n    </wsdl:operation>\n`,
    )
    .join('');
  let text = committed;
  if (ops.length > 0) {
    const note = `<!-- Served by the Koppelwerk Nmbrs simulator: this WSDL adds ${ops.length} operations the simulator does not implement (they answer a SOAP fault). INFERRED shapes: ${WSDL_GUESSES.join(' ')} -->\n`;
    text = insertBefore(text, '<wsdl:definitions', note);
  }
  text = insertBefore(text, '</s:schema>', elements + types.map(typeXml).join(''));
  text = insertBefore(text, '<wsdl:portType ', messages);
  text = insertBefore(text, '</wsdl:portType>', portType);
  text = insertBefore(text, '</wsdl:binding>', ops.map((op) => bindingOperation('soap', ns, op.name)).join(''), 0);
  text = insertBefore(text, '</wsdl:binding>', ops.map((op) => bindingOperation('soap12', ns, op.name)).join(''), 1);
  const operations = [...committed.matchAll(/<wsdl:portType[\s\S]*?<\/wsdl:portType>/g)]
    .flatMap((m) => [...m[0].matchAll(/<wsdl:operation name="([^"]+)"/g)].map((o) => o[1]))
    .concat(ops.map((o) => o.name));
  return { text, operations };
}

function served(service: ServiceName): { text: string; operations: string[] } {
  let entry = cache.get(service);
  if (entry === undefined) {
    entry = fullWsdl(fs.readFileSync(wsdlPath(service), 'utf8'), SERVICES[service], CATALOGUE[service]);
    cache.set(service, entry);
  }
  return entry;
}

/** Every operation the served WSDL declares for the service (simulated or not). */
export function servedOperations(service: ServiceName): readonly string[] {
  return served(service).operations;
}

export function wsdlFor(service: ServiceName, baseUrl: string): string {
  return served(service).text.replace(/(<soap(?:12)?:address location=")[^"]*(")/g, `$1${baseUrl}/soap/v3/${service}.asmx$2`);
}
