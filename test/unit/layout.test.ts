/**
 * The layout's two import rules, checked on the source files:
 * - A simulator never reaches client code (directly or through other modules). Both sides read the
 *   contract on their own; a shared module would let a shared misreading pass on both sides.
 * - Pure domain logic (src/domain, src/koppelingen/<type>/domain) imports no store, no Temporal, no
 *   client and no MongoDB: the activities map between the clients' records and the domain's types.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const rel = (abs: string) => path.relative(ROOT, abs).split(path.sep).join('/');

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Every module specifier: import/export … from, import(), require(), import x = require(). */
function specifiers(file: string): string[] {
  const src = fs.readFileSync(file, 'utf8');
  const re = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  return [...src.matchAll(re)].map((m) => m[1]);
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((p) => fs.existsSync(p));
}

const isClient = (file: string) => /^src\/systems\/[^/]+\/client\//.test(rel(file));

const systems = fs.readdirSync(path.join(ROOT, 'src/systems'), { withFileTypes: true }).filter((e) => e.isDirectory());
const simulatorFiles = systems.flatMap((s) => filesUnder(path.join(ROOT, 'src/systems', s.name, 'simulator')));

describe('layout', () => {
  it('finds the simulators and the support module', () => {
    expect(simulatorFiles.length).toBeGreaterThan(10);
    expect(systems.map((s) => s.name)).toEqual(expect.arrayContaining(['nmbrs', 'eboekhouden', 'werkbonapp', 'simulator-support']));
  });

  it('no simulator module reaches client code, directly or through other modules', () => {
    const offending: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string, chain: string[]) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of specifiers(file)) {
        const target = resolveLocal(file, spec);
        if (!target) continue;
        if (isClient(target)) offending.push([...chain, rel(file), rel(target)].join(' → '));
        else visit(target, [...chain, rel(file)]);
      }
    };
    for (const f of [...simulatorFiles, ...filesUnder(path.join(ROOT, 'src/systems/simulator-support'))]) visit(f, []);
    expect(offending).toEqual([]);
  });

  it('pure domain logic imports no store, Temporal, client or MongoDB code', () => {
    const domainDirs = [path.join(ROOT, 'src/domain'), ...fs.readdirSync(path.join(ROOT, 'src/koppelingen'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(ROOT, 'src/koppelingen', e.name, 'domain'))];
    const files = domainDirs.flatMap(filesUnder);
    expect(files.map(rel)).toEqual(expect.arrayContaining(['src/koppelingen/nmbrs-eboekhouden/domain/journal-plan.ts', 'src/koppelingen/eboekhouden-werkbonapp/domain/invoice.ts']));
    const offending: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(file)) {
        const target = resolveLocal(file, spec);
        const bad = target
          ? isClient(target) || /^src\/(store|temporal)\//.test(rel(target)) || /^(activities|workflows)\//.test(rel(target))
          : /^(@temporalio\/|mongodb$)/.test(spec);
        if (bad) offending.push(`${rel(file)} imports ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
