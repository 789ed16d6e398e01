import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBackend } from '../../src/dev/stack';

describe('the embedded stack picks its FerretDB backend', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kw-backend-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('PostgreSQL by default, on a fresh data directory', () => {
    expect(embeddedBackend(undefined, dir)).toBe('postgresql');
    expect(embeddedBackend('', dir)).toBe('postgresql');
  });

  test('the variable wins', () => {
    expect(embeddedBackend('sqlite', dir)).toBe('sqlite');
    expect(embeddedBackend('postgres', dir)).toBe('postgresql');
    expect(() => embeddedBackend('mysql', dir)).toThrow(/choose sqlite or postgresql/);
  });

  test('a data directory with SQLite data from before keeps it, until it also has PostgreSQL data', () => {
    mkdirSync(join(dir, 'ferretdb'));
    writeFileSync(join(dir, 'ferretdb', 'koppelwerk.sqlite'), '');
    expect(embeddedBackend(undefined, dir)).toBe('sqlite');
    mkdirSync(join(dir, 'postgres'));
    expect(embeddedBackend(undefined, dir)).toBe('postgresql');
  });
});
