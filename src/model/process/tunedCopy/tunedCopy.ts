// The tuned copy of a downloaded model file (accuracyLevel.ts and logitsToKeep.ts say what it
// changes and why): made once, beside the original in the model's cache folder (so "Clear Model
// Cache" removes both and shows their size), under the folder's lock, with a record of the
// original's size and time it was made from. Its weights go into a data file beside it
// (`…onnx_data`), which onnxruntime opens in ~0.65× the time of the same weights inside the model
// file (bench/README.md). A load uses the copy only while that record still
// describes the original; anything odd — no room, a read-only disk, a damaged file — leaves the
// original to be loaded as before.
import { readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Dtype } from '../../protocol';
import { onnxFileFor } from '../../modelSource';
import { INT8_ACCURACY_LEVEL } from './accuracyLevel';
import { changesIn, describeChanges, planTunedCopy, writePlanned } from './copyPlan';

/** transformers.js' `model_file_name`: with the dtype's suffix it opens onnx/model-tuned_quantized.onnx, …_q4.onnx. */
const TUNED_MODEL_NAME = 'model-tuned';
/** Bumped whenever the copy is made differently: older copies are then made again. */
const RECORD_VERSION = 4;
/** What earlier versions wrote (a q4-only copy): removed when a copy is made. */
const RETIRED_FILES = ['onnx/model-int8-compute_q4.onnx', 'onnx/model-int8-compute_q4.onnx.inkling.json'];

interface CopyRecord {
  version: number;
  /** The original's size and modification time when the copy was made. */
  sourceSize: number;
  sourceMtimeMs: number;
  /** Changes made; 0 when the original needed none (no copy then). */
  changes: number;
  copySize: number;
  /** The data file's size; 0 when the weights stayed in the model file. */
  dataSize: number;
}

export interface CopyPaths {
  source: string;
  copy: string;
  /** The copy relative to the model folder. */
  copyFile: string;
  /** Its weights, as transformers.js names a model file's data: `<model file>_data`. */
  data: string;
  record: string;
}

/** Only the dtypes whose hub files hold their own weights get a copy (fp32 and fp16 point at external data). */
function copyPathsFor(folder: string, dtype: Dtype): CopyPaths | undefined {
  if (dtype !== 'q8' && dtype !== 'q4') return undefined;
  const sourceFile = onnxFileFor(dtype);
  const source = join(folder, ...sourceFile.split('/'));
  const copyFile = sourceFile.replace(/^onnx\/model/, `onnx/${TUNED_MODEL_NAME}`);
  const copy = join(folder, ...copyFile.split('/'));
  return { source, copy, copyFile, data: `${copy}_data`, record: `${copy}.inkling.json` };
}

export interface CopyControl {
  log?: (message: string) => void;
  /** Told the copy's file (relative to the folder) before it is written: a few seconds for a large model. */
  onPreparing?: (file: string) => void;
}

/** Makes (or remakes) the copy when the record no longer describes the original. Never throws. Call it under the folder's lock. */
export async function makeTunedCopy(folder: string, dtype: Dtype, control: CopyControl = {}): Promise<void> {
  const paths = copyPathsFor(folder, dtype);
  if (!paths) return;
  const temp = `${paths.copy}.${process.pid}.inkling-tmp`;
  const dataTemp = `${paths.data}.${process.pid}.inkling-tmp`;
  try {
    await Promise.all(RETIRED_FILES.map((file) => rm(join(folder, ...file.split('/')), { force: true })));
    const source = await stat(paths.source);
    const record = await readRecord(paths.record);
    if (record && describes(record, source) && (record.changes === 0 || (await filesMatch(paths, record)))) return;
    const plan = await planTunedCopy(paths.source, { accuracyLevel: INT8_ACCURACY_LEVEL, externalData: basename(paths.data) });
    const changes = changesIn(plan);
    const dataSize = plan.data?.size ?? 0;
    if (changes > 0) {
      const free = await statfs(folder).then((s) => s.bavail * s.bsize, () => Infinity);
      if (free < (plan.size + dataSize) * 1.01) {
        control.log?.(`Not making the tuned copy of ${paths.source} (${describeChanges(plan)}): it needs ${megabytes(plan.size + dataSize)} and the disk has ${megabytes(free)} free. The original is used.`);
        return;
      }
      control.onPreparing?.(paths.copyFile);
      const started = performance.now();
      await writePlanned(paths.source, temp, plan, dataTemp);
      // The data first: a model file in place always finds its data.
      if (plan.data) await rename(dataTemp, paths.data);
      else await rm(paths.data, { force: true });
      await rename(temp, paths.copy);
      control.log?.(`Made ${paths.copy} (${describeChanges(plan)}${plan.data ? `; weights in ${basename(paths.data)}` : ''}) in ${Math.round(performance.now() - started)} ms.`);
    } else {
      await Promise.all([rm(paths.copy, { force: true }), rm(paths.data, { force: true })]);
    }
    await writeRecord(paths.record, { version: RECORD_VERSION, sourceSize: source.size, sourceMtimeMs: source.mtimeMs, changes, copySize: changes > 0 ? plan.size : 0, dataSize: changes > 0 ? dataSize : 0 });
  } catch (error) {
    await Promise.all([temp, dataTemp].map((path) => rm(path, { force: true }).catch(() => undefined)));
    control.log?.(`Could not make the tuned copy of ${paths.source} (${(error as Error).message}); the original is used.`);
  }
}

export interface UsableCopy {
  /** transformers.js' `model_file_name` for it. */
  modelFileName: string;
  /** Relative to the model folder. */
  file: string;
}

/** The copy, when it is there and still matches the original. */
export async function usableTunedCopy(folder: string, dtype: Dtype): Promise<UsableCopy | undefined> {
  const paths = copyPathsFor(folder, dtype);
  if (!paths) return undefined;
  const [record, source] = await Promise.all([readRecord(paths.record), stat(paths.source).catch(() => undefined)]);
  if (!record || !source || !describes(record, source) || record.changes === 0 || !(await filesMatch(paths, record))) return undefined;
  return { modelFileName: TUNED_MODEL_NAME, file: paths.copyFile };
}

/** Drops a copy that would not open, so the next load uses the original. */
export async function discardTunedCopy(folder: string, dtype: Dtype): Promise<void> {
  const paths = copyPathsFor(folder, dtype);
  if (!paths) return;
  await rm(paths.record, { force: true });
  await Promise.all([rm(paths.copy, { force: true }), rm(paths.data, { force: true })]);
}

/** The copy and its data file are the sizes they were written at (a cut-short or deleted one is not used). */
async function filesMatch(paths: CopyPaths, record: CopyRecord): Promise<boolean> {
  const [copySize, dataSize] = await Promise.all([sizeOf(paths.copy), sizeOf(paths.data)]);
  return copySize === record.copySize && (record.dataSize === 0 ? dataSize === -1 : dataSize === record.dataSize);
}

function describes(record: CopyRecord, source: { size: number; mtimeMs: number }): boolean {
  return record.version === RECORD_VERSION && record.sourceSize === source.size && record.sourceMtimeMs === source.mtimeMs;
}

async function readRecord(path: string): Promise<CopyRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<CopyRecord>;
    const numbers = [parsed.version, parsed.sourceSize, parsed.sourceMtimeMs, parsed.changes, parsed.copySize, parsed.dataSize];
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
