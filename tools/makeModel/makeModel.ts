// Writes a transformers.js-layout Qwen2 model folder: config.json, generation_config.json,
// tokenizer.json, tokenizer_config.json and onnx/<file for the dtype> (with _data when external).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WeightDtype } from './linearOps';
import { configJson, generationConfigJson, ONNX_FILE } from './modelConfig';
import { buildQwen2Onnx } from './qwen2Graph';
import type { Qwen2Dims } from './qwen2Graph';
import { modelRecipe } from './recipes';
import type { ModelKind, Placement } from './recipes';
import { ENDOFTEXT, IM_END } from './specialTokens';
import { ExternalSink, ModelFileSink, SplitSink } from './tensorSink';
import type { TensorSink } from './tensorSink';
import { idOf, tokenizerConfigJson, tokenizerJson } from './tokenizerFiles';

export interface MakeModelOptions {
  kind: ModelKind;
  dtype: WeightDtype;
  /** The model folder; created if missing, files in it overwritten. */
  out: string;
  seed?: number;
  /** true: every weight in `onnx/<file>_data`; false: every weight in the model file. Default: the kind's (see README). */
  externalData?: boolean;
  /** Overrides both: where the weights go. */
  placement?: Placement;
}

export interface MadeModel {
  dir: string;
  /** The ONNX file, relative to `dir`. */
  onnxFile: string;
  files: string[];
  dims: Qwen2Dims;
  /** Token ids the tokenizer uses (config vocab_size may be larger). */
  tokenizerSize: number;
  placement: Placement;
  ms: number;
}

const EMBEDDING = 'model.embed_tokens.weight';

function writeJson(path: string, value: object): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

export async function makeModel(options: MakeModelOptions): Promise<MadeModel> {
  const started = Date.now();
  const dir = resolve(options.out);
  const recipe = modelRecipe(options.kind, options.seed);
  const { dims, plan, weights, tied, style, maxPositions } = recipe;
  const asked = options.externalData === undefined ? undefined : options.externalData ? 'external-data' : 'model-file';
  const placement: Placement = options.placement ?? asked ?? recipe.placement[options.dtype];
  const external = placement !== 'model-file';
  const onnxName = ONNX_FILE[options.dtype];
  mkdirSync(join(dir, 'onnx'), { recursive: true });

  const configOptions = {
    tied,
    bosId: idOf(plan, ENDOFTEXT),
    eosIds: [idOf(plan, ENDOFTEXT), idOf(plan, IM_END)],
    maxPositions,
    externalDataFor: external ? onnxName : undefined,
  };
  writeJson(join(dir, 'config.json'), configJson(dims, configOptions));
  writeJson(join(dir, 'generation_config.json'), generationConfigJson(configOptions));
  writeJson(join(dir, 'tokenizer.json'), tokenizerJson(plan));
  writeJson(join(dir, 'tokenizer_config.json'), tokenizerConfigJson(plan, maxPositions));

  const files = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', `onnx/${onnxName}`];
  const dataName = `${onnxName}_data`;
  const modelFile = new ModelFileSink(join(dir, 'onnx', onnxName));
  const data = external ? new ExternalSink(join(dir, 'onnx', dataName), dataName) : undefined;
  let sink: TensorSink = modelFile;
  if (data) sink = placement === 'external-data' ? data : new SplitSink(modelFile, data, (name) => name.startsWith(EMBEDDING));
  try {
    modelFile.finish(buildQwen2Onnx(dims, weights, options.dtype, sink, style));
  } finally {
    modelFile.close();
    data?.close();
  }
  if (external) files.push(`onnx/${dataName}`);
  return { dir, onnxFile: `onnx/${onnxName}`, files, dims, tokenizerSize: plan.size, placement, ms: Date.now() - started };
}
