// Exit 0 when node_modules already holds exactly what package-lock.json pins (and the lockfile agrees
// with package.json's dependency lists), so `npm ci` can be skipped; exit 1 otherwise.
// npm keeps its own record of what it installed in node_modules/.package-lock.json.
import { existsSync, readFileSync } from 'node:fs';

const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const same = (a = {}, b = {}) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

function current() {
  if (!existsSync('node_modules/.package-lock.json') || !existsSync('package-lock.json')) return false;
  const manifest = read('package.json');
  const lock = read('package-lock.json');
  const installed = read('node_modules/.package-lock.json').packages ?? {};
  const root = lock.packages?.[''] ?? {};
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    if (!same(manifest[field], root[field])) return false;
  }
  return Object.entries(lock.packages ?? {}).every(
    ([path, entry]) => path === '' || entry.optional || installed[path]?.version === entry.version,
  );
}

process.exit(current() ? 0 : 1);
