// The int8-compute copy of a downloaded q4 model (accuracyLevel.ts says why): made once, beside the
// original in the model's cache folder (so "Clear Model Cache" removes both and shows their size),
// under the folder's lock, with a record of the original's size and time it was made from. A load
// uses the copy only while that record still describes the original; anything odd — no room, a
// read-only disk, a damaged file — leaves the original to be loaded as before.
import { readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dtype } from '../../protocol';
import { onnxFileFor } from '../../modelSource';
import { INT8_ACCURACY_LEVEL, planAccuracyLevel, writePlanned } from './accuracyLevel';

/** transformers.js' `model_file_name`: with q4's suffix it opens onnx/model-int8-compute_q4.onnx. */
export const INT8_COMPUTE_MODEL_NAME = 'model-int8-compute';
/** Bumped whenever the copy is made differently: older copies are then made again. */
const RECORD_VERSION = 1;

interface CopyRecord {
  version: number;
  /** The original's size and modification time when the copy was made. */
  sourceSize: number;
  sourceMtimeMs: number;
  /** MatMulNBits nodes given the level; 0 when the original needed none (no copy then). */
  nodes: number;
  copySize: number;
}

export interface CopyPaths {
  source: string;
  copy: string;
  /** The copy relative to the model folder. */
  copyFile: string;
  record: string;
}

/** Only q4 files are 4-bit MatMulNBits here (the other dtypes use none). */
export function copyPathsFor(folder: string, dtype: Dtype): CopyPaths | undefined {
  if (dtype !== 'q4') return undefined;
  const source = join(folder, ...onnxFileFor(dtype).split('/'));
  const copyFile = `onnx/${INT8_COMPUTE_MODEL_NAME}_q4.onnx`;
  const copy = join(folder, ...copyFile.split('/'));
  return { source, copy, copyFile, record: `${copy}.inkling.json` };
}

export interface CopyControl {
  log?: (message: string) => void;
  /** Told the copy's file (relative to the folder) before it is written: a few seconds for a large model. */
  onPreparing?: (file: string) => void;
}

/** Makes (or remakes) the copy when the record no longer describes the original. Never throws. Call it under the folder's lock. */
export async function makeInt8ComputeCopy(folder: string, dtype: Dtype, control: CopyControl = {}): Promise<void> {
  const paths = copyPathsFor(folder, dtype);
  if (!paths) return;
  const temp = `${paths.copy}.${process.pid}.inkling-tmp`;
  try {
    const source = await stat(paths.source);
    const record = await readRecord(paths.record);
    if (record && describes(record, source) && (record.nodes === 0 || (await sizeOf(paths.copy)) === record.copySize)) return;
    const plan = await planAccuracyLevel(paths.source, INT8_ACCURACY_LEVEL);
    if (plan.nodes > 0) {
      const free = await statfs(folder).then((s) => s.bavail * s.bsize, () => Infinity);
      if (free < plan.size * 1.01) {
        control.log?.(`Not making the int8-compute copy of ${paths.source}: it needs ${megabytes(plan.size)} and the disk has ${megabytes(free)} free. The model computes in float.`);
        return;
      }
      control.onPreparing?.(paths.copyFile);
      const started = performance.now();
      await writePlanned(paths.source, temp, plan);
      await rename(temp, paths.copy);
      control.log?.(`Made ${paths.copy} (int8 compute on ${plan.nodes} 4-bit products) in ${Math.round(performance.now() - started)} ms.`);
    } else {
      await rm(paths.copy, { force: true });
    }
    await writeRecord(paths.record, { version: RECORD_VERSION, sourceSize: source.size, sourceMtimeMs: source.mtimeMs, nodes: plan.nodes, copySize: plan.nodes > 0 ? plan.size : 0 });
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    control.log?.(`Could not make the int8-compute copy of ${paths.source} (${(error as Error).message}); the model computes in float.`);
  }
}

export interface UsableCopy {
  /** transformers.js' `model_file_name` for it. */
  modelFileName: string;
  /** Relative to the model folder. */
  file: string;
}

/** The copy, when it is there and still matches the original. */
export async function usableInt8ComputeCopy(folder: string, dtype: Dtype): Promise<UsableCopy | undefined> {
  const paths = copyPathsFor(folder, dtype);
  if (!paths) return undefined;
  const [record, source, copySize] = await Promise.all([readRecord(paths.record), stat(paths.source).catch(() => undefined), sizeOf(paths.copy)]);
  if (!record || !source || !describes(record, source) || record.nodes === 0 || copySize !== record.copySize) return undefined;
  return { modelFileName: INT8_COMPUTE_MODEL_NAME, file: paths.copyFile };
}

/** Drops a copy that would not open, so the next load uses the original. */
export async function discardInt8ComputeCopy(folder: string, dtype: Dtype): Promise<void> {
  const paths = copyPathsFor(folder, dtype);
  if (!paths) return;
  await rm(paths.record, { force: true });
  await rm(paths.copy, { force: true });
}

function describes(record: CopyRecord, source: { size: number; mtimeMs: number }): boolean {
  return record.version === RECORD_VERSION && record.sourceSize === source.size && record.sourceMtimeMs === source.mtimeMs;
}

async function readRecord(path: string): Promise<CopyRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<CopyRecord>;
    const numbers = [parsed.version, parsed.sourceSize, parsed.sourceMtimeMs, parsed.nodes, parsed.copySize];
    return numbers.every((n) => typeof n === 'number' && Number.isFinite(n)) ? parsed as CopyRecord : undefined;
  } catch {
    return undefined;
  }
}

async function writeRecord(path: string, record: CopyRecord): Promise<void> {
  const temp = `${path}.${process.pid}.inkling-tmp`;
  await writeFile(temp, `${JSON.stringify(record)}\n`);
  await rename(temp, path);
}

const sizeOf = (path: string) => stat(path).then((s) => s.size, () => -1);

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`;
}
