/**
 * The credential schema of one external system. One function, so the lookup can move: today it
 * scans the koppeling type registry (each type's `credentials[system]`; the types agree per
 * system); later it reads the per-system registry.
 */
import type { z } from 'zod';
import { koppelingTypes } from '../domain/koppeling-types';

export function credentialSchemaFor(system: string): z.ZodType<Record<string, string>> | undefined {
  for (const def of koppelingTypes()) {
    const schema = def.credentials[system];
    if (schema) return schema;
  }
  return undefined;
}
