// Where a model comes from: a folder on disk or a repo on the model hub. Local folders are checked
// before transformers.js sees them, so a missing file gets a message that names it.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Dtype } from './protocol';

export type ModelSource =
  | { kind: 'local'; folder: string }
  | { kind: 'hub'; repo: string };

/** transformers.js v4 names one ONNX file per dtype inside `onnx/`. */
const onnxFileByDtype: Record<Dtype, string> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
};

export function onnxFileFor(dtype: Dtype): string {
  return `onnx/${onnxFileByDtype[dtype]}`;
}

/** Paths ("/…", "~/…", "./…", "../…", "C:\…") are local; anything else is a hub repo id. */
export function resolveModelSource(model: string, cwd: string = process.cwd()): ModelSource {
  const trimmed = model.trim();
  if (trimmed === '~' || trimmed.startsWith('~/') || trimmed.startsWith('~\\')) {
    return { kind: 'local', folder: join(homedir(), trimmed.slice(1)) };
  }
  if (isAbsolute(trimmed)) return { kind: 'local', folder: resolve(trimmed) };
  if (/^\.\.?([/\\]|$)/.test(trimmed)) return { kind: 'local', folder: resolve(cwd, trimmed) };
  return { kind: 'hub', repo: trimmed };
}

/** What a local folder lacks, relative to it; empty when it holds everything the dtype needs. */
export function missingModelFiles(folder: string, dtype: Dtype): string[] {
  if (!isDirectory(folder)) return ['.'];
  const required = ['config.json', 'tokenizer.json', onnxFileFor(dtype)];
  return required.filter((file) => !existsSync(join(folder, file)));
}

/** The weight variants a local folder has, for a message that says which dtype to pick instead. */
export function availableDtypes(folder: string): Dtype[] {
  return (Object.keys(onnxFileByDtype) as Dtype[]).filter((dtype) => existsSync(join(folder, onnxFileFor(dtype))));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
