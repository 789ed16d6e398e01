/**
 * The repo root: the nearest folder above this file with a package.json. Committed non-TS files
 * (WSDL, tools) are found from here, so the same code works from ts sources and from dist/.
 */
import fs from 'node:fs';
import path from 'node:path';

export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

export const REPO_ROOT = findRepoRoot();
