/**
 * HTTP side of the simulator's SOAP endpoints (`/soap/v3/{Service}.asmx`), behaving like ASP.NET
 * ASMX: `?WSDL`, SOAP 1.1 routed by SOAPAction, SOAP 1.2 by the `action` content-type parameter,
 * every fault as HTTP 500.
 */
import express, { type Request, type Response, type Router } from 'express';
import { child, escapeXml, parseXml, type XmlElement } from '../../simulator-support/xml';
import { authenticate, NmbrsFault, requireCallActive, requireSubscription, type AuthHeaderValues } from './auth';
import { CHECKS_AFTER_LOGIN, ENVIRONMENT_GET_ACCEPTS_DOMAIN_HEADER, faultString } from './inferred';
import { findOperation, OPERATIONS, SERVICES, type Operation, type ServiceName } from './operations';
import { contentType, faultEnvelope, responseEnvelope, SOAP11_NS, SOAP12_NS, type SoapVersion } from './soap-xml';
import type { NmbrsState } from './state';
import type { CallStats } from './stats';
import { servedOperations, wsdlFor } from './wsdl';

const READ_ERROR = 'Server was unable to read request. ---> There is an error in XML document.';

/** A request the SOAP layer rejects before any operation runs (soap:Client / VersionMismatch). */
class ProtocolFault extends Error {
  constructor(
    readonly kind: 'Client' | 'VersionMismatch',
    message: string,
  ) {
    super(message);
  }
}

/** An operation the served WSDL declares but the simulator does not implement. */
class NotSimulated extends Error {
  constructor(readonly operation: string) {
    super(`Server was unable to process request. ---> Operation ${operation} is not simulated by the Koppelwerk Nmbrs simulator.`);
  }
}

export function soapRouter(state: NmbrsState, stats: CallStats): Router {
  const router = express.Router();
  for (const service of Object.keys(SERVICES) as ServiceName[]) {
    const path = `/soap/v3/${service}.asmx`;
    router.get(path, (req, res) => {
      if (Object.keys(req.query as object).some((k) => k.toLowerCase() === 'wsdl')) {
        stats.recordWsdl();
        res.type('text/xml; charset=utf-8').send(wsdlFor(service, `${req.protocol}://${req.get('host')}`));
        return;
      }
      res.type('text/html; charset=utf-8').send(helpPage(service));
    });
    router.post(path, express.text({ type: () => true, limit: '10mb' }), (req, res) => {
      handleSoap(state, stats, service, req, res);
    });
  }
  return router;
}

function soapVersion(req: Request): SoapVersion | undefined {
  const ct = (req.get('content-type') ?? '').toLowerCase();
  if (ct.startsWith('text/xml')) return '1.1';
  if (ct.startsWith('application/soap+xml')) return '1.2';
  return undefined;
}

function handleSoap(state: NmbrsState, stats: CallStats, service: ServiceName, req: Request, res: Response): void {
  const version = soapVersion(req);
  if (!version) {
    res.status(415).type('text/plain').send('Unsupported Media Type');
    return;
  }
  const send = (status: number, xml: string) => res.status(status).type(contentType(version)).send(xml);

  let op: Operation;
  let args: ReturnType<typeof readArgs>;
  let header: AuthHeaderValues | undefined;
  try {
    const envelope = parseEnvelope(typeof req.body === 'string' ? req.body : '', version);
    op = resolveOperation(service, req, version, envelope.payload);
    args = readArgs(op, envelope.payload);
    header = readAuthHeader(envelope.header, op);
  } catch (err) {
    if (err instanceof ProtocolFault) {
      send(500, faultEnvelope(version, err.kind, err.message));
      return;
    }
    if (err instanceof NotSimulated) {
      // No 4-digit code in the text: a client must not read this as an Nmbrs error such as 1002.
      stats.record(service, err.operation, true);
      send(500, faultEnvelope(version, 'Server', err.message));
      return;
    }
    throw err;
  }

  try {
    const user = authenticate(state, header);
    for (const check of CHECKS_AFTER_LOGIN) {
      if (check === 'subscription') requireSubscription(state, user);
      else requireCallActive(user, service, op.name);
    }
    const result = op.handle({ state, user, ...args });
    stats.record(service, op.name, false);
    send(200, responseEnvelope(version, SERVICES[service], op.name, result));
  } catch (err) {
    stats.record(service, op.name, true);
    const f = err instanceof NmbrsFault ? err : new NmbrsFault(9999, 'Unknown');
    send(500, faultEnvelope(version, 'Server', faultString(f.code, f.title)));
  }
}

function parseEnvelope(xml: string, version: SoapVersion): { header?: XmlElement; payload?: XmlElement } {
  let root: XmlElement;
  try {
    root = parseXml(xml, { errors: 'parser' });
  } catch (err) {
    throw new ProtocolFault('Client', `${READ_ERROR} ---> ${(err as Error).message}`);
  }
  const soapNs = version === '1.1' ? SOAP11_NS : SOAP12_NS;
  if (root.local !== 'Envelope' || root.ns !== soapNs) {
    throw new ProtocolFault(
      'VersionMismatch',
      `Possible SOAP version mismatch: Envelope namespace ${root.ns} was unexpected. Expecting ${soapNs}.`,
    );
  }
  return { header: child(root, 'Header', soapNs), payload: child(root, 'Body', soapNs)?.children[0] };
}

function resolveOperation(service: ServiceName, req: Request, version: SoapVersion, payload?: XmlElement): Operation {
  const ns = SERVICES[service];
  let action: string;
  if (version === '1.1') {
    action = (req.get('soapaction') ?? '').replace(/"/g, '').trim();
    if (!action) {
      throw new ProtocolFault('Client', 'Unable to handle request without a valid action parameter. Please supply a valid soap action.');
    }
  } else {
    const m = /;\s*action\s*=\s*"?([^";]+)"?/i.exec(req.get('content-type') ?? '');
    action = m ? m[1].trim() : payload ? `${payload.ns}/${payload.local}` : '';
  }
  const name = action.startsWith(`${ns}/`) ? action.slice(ns.length + 1) : undefined;
  const op = name === undefined ? undefined : findOperation(service, name);
  if (!op && name !== undefined && servedOperations(service).includes(name)) throw new NotSimulated(name);
  if (!op) throw new ProtocolFault('Client', `Server did not recognize the value of HTTP Header SOAPAction: ${action}.`);
  if (!payload || payload.local !== op.name || payload.ns !== ns) {
    const what = payload ? `<${payload.local} xmlns='${payload.ns}'>` : 'An empty Body';
    throw new ProtocolFault('Client', `${READ_ERROR} ---> ${what} was not expected.`);
  }
  return op;
}

/** Missing int parameters bind as 0, like the .NET XmlSerializer; non-numbers are a read error. */
function readArgs(op: Operation, payload?: XmlElement): { args: Record<string, number>; text: Record<string, string>; complex: Record<string, XmlElement | undefined> } {
  const ns = SERVICES[op.service];
  const args: Record<string, number> = {};
  const text = Object.fromEntries((op.textParams ?? []).map((name) => [name, child(payload, name, ns)?.text.trim() ?? '']));
  const complex = Object.fromEntries((op.complexParams ?? []).map((name) => [name, child(payload, name, ns)]));
  for (const name of op.params) {
    const text = child(payload, name, ns)?.text.trim() ?? '';
    if (text !== '' && !/^[+-]?\d{1,10}$/.test(text)) {
      throw new ProtocolFault('Client', `${READ_ERROR} ---> Input string was not in a correct format.`);
    }
    args[name] = text === '' ? 0 : Number(text);
  }
  return { args, text, complex };
}

/** Header elements count only in the service namespace (elementFormDefault="qualified"). */
function readAuthHeader(header: XmlElement | undefined, op: Operation): AuthHeaderValues | undefined {
  const ns = SERVICES[op.service];
  // Environment_Get is declared with AuthHeader; whether it takes the v3 header too is a guess (inferred.ts).
  const kinds: AuthHeaderValues['kind'][] =
    op.header !== 'AuthHeader' ? ['AuthHeaderWithDomain'] : ENVIRONMENT_GET_ACCEPTS_DOMAIN_HEADER ? ['AuthHeader', 'AuthHeaderWithDomain'] : ['AuthHeader'];
  for (const kind of kinds) {
    const h = child(header, kind, ns);
    if (!h) continue;
    const field = (name: string) => child(h, name, ns)?.text.trim() ?? '';
    return { kind, username: field('Username'), token: field('Token'), domain: field('Domain') };
  }
  return undefined;
}

function helpPage(service: ServiceName): string {
  const simulated = new Set(OPERATIONS.filter((o) => o.service === service).map((o) => o.name));
  const ops = [...servedOperations(service)]
    .sort()
    .map((o) => `<li>${escapeXml(o)}${simulated.has(o) ? '' : ' (not simulated)'}</li>`)
    .join('');
  return `<html><head><title>${service}</title></head><body><h1>${service}</h1><p>The following operations are supported. For a formal definition, please review the <a href="${service}.asmx?WSDL">Service Description</a>.</p><ul>${ops}</ul></body></html>`;
}
