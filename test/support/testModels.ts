// Test models built on demand by tools/makeModel and cached in <repo>/.cache/test-models. A model is
// built in a private temporary folder and renamed into place, so parallel test processes never see
// a half-written one; the maker's version is part of the folder name, so changes rebuild.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { WeightDtype } from '../../tools/makeModel/linearOps';
import { makeModel, MAKE_MODEL_VERSION } from '../../tools/makeModel/makeModel';
import type { ModelKind } from '../../tools/makeModel/makeModel';
import { repoRoot } from './repoRoot';


export type TestModelKind = ModelKind;
export type TestModelDtype = WeightDtype;

export function testModelDir(kind: TestModelKind, dtype: TestModelDtype = 'fp32'): string {
  return join(repoRoot(), '.cache', 'test-models', `${kind}-${dtype}-${MAKE_MODEL_VERSION}`);
}

// One build per model per process, however many tests ask at once.
const pending = new Map<string, Promise<string>>();

/** Absolute path of a ready model folder, built the first time it is asked for. */
export function ensureTestModel(kind: TestModelKind, dtype: TestModelDtype = 'fp32'): Promise<string> {
  const dir = testModelDir(kind, dtype);
  let ready = pending.get(dir);
  if (!ready) {
    ready = build(kind, dtype, dir);
    pending.set(dir, ready);
    ready.catch(() => pending.delete(dir));
  }
  return ready;
}

async function build(kind: TestModelKind, dtype: TestModelDtype, dir: string): Promise<string> {
  if (existsSync(dir)) return dir;
  const temporary = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await makeModel({ kind, dtype, out: temporary });
    renameSync(temporary, dir);
  } catch (error) {
    // Losing the race to another process is fine: its folder is complete.
    if (!existsSync(dir)) throw error;
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
  return dir;
}
