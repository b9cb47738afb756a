// Writes a transformers.js-layout Qwen2 model folder: config.json, generation_config.json,
// tokenizer.json, tokenizer_config.json and onnx/<file for the dtype> (with _data when external).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WeightDtype } from './linearOps';
import { configJson, generationConfigJson, ONNX_FILE } from './modelConfig';
import { buildQwen2Onnx } from './qwen2Graph';
import type { Qwen2Dims, Qwen2Weights } from './qwen2Graph';
import { randomWeights } from './randomWeights';
import { ENDOFTEXT, IM_END, QWEN_FIRST_ADDED_ID, QWEN_VOCAB_SIZE } from './specialTokens';
import { scriptKey, SUCCESSOR_BOOK } from './successorScript';
import type { ScriptBook } from './successorScript';
import { successorWeights } from './successorWeights';
import { ExternalSink, InlineSink } from './tensorSink';
import type { TensorSink } from './tensorSink';
import { idOf, planTokenizer, tokenizerConfigJson, tokenizerJson } from './tokenizerFiles';
import type { TokenizerPlan } from './tokenizerFiles';

export type ModelKind = 'successor' | 'random' | 'bench';
export const MODEL_KINDS: readonly ModelKind[] = ['successor', 'random', 'bench'];
export const WEIGHT_DTYPES: readonly WeightDtype[] = ['fp32', 'q8', 'q4'];

export interface MakeModelOptions {
  kind: ModelKind;
  dtype: WeightDtype;
  /** The model folder; created if missing, files in it overwritten. */
  out: string;
  seed?: number;
  /** Weights in `onnx/<file>_data` beside the graph. Default: only for `bench`. */
  externalData?: boolean;
}

export interface MadeModel {
  dir: string;
  /** The ONNX file, relative to `dir`. */
  onnxFile: string;
  files: string[];
  dims: Qwen2Dims;
  /** Token ids the tokenizer uses (config vocab_size may be larger). */
  tokenizerSize: number;
  ms: number;
}

const TINY = { layers: 2, hidden: 64, heads: 4, kvHeads: 2, headDim: 16, intermediate: 128, ropeTheta: 1e6, rmsEps: 1e-6 };
// Wider than TINY: one hidden dimension per successor and per script key.
const SUCCESSOR = { layers: 2, hidden: 128, heads: 4, kvHeads: 2, headDim: 32, intermediate: 256, ropeTheta: 1e6, rmsEps: 1e-6 };
const SUCCESSOR_NOISE_STD = 0.02;
// Qwen2.5-Coder-0.5B's shape.
const BENCH = { layers: 24, hidden: 896, heads: 14, kvHeads: 2, headDim: 64, intermediate: 4864, ropeTheta: 1e6, rmsEps: 1e-6 };
const MERGES = 400;
const DEFAULT_SEED = 42;

export interface Recipe {
  dims: Qwen2Dims;
  plan: TokenizerPlan;
  weights: Qwen2Weights;
  tied: boolean;
  maxPositions: number;
}

/** The tokenizer a kind gets (bench keeps Qwen's ids; successor adds its script tokens). */
export function tokenizerPlanFor(kind: ModelKind): TokenizerPlan {
  switch (kind) {
    case 'bench': return planTokenizer({ merges: MERGES, firstAddedId: QWEN_FIRST_ADDED_ID });
    case 'random': return planTokenizer({ merges: MERGES });
    case 'successor': return planTokenizer({ merges: MERGES, ...bookTokens(SUCCESSOR_BOOK, true) });
  }
}

/** The tokens a book needs: its chains (added tokens or unreachable vocabulary entries) and script keys. */
function bookTokens(book: ScriptBook, fimAsAdded: boolean): { extraAdded: string[]; extraVocab: string[] } {
  const keys = Object.keys(book.scripts).map(scriptKey);
  const pieces = Object.values(book.scripts).flat();
  return fimAsAdded
    ? { extraAdded: [...book.fim, ...book.explain, ...keys], extraVocab: pieces }
    : { extraAdded: [...book.explain, ...keys], extraVocab: [...book.fim, ...pieces] };
}

/** Everything a kind's files are made from; tests use it to recompute what the graph should output. */
export function modelRecipe(kind: ModelKind, seed = DEFAULT_SEED): Recipe {
  const plan = tokenizerPlanFor(kind);
  if (kind === 'bench') {
    const dims = { ...BENCH, vocab: QWEN_VOCAB_SIZE };
    return { dims, plan, weights: randomWeights(dims, seed, plan.size), tied: true, maxPositions: 32768 };
  }
  if (kind === 'random') {
    const dims = { ...TINY, vocab: plan.size };
    return { dims, plan, weights: randomWeights(dims, seed), tied: true, maxPositions: 4096 };
  }
  const dims = { ...SUCCESSOR, vocab: plan.size };
  const weights = successorWeights(dims, plan, SUCCESSOR_BOOK, { seed, noiseStd: SUCCESSOR_NOISE_STD });
  return { dims, plan, weights, tied: false, maxPositions: 4096 };
}

function writeJson(path: string, value: object): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

export async function makeModel(options: MakeModelOptions): Promise<MadeModel> {
  const started = Date.now();
  const dir = resolve(options.out);
  const { dims, plan, weights, tied, maxPositions } = modelRecipe(options.kind, options.seed);
  const external = options.externalData ?? options.kind === 'bench';
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
  const sink: TensorSink = external ? new ExternalSink(join(dir, 'onnx', dataName), dataName) : new InlineSink();
  let graph: Uint8Array;
  try {
    graph = buildQwen2Onnx(dims, weights, options.dtype, sink);
  } finally {
    sink.close();
  }
  writeFileSync(join(dir, 'onnx', onnxName), graph);
  if (external) files.push(`onnx/${dataName}`);
  return { dir, onnxFile: `onnx/${onnxName}`, files, dims, tokenizerSize: plan.size, ms: Date.now() - started };
}
