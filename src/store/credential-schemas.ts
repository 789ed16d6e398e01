/**
 * The credential schema of one external system: the system registry's (src/systems), the single
 * schema per system. Systems outside it (test-only types) fall back to a koppeling type that names
 * the system, so the platform's tests can bring their own.
 */
import type { z } from 'zod';
import { koppelingTypes } from '../domain/koppeling-types';
import { getSystem } from '../systems';

export function credentialSchemaFor(system: string): z.ZodType<Record<string, string>> | undefined {
  const registered = getSystem(system);
  if (registered) return registered.credentials as unknown as z.ZodType<Record<string, string>>;
  for (const def of koppelingTypes()) {
    if (Object.hasOwn(def.credentials, system)) return def.credentials[system];
  }
  return undefined;
}
