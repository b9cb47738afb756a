// Models built on demand by tools/makeModel for tests and benchmarks, cached in <repo>/.cache/test-models. A model is
// built in a private temporary folder and renamed into place, so parallel test processes never see
// a half-written one. The folder name ends in a hash of the maker's sources (read from the repo at
// run time) and the build options, so any change to the maker rebuilds: a warm cache cannot hide a
// regression. Run the tests from a fresh build (npm run test:unit does): the key follows the
// sources, the models are made by the bundled code.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statfsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { WeightDtype } from './linearOps';
import { makeModel } from './makeModel';
import { MODEL_KINDS } from './recipes';
import type { ModelKind } from './recipes';
import { repoRoot } from '../repoRoot';

export type TestModelKind = ModelKind;
export type TestModelDtype = WeightDtype;

/** Build options beyond kind and dtype; each combination gets a folder of its own. */
export interface TestModelOptions {
  seed?: number;
  externalData?: boolean;
}

export function makerSourceDir(): string {
  return join(repoRoot(), 'tools', 'makeModel');
}

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    // The maker's own tests do not shape the models it makes.
    if (entry.isDirectory()) {
      if (entry.name !== 'test') found.push(...sourceFiles(full));
    } else if (entry.name.endsWith('.ts')) found.push(full);
  }
  return found;
}

/** sha256 over the maker's TypeScript files: each one's path (relative, with /) and contents, in path order. */
export function makerSourceHash(dir: string = makerSourceDir()): string {
  const hash = createHash('sha256');
  const files = sourceFiles(dir).map((full) => ({ full, name: relative(dir, full).split(sep).join('/') }));
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { full, name } of files) hash.update(`${name}\0`).update(readFileSync(full)).update('\0');
  return hash.digest('hex');
}

/** The maker's one dependency that shapes its bytes: protobufjs, by its installed version. */
function encoderVersion(): string {
  const manifest = join(repoRoot(), 'node_modules', 'protobufjs', 'package.json');
  return existsSync(manifest) ? `protobufjs@${(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version}` : 'protobufjs@?';
}

function optionsTag(options: TestModelOptions): string {
  let tag = '';
  if (options.seed !== undefined) tag += `-seed${options.seed}`;
  if (options.externalData !== undefined) tag += options.externalData ? '-external' : '-inline';
  return tag;
}

/** `<kind>-<dtype>[-options]-<16 hex digits>`; the digits hash the sources together with the rest. */
export function testModelKey(kind: TestModelKind, dtype: TestModelDtype, options: TestModelOptions = {}, sourceHash = makerSourceHash()): string {
  const name = `${kind}-${dtype}${optionsTag(options)}`;
  const key = { sourceHash, encoder: encoderVersion(), kind, dtype, seed: options.seed, externalData: options.externalData };
  const digest = createHash('sha256').update(JSON.stringify(key)).digest('hex');
  return `${name}-${digest.slice(0, 16)}`;
}

export function testModelDir(kind: TestModelKind, dtype: TestModelDtype = 'fp32', options: TestModelOptions = {}): string {
  return join(cacheDir(), testModelKey(kind, dtype, options, sourceHashOnce()));
}

function cacheDir(): string {
  return join(repoRoot(), '.cache', 'test-models');
}

// The sources do not change during a test run: hash them once per process.
let cachedSourceHash: string | undefined;
function sourceHashOnce(): string {
  cachedSourceHash ??= makerSourceHash();
  return cachedSourceHash;
}

// One build per model per process, however many tests ask at once.
const pending = new Map<string, Promise<string>>();

/** Absolute path of a ready model folder, built the first time it is asked for. */
export function ensureTestModel(kind: TestModelKind, dtype: TestModelDtype = 'fp32', options: TestModelOptions = {}): Promise<string> {
  const dir = testModelDir(kind, dtype, options);
  let ready = pending.get(dir);
  if (!ready) {
    ready = build(kind, dtype, options, dir);
    pending.set(dir, ready);
    ready.catch(() => pending.delete(dir));
  }
  return ready;
}

async function build(kind: TestModelKind, dtype: TestModelDtype, options: TestModelOptions, dir: string): Promise<string> {
  if (existsSync(dir)) return dir;
  // Older sources' models go first: a full-size one is hundreds of MB the new build may need.
  if (existsSync(cacheDir())) sweepStale();
  const temporary = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await makeModel({ kind, dtype, out: temporary, ...options });
    renameSync(temporary, dir);
  } catch (error) {
    // Losing the race to another process is fine: its folder is complete.
    if (!existsSync(dir)) throw (error as NodeJS.ErrnoException).code === 'ENOSPC' ? diskFull(dir, error) : error;
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
  return dir;
}

/** ENOSPC in words: which model and how much room the disk had left when it stopped. */
function diskFull(dir: string, cause: unknown): Error {
  const freeMb = (): string => {
    try {
      const stats = statfsSync(cacheDir());
      return `${Math.round((stats.bavail * stats.bsize) / 1e6)} MB`;
    } catch {
      return 'an unknown amount';
    }
  };
  return new Error(`the disk filled up building the test model ${relative(repoRoot(), dir)} (${freeMb()} left): free some room and run again`, { cause });
}

/**
 * Removes every model folder the current sources would not make: another hash for the same name
 * (whichever model it is, so a big one left from older sources goes too), and the old numbered
 * versions. Folders still being written (.tmp-) and names it cannot read are left alone.
 */
function sweepStale(): void {
  const kinds = MODEL_KINDS.join('|');
  const keyed = new RegExp(`^(${kinds})-(fp32|q8|q4)(?:-seed(-?\\d+))?(?:-(external|inline))?-[0-9a-f]{16}$`);
  const numbered = new RegExp(`^(${kinds})-(fp32|q8|q4)-\\d+$`);
  for (const entry of readdirSync(cacheDir())) {
    const match = keyed.exec(entry);
    let stale = numbered.test(entry);
    if (match) {
      const options: TestModelOptions = {};
      if (match[3] !== undefined) options.seed = Number(match[3]);
      if (match[4] !== undefined) options.externalData = match[4] === 'external';
      stale = testModelKey(match[1] as TestModelKind, match[2] as TestModelDtype, options, sourceHashOnce()) !== entry;
    }
    if (stale) rmSync(join(cacheDir(), entry), { recursive: true, force: true });
  }
}
