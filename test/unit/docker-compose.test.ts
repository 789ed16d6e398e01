/**
 * docker-compose.yml cannot run on the project's machines (no Docker), so this reads it and checks
 * the production shape: the services, the images built from our Dockerfile, MongoDB as a replica
 * set, the search attributes registered (and the same as the code's), and no secrets in the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SYSTEMS } from '../../src/systems';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';

const ROOT = path.resolve(__dirname, '../..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

type Service = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  ports?: (string | number | { target?: number; published?: string | number })[];
  volumes?: (string | { source?: string; target?: string })[];
  restart?: string;
};

// merge: true resolves the `<<: *koppelwerk-env` merge keys the way Docker Compose does.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

function env(name: string): Record<string, string> {
  const e = services[name].environment ?? {};
  if (Array.isArray(e)) {
    return Object.fromEntries(e.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v ?? '')]));
}
const words = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(' ') : (v ?? ''));
const dependsOn = (name: string) => {
  const d = services[name].depends_on ?? {};
  return Array.isArray(d) ? Object.fromEntries(d.map((s) => [s, {}])) : d;
};

describe('docker-compose.yml', () => {
  it('has every service of the production shape', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'temporal-admin-tools', 'mongodb', 'worker', 'api']) {
      expect(services).toHaveProperty(name);
    }
  });

  it('runs Temporal (auto-setup) on PostgreSQL 16, with the Web UI on port 8080', () => {
    expect(services.postgresql.image).toBe('postgres:16');
    expect(services.temporal.image).toMatch(/^temporalio\/auto-setup:\d+\.\d+\.\d+$/);
    expect(env('temporal')).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql', POSTGRES_USER: 'temporal' });
    expect(dependsOn('temporal').postgresql).toEqual({ condition: 'service_healthy' });

    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(services['temporal-ui'].ports).toContain('8080:8080');
    expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
    // The codec endpoint is the api's /codec (the UI POSTs to <endpoint>/decode).
    expect(env('temporal-ui').TEMPORAL_CODEC_ENDPOINT).toMatch(/\/codec$/);
  });

  it.each(['worker', 'api'])('builds %s from the Dockerfile and runs the compiled entry point', (name) => {
    const build = services[name].build;
    expect(typeof build === 'string' ? { context: build } : build).toMatchObject({ context: '.' });
    const dockerfile = typeof build === 'object' && build.dockerfile ? build.dockerfile : 'Dockerfile';
    expect(dockerfile).toBe('Dockerfile');
    expect(fs.existsSync(path.join(ROOT, dockerfile))).toBe(true);
    const entry = name === 'worker' ? 'dist/src/worker.js' : 'dist/src/server.js';
    expect(words(services[name].command)).toBe(`node ${entry}`);
  });

  it('has a multi-stage Dockerfile that installs, compiles with npm run build and starts node dist/src/worker.js', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/src\/worker\.js"\]/);
  });

  it.each(['worker', 'api'])('points %s at Temporal and the MongoDB replica set, and waits for both', (name) => {
    const e = env(name);
    expect(e.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(e.MONGODB_URI).toBe('mongodb://mongodb:27017/koppelwerk?replicaSet=rs0');
    expect(dependsOn(name)).toMatchObject({
      mongodb: { condition: 'service_healthy' },
      'temporal-admin-tools': { condition: 'service_completed_successfully' },
    });
  });

  it.each(['worker', 'api'])('gives %s a base-URL variable for every system in the registry, defaulting to the real API', (name) => {
    const e = env(name);
    for (const system of SYSTEMS) {
      expect({ system: system.id, value: e[system.baseUrl.env] }).toEqual({ system: system.id, value: `\${${system.baseUrl.env}:-${system.baseUrl.default}}` });
    }
    // And none for a system the registry does not have.
    const known = SYSTEMS.map((s) => s.baseUrl.env as string);
    expect(Object.keys(e).filter((k) => k.endsWith('_BASE_URL') && !known.includes(k))).toEqual([]);
  });

  it('exposes the api on port 3000 and binds it to all interfaces inside the container', () => {
    expect(services.api.ports).toContain('3000:3000');
    expect(env('api').HOST).toBe('0.0.0.0');
  });

  it('requires every secret from the environment and keeps none in the file', () => {
    for (const name of ['worker', 'api']) {
      const e = env(name);
      for (const key of ['KOPPELWERK_CREDENTIALS_KEY', 'KOPPELWERK_CODEC_KEY', 'KOPPELWERK_OPERATOR_API_KEY']) {
        expect(e[key]).toMatch(new RegExp(`^\\$\\{${key}:\\?[^}]+\\}$`));
      }
    }
    expect(env('postgresql').POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
    expect(env('temporal').POSTGRES_PWD).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
    // Any other variable that looks secret must come from the environment too.
    for (const [svc] of Object.entries(services)) {
      for (const [key, value] of Object.entries(env(svc))) {
        if (/(KEY|PASSWORD|PWD|SECRET|TOKEN)$/.test(key) && !/PASS_ACCESS_TOKEN$/.test(key)) {
          expect({ svc, key, value }).toEqual({ svc, key, value: expect.stringMatching(/^\$\{[A-Z_]+:[?-][^}]*\}$/) });
        }
      }
    }
  });

  it('runs mongo:7 as the single-node replica set rs0, initiated by its healthcheck', () => {
    const mongo = services.mongodb;
    expect(mongo.image).toBe('mongo:7');
    expect(words(mongo.command)).toMatch(/--replSet rs0\b/);
    const test = words(mongo.healthcheck?.test);
    expect(test).toMatch(/mongosh/);
    expect(test).toMatch(/rs\.initiate\(\{ _id: 'rs0'/);
    expect(test).toMatch(/host: 'mongodb:27017'/);
  });

  it('registers the search attributes with a one-shot admin-tools service', () => {
    const admin = services['temporal-admin-tools'];
    expect(admin.image).toMatch(/^temporalio\/admin-tools:/);
    expect(admin.restart).toBe('no');
    const mount = (admin.volumes ?? []).map(String).find((v) => v.startsWith('./scripts/register-search-attributes.sh:'));
    expect(mount).toBeDefined();
    const inContainer = mount!.split(':')[1];
    expect(words(admin.entrypoint)).toContain(inContainer);

    const script = read('scripts/register-search-attributes.sh');
    expect(script).toMatch(/temporal operator search-attribute create/);
    const declared = /^ATTRIBUTES="([^"]+)"/m.exec(script)?.[1].split(/\s+/) ?? [];
    const fromScript: Record<string, string> = Object.fromEntries(declared.map((pair) => pair.split('=')));
    expect(fromScript).toEqual({ TenantId: 'Keyword', KoppelingType: 'Keyword', KoppelingState: 'Keyword', LastSyncAt: 'Datetime', JaarwerkYear: 'Keyword', JaarwerkStatus: 'Keyword' });

    // The same names and types as the code's typed search attributes.
    const fromCode = Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, String(k.type).toUpperCase()]));
    expect(Object.fromEntries(Object.entries(fromScript).map(([n, t]) => [n, t.toUpperCase()]))).toEqual(fromCode);
  });

  it('keeps local tools, data, build output and git out of the image build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['node_modules', '.tools', 'data', 'dist', '.git']) expect(ignored).toContain(entry);
  });
});
