/**
 * Locates the committed WSDL files. tsc does not copy .wsdl files to dist/, so resolve from the
 * repo root (the nearest folder with package.json) instead of relative to this file.
 */
import path from 'node:path';
import { findRepoRoot } from '../../../repo-root';

export { findRepoRoot };

export type NmbrsServiceName = 'CompanyService' | 'DebtorService' | 'EmployeeService';


export function wsdlPath(service: NmbrsServiceName): string {
  return path.join(findRepoRoot(), 'src', 'systems', 'nmbrs', 'wsdl', `${service}.wsdl`);
}
