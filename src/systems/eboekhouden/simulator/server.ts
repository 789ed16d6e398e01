/** Express app of the simulator: control API first, then fault injection, then /soap.asmx. */
import express, { type Express } from 'express';
import type { FaultInjector } from '../../simulator-support/faults';
import { controlRouter, loopbackOnly } from './control';
import { envelope } from './envelope';
import { soapGet, soapPost } from './soap-endpoint';
import type { EboekhoudenState } from './state';
import type { SchemaModel } from './wsdl-model';

/** What a "malformed" injected answer is cut from: a plausible SOAP response. */
const MALFORMED_SAMPLE = envelope(
  '1.1',
  '<GetMutatiesResponse xmlns="http://www.e-boekhouden.nl/soap"><GetMutatiesResult><ErrorMsg><LastErrorCode /><LastErrorDescription /></ErrorMsg><Mutaties /></GetMutatiesResult></GetMutatiesResponse>',
);

export function createApp(model: SchemaModel, state: EboekhoudenState, faults: FaultInjector): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use('/_control', loopbackOnly);
  app.use(controlRouter(state));
  app.use(faults.routes());
  app.use(faults.middleware(MALFORMED_SAMPLE));
  app.get('/soap.asmx', soapGet(model));
  // ASMX reads any content type (text/xml for 1.1, application/soap+xml for 1.2) as the envelope.
  app.post('/soap.asmx', express.text({ type: () => true, limit: '10mb' }), soapPost(model, state));
  return app;
}
