/** Deliberately wrong: workflows must not use Node built-ins. The bundle test expects this to fail. */
import { readFileSync } from 'node:fs';

export async function badWorkflow(): Promise<string> {
  return readFileSync('/etc/hostname', 'utf8');
}
