/**
 * Every setting comes from the environment and is validated here, once. A bad value stops start-up
 * with one message that lists every bad variable and why, instead of failing later one by one.
 */
import { z } from 'zod';
import { SYSTEMS } from './systems';

const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

/** "id:base64key,id2:base64key2": older keys kept for decryption during rotation. */
const keyList = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const out: Record<string, string> = {};
    for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [id, key] = part.split(':');
      if (!id || !key || Buffer.from(key, 'base64').length !== 32) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `entry "${id ?? part}" must be id:<32-byte base64 key>` });
        return z.NEVER;
      }
      out[id] = key;
    }
    return out;
  });

const url = z.string().url();

/**
 * Base URLs of the external systems, one variable per system in the registry (src/systems): the
 * real API by default, a simulator under `npm start` and in tests.
 */
type BaseUrlVar = (typeof SYSTEMS)[number]['baseUrl']['env'];
const baseUrlShape = Object.fromEntries(SYSTEMS.map((s) => [s.baseUrl.env, url.default(s.baseUrl.default)])) as Record<
  BaseUrlVar,
  z.ZodDefault<z.ZodString>
>;

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000), // 0: any free port (tests)
  HOST: z.string().default('127.0.0.1'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://'),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('koppelwerk'),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('koppelwerk'),
  /** AES-256-GCM key for credentials at rest. */
  KOPPELWERK_CREDENTIALS_KEY: base64Key,
  KOPPELWERK_CREDENTIALS_KEY_ID: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('c1'),
  KOPPELWERK_CREDENTIALS_OLD_KEYS: keyList,
  /** AES-256-GCM key for the Temporal payload codec (second line of defence). */
  KOPPELWERK_CODEC_KEY: base64Key,
  KOPPELWERK_CODEC_KEY_ID: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('p1'),
  KOPPELWERK_CODEC_OLD_KEYS: keyList,
  /** The operator API key: sees every tenant. */
  KOPPELWERK_OPERATOR_API_KEY: z.string().min(24, 'must be at least 24 characters'),
  /**
   * Dev only (npm start sets it, fresh each start): a secret path segment, /codec/ui/<token>, that
   * the embedded Web UI is given as its codec endpoint, because that UI cannot send our key header.
   * Unset (production): the codec endpoint needs the operator key.
   */
  KOPPELWERK_CODEC_UI_TOKEN: z.string().regex(/^[A-Za-z0-9_-]{24,128}$/, '24-128 characters of A-Z a-z 0-9 _ -').optional(),
  /** The Web UI's port; the default CORS origin follows it. */
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  /** CORS origin of the Web UI for the codec endpoint (default http://localhost:<TEMPORAL_UI_PORT>). */
  KOPPELWERK_UI_ORIGIN: url.optional(),
  /** Where users reach the admin API (OAuth2 redirect URI, authorise links); default http://localhost:PORT. */
  KOPPELWERK_PUBLIC_URL: url.optional(),
  /** Base URLs of the external systems (`<SYSTEM>_BASE_URL`): see baseUrlShape below. */
  /** Worker tuning. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(1).default(200),
  WORKER_SHUTDOWN_GRACE: z.string().regex(/^\d+(ms|s|m)$/, 'a duration like 30s').default('30s'),
  /** Tenant monitoring webhooks: first retry after this (ms), doubling up to 1 hour, at most this many attempts. */
  KOPPELWERK_NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(50).max(3_600_000).default(10_000),
  KOPPELWERK_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** Another prebuilt workflow bundle than the build's dist/workflow-bundle.js (bundleWorkflowCode's code, as a file). */
  WORKER_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  /**
   * Visma eAccounting OAuth2 client (issued by Visma on request, contract §1.1) and its identity
   * server; unset against a simulator, the simulator's demo client and host are used.
   */
  EACCOUNTING_IDENTITY_URL: url.optional(),
  EACCOUNTING_CLIENT_ID: z.string().min(1).optional(),
  EACCOUNTING_CLIENT_SECRET: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  ...baseUrlShape,
});

export type Config = Omit<z.infer<typeof configSchema>, 'KOPPELWERK_UI_ORIGIN'> & { KOPPELWERK_UI_ORIGIN: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return { ...parsed.data, KOPPELWERK_UI_ORIGIN: parsed.data.KOPPELWERK_UI_ORIGIN ?? `http://localhost:${parsed.data.TEMPORAL_UI_PORT}` };
  const problems = parsed.error.issues.map((i) => {
    const name = String(i.path[0] ?? '(env)');
    const value = env[name];
    // Never echo key material back: only say whether it was set.
    const shown = /KEY|TOKEN|SECRET|PASSWORD/.test(name) ? (value ? '(set)' : '(missing)') : JSON.stringify(value ?? null);
    return `${name}=${shown}: ${i.message}`;
  });
  throw new ConfigError(problems);
}
