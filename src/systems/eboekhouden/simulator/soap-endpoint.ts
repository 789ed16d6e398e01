/**
 * The `/soap.asmx` endpoint: WSDL and help on GET, SOAP dispatch on POST.
 * Business errors → HTTP 200 with ErrorMsg (or the flat cError of Update* operations);
 * unreadable requests → soap:Client fault; unexpected exceptions → soap:Server fault (HTTP 500).
 */
import type { Request, Response } from 'express';
import { ClientFault, decodeOperation, encodeResponse } from './codec';
import { contentTypeFor, envelope, EnvelopeFault, faultEnvelope, readEnvelope, requestedAction, type SoapVersion } from './envelope';
import { SUCCESS_ERROR_MSG } from './inferred';
import { HANDLERS } from './operations';
import { EbError } from './sim-error';
import type { EboekhoudenState } from './state';
import type { SchemaModel } from './wsdl-model';

/** Success answers carry an empty ErrorMsg (a guess, inferred.ts). */
const NO_ERROR = SUCCESS_ERROR_MSG;

/** The WSDL with its soap:address pointing at this server, as ASMX does for the requesting host. */
export function wsdlFor(model: SchemaModel, baseUrl: string): string {
  return model.wsdlText.replace(/location="http:\/\/soap\.e-boekhouden\.nl\/soap\.asmx"/g, `location="${baseUrl}/soap.asmx"`);
}

export function soapGet(model: SchemaModel) {
  return (req: Request, res: Response): void => {
    const keys = Object.keys(req.query).map((k) => k.toLowerCase());
    if (keys.includes('wsdl')) {
      res.type('text/xml; charset=utf-8').send(wsdlFor(model, `${req.protocol}://${req.get('host')}`));
      return;
    }
    const ops = [...model.operations.keys()].sort().map((o) => `<li><a href="soap.asmx?op=${o}">${o}</a></li>`).join('');
    res.type('text/html; charset=utf-8').send(`<html><head><title>soapApp Web Service</title></head><body><h1>soapApp</h1><p>Service description: <a href="soap.asmx?WSDL">WSDL</a></p><ul>${ops}</ul></body></html>`);
  };
}

export function soapPost(model: SchemaModel, state: EboekhoudenState) {
  return (req: Request, res: Response): void => {
    let version: SoapVersion = '1.1';
    const send = (status: number, xml: string) => res.status(status).type(contentTypeFor(version)).send(xml);
    try {
      const body = typeof req.body === 'string' ? req.body : '';
      const request = readEnvelope(model, body, requestedAction(req.headers as Record<string, string>));
      version = request.version;
      const op = model.operations.get(request.op)!;
      state.count(op.name);
      const input = decodeOperation(model, request.body);
      const handler = HANDLERS[op.name];
      let result: unknown;
      try {
        const out = handler(input, state);
        result = op.resultType === 'cError' ? NO_ERROR : out && { ErrorMsg: NO_ERROR, ...out };
      } catch (e) {
        if (!(e instanceof EbError)) throw e;
        const error = { LastErrorCode: e.code, LastErrorDescription: e.description };
        result = op.resultType === 'cError' ? error : { ErrorMsg: error };
      }
      send(200, envelope(version, encodeResponse(model, op.name, op.resultType, result)));
    } catch (e) {
      if (e instanceof EnvelopeFault) version = e.version;
      if (e instanceof ClientFault) send(500, faultEnvelope(version, 'Client', e.message));
      else send(500, faultEnvelope(version, 'Server', `Server was unable to process request. ---> ${e instanceof Error ? e.message : String(e)}`));
    }
  };
}
