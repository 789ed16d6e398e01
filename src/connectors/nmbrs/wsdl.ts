/**
 * Locates the committed WSDL files. tsc does not copy .wsdl files to dist/, so resolve from the
 * repo root (the nearest folder with package.json) instead of relative to this file.
 */
import fs from 'node:fs';
import path from 'node:path';

export type NmbrsServiceName = 'CompanyService' | 'DebtorService';

export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

export function wsdlPath(service: NmbrsServiceName): string {
  return path.join(findRepoRoot(), 'src', 'connectors', 'nmbrs', 'wsdl', `${service}.wsdl`);
}
