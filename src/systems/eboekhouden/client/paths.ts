/**
 * Where the committed WSDL lives. Resolved from the repo root (the nearest folder with a
 * package.json), so the same code works from ts sources (ts-node/jest) and from a tsc build in dist/.
 */
import path from 'node:path';
import { findRepoRoot } from '../../../repo-root';


export const EBOEKHOUDEN_WSDL_PATH = path.join(findRepoRoot(), 'src', 'systems', 'eboekhouden', 'wsdl', 'soap.wsdl');

/** SOAP namespace of every e-Boekhouden element (elementFormDefault="qualified"). */
export const EB_NAMESPACE = 'http://www.e-boekhouden.nl/soap';

/** Production endpoint; the connector and simulator both append /soap.asmx. */
export const EB_PRODUCTION_BASE_URL = 'https://soap.e-boekhouden.nl';
