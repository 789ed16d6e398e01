#!/usr/bin/env node
// Adds lock entries for platform-only optional packages the registry mirror here does not serve,
// so `npm ci` sees a complete lock; they are skipped on other platforms anyway.
const fs = require('fs');
const file = process.argv[2];
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pk = lock.packages;
const plat = (name) => {
  const os = /darwin/.test(name) ? 'darwin' : /win32/.test(name) ? 'win32' : /linux/.test(name) ? 'linux' : /freebsd/.test(name) ? 'freebsd' : undefined;
  const cpu = /arm64/.test(name) ? 'arm64' : /ia32/.test(name) ? 'ia32' : /x64/.test(name) ? 'x64' : /arm-/.test(name) || /-arm$/.test(name) ? 'arm' : /ppc64/.test(name) ? 'ppc64' : /s390x/.test(name) ? 's390x' : undefined;
  return { os, cpu };
};
let added = 0;
for (const [path, entry] of Object.entries(pk)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies || {})) {
    const key = `node_modules/${dep}`;
    const nested = `${path}/node_modules/${dep}`;
    if (pk[key] || pk[nested]) continue;
    const { os, cpu } = plat(dep);
    if (!os) continue;
    pk[key] = { version: version.replace(/^[\^~]/, ''), optional: true, os: [os], ...(cpu ? { cpu: [cpu] } : {}) };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pk).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} platform-only entries`);
