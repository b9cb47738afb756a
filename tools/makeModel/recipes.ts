// What each model kind is made of: shape, tokenizer, weights, export style and where the weights go.
import { benchBook } from './benchScript';
import type { ExportStyle, WeightDtype } from './linearOps';
import type { Qwen2Dims, Qwen2Weights } from './qwen2Graph';
import { randomWeights } from './randomWeights';
import { QWEN_ADDED_TOKENS, QWEN_FIRST_ADDED_ID, QWEN_VOCAB_SIZE } from './specialTokens';
import { scriptKey, SUCCESSOR_BOOK } from './successorScript';
import type { ScriptBook } from './successorScript';
import { successorWeights } from './successorWeights';
import { planTokenizer, tokenText } from './tokenizerFiles';
import type { TokenizerPlan } from './tokenizerFiles';

export type ModelKind = 'successor' | 'random' | 'bench' | 'bench-scripted';
export const MODEL_KINDS: readonly ModelKind[] = ['successor', 'random', 'bench', 'bench-scripted'];
export const WEIGHT_DTYPES: readonly WeightDtype[] = ['fp32', 'q8', 'q4'];

/**
 * Where the weights go: all into the model file, all into `<model file>_data`, or (the hub's fp32
 * layout) the token embedding into the model file and the rest into `_data`.
 */
export type Placement = 'model-file' | 'external-data' | 'embedding-in-model-file';

export interface Recipe {
  dims: Qwen2Dims;
  plan: TokenizerPlan;
  weights: Qwen2Weights;
  tied: boolean;
  style: ExportStyle;
  /** The default for each dtype (the command line can ask for one). */
  placement: Record<WeightDtype, Placement>;
  maxPositions: number;
}

const everywhere = (placement: Placement): Record<WeightDtype, Placement> => ({ fp32: placement, q8: placement, q4: placement });
/** As on the hub: q8 and q4 are single files; fp32 is over protobuf's 2 GB, and keeps only its embedding in model.onnx. */
const AS_ON_THE_HUB: Record<WeightDtype, Placement> = { fp32: 'embedding-in-model-file', q8: 'model-file', q4: 'model-file' };

const TINY = { layers: 2, hidden: 64, heads: 4, kvHeads: 2, headDim: 16, intermediate: 128, ropeTheta: 1e6, rmsEps: 1e-6 };
// Wider than TINY: one hidden dimension per successor and per script key.
const SUCCESSOR = { layers: 2, hidden: 128, heads: 4, kvHeads: 2, headDim: 32, intermediate: 256, ropeTheta: 1e6, rmsEps: 1e-6 };
// Qwen2.5-Coder-0.5B's shape.
export const BENCH = { layers: 24, hidden: 896, heads: 14, kvHeads: 2, headDim: 64, intermediate: 4864, ropeTheta: 1e6, rmsEps: 1e-6 };
const MERGES = 400;
/**
 * Qwen2.5's merge count (a merge per vocabulary entry past the 256 bytes). The bench kinds learn
 * MERGES and pad the rest with inert ones: a real-sized merge table holds ~28 MB of the model
 * process's heap, which every full collection walks (bench/README.md).
 */
const QWEN_MERGES = QWEN_FIRST_ADDED_ID - 256;
const DEFAULT_SEED = 42;
// Constructed models: the layers' noise must stay small beside the one-hot residual (24 layers of
// it at the bench shape), and the final gain sets the winning logit's lead (~45).
const SUCCESSOR_NOISE = { noiseStd: 0.02, finalNormGain: 4 };
const BENCH_SCRIPTED_NOISE = { noiseStd: 0.001, finalNormGain: 1.5 };

/** The tokens a book needs: its chains (as added tokens or as unreachable vocabulary entries) and its script keys. */
function bookTokens(book: ScriptBook, fimAsAdded: boolean, learned: ReadonlySet<string>): { extraAdded: string[]; extraVocab: string[] } {
  const keys = Object.keys(book.scripts).map(scriptKey);
  const pieces = Object.values(book.scripts).flat();
  if (fimAsAdded) return { extraAdded: [...book.fim, ...book.explain, ...keys], extraVocab: pieces };
  return { extraAdded: [...book.explain, ...keys], extraVocab: [...book.fim.filter((p) => !learned.has(p)), ...pieces] };
}

let cachedBenchBook: ScriptBook | undefined;

/** The bench-scripted model's chains (its FIM pieces depend on the learned merges, so it is built once). */
export function benchScriptedBook(): ScriptBook {
  if (!cachedBenchBook) {
    const added = [...QWEN_ADDED_TOKENS.map((t) => t.content), ...SUCCESSOR_BOOK.explain, ...Object.keys(SUCCESSOR_BOOK.scripts).map(scriptKey)];
    cachedBenchBook = benchBook(new Set(added));
  }
  return cachedBenchBook;
}

function learnedTexts(): Set<string> {
  const plan = planTokenizer({ merges: MERGES });
  return new Set(plan.vocab.map((_, id) => tokenText(plan, id)));
}

/** The tokenizer a kind gets (the bench kinds keep Qwen's ids; the constructed kinds add their chains). */
export function tokenizerPlanFor(kind: ModelKind): TokenizerPlan {
  switch (kind) {
    case 'bench': return planTokenizer({ merges: MERGES, firstAddedId: QWEN_FIRST_ADDED_ID, totalMerges: QWEN_MERGES });
    case 'random': return planTokenizer({ merges: MERGES });
    case 'successor': return planTokenizer({ merges: MERGES, ...bookTokens(SUCCESSOR_BOOK, true, new Set()) });
    case 'bench-scripted':
      return planTokenizer({ merges: MERGES, firstAddedId: QWEN_FIRST_ADDED_ID, totalMerges: QWEN_MERGES, ...bookTokens(benchScriptedBook(), false, learnedTexts()) });
  }
}

/** Everything a kind's files are made from; tests use it to recompute what the graph should output. */
export function modelRecipe(kind: ModelKind, seed = DEFAULT_SEED): Recipe {
  const plan = tokenizerPlanFor(kind);
  switch (kind) {
    case 'bench': {
      const dims = { ...BENCH, vocab: QWEN_VOCAB_SIZE };
      const weights = randomWeights(dims, seed, plan.size);
      return { dims, plan, weights, tied: true, style: 'compact', placement: everywhere('external-data'), maxPositions: 32768 };
    }
    case 'random': {
      const dims = { ...TINY, vocab: plan.size };
      return { dims, plan, weights: randomWeights(dims, seed), tied: true, style: 'compact', placement: everywhere('model-file'), maxPositions: 4096 };
    }
    case 'successor': {
      const dims = { ...SUCCESSOR, vocab: plan.size };
      const weights = successorWeights(dims, plan, SUCCESSOR_BOOK, { seed, style: 'hub', ...SUCCESSOR_NOISE });
      return { dims, plan, weights, tied: false, style: 'hub', placement: everywhere('model-file'), maxPositions: 4096 };
    }
    case 'bench-scripted': {
      const dims = { ...BENCH, vocab: QWEN_VOCAB_SIZE };
      const weights = successorWeights(dims, plan, benchScriptedBook(), { seed, style: 'hub', ...BENCH_SCRIPTED_NOISE });
      return { dims, plan, weights, tied: false, style: 'hub', placement: AS_ON_THE_HUB, maxPositions: 32768 };
    }
  }
}
