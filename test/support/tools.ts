/** Paths of the binaries scripts/setup installs into .tools/ (git-ignored). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
const bin = (name: string) => join(ROOT, '.tools', 'bin', name);

export function toolPath(name: 'temporal' | 'temporal-test-server' | 'ferretdb'): string {
  const p = bin(name);
  if (!existsSync(p)) throw new Error(`${p} is missing: run scripts/setup (npm test does this first).`);
  return p;
}
