// The files transformers.js reads for a causal LM at one dtype, so they can all be fetched and
// verified before it opens any: the same names and external-data rule as its own loader.
import { onnxFileFor } from '../../modelSource';
import type { Dtype } from '../../protocol';

export interface ModelFiles {
  required: string[];
  /** Fetched when the hub has them (transformers.js reads them when present). */
  optional: string[];
}

/** transformers.js refuses more external-data chunks than this. */
const MAX_DATA_CHUNKS = 100;

export function modelFiles(config: Record<string, unknown>, dtype: Dtype): ModelFiles {
  const onnx = onnxFileFor(dtype);
  const fullName = onnx.slice('onnx/'.length);
  const custom = config['transformers.js_config'];
  const format = custom && typeof custom === 'object' ? (custom as Record<string, unknown>).use_external_data_format : undefined;
  const chunks = dataChunks(format, fullName);
  if (!Number.isInteger(chunks) || chunks < 0 || chunks > MAX_DATA_CHUNKS) {
    throw new Error(`config.json asks for ${String(chunks)} external data files for ${fullName} (at most ${MAX_DATA_CHUNKS})`);
  }
  const data = Array.from({ length: chunks }, (_, i) => `onnx/${fullName}_data${i === 0 ? '' : `_${i}`}`);
  return { required: ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnx, ...data], optional: ['generation_config.json'] };
}

function dataChunks(format: unknown, fullName: string): number {
  if (!format) return 0;
  if (typeof format === 'object') {
    const table = format as Record<string, unknown>;
    const value = Object.hasOwn(table, fullName) ? table[fullName] : Object.hasOwn(table, 'model') ? table.model : 0;
    return Number(value);
  }
  return Number(format);
}
