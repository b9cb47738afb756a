// The anchor's GGUF file, built on first use into <repo>/.cache/anchor/: Qwen2.5-Coder-0.5B's shape
// with random weights and the tokenizer of Inkling's `bench` test model (same ids, same merges).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tokenizerPlanFor } from '../makeModel/recipes';
import { ENDOFTEXT } from '../makeModel/specialTokens';
import { repoRoot } from '../repoRoot';
import { tokenizerFromPlan, tokenizerMetadata } from './ggufTokenizer';
import { writeGguf } from './ggufWriter';
import { QWEN25_CODER_05B, qwen2Metadata, qwen2Tensors } from './qwen2Gguf';
import type { Qwen2Shape, WeightType } from './qwen2Gguf';

/** Bump when the bytes a type produces change, so cached files are rebuilt. */
export const ANCHOR_MODEL_VERSION = 2;
const SEED = 42;

export function anchorDir(): string {
  return join(repoRoot(), '.cache', 'anchor');
}

/** Writes a qwen2 GGUF of `shape` with the bench tokenizer to `path`. */
export function writeQwen2Gguf(path: string, shape: Qwen2Shape, type: WeightType, seed = SEED): void {
  const tokenizer = tokenizerFromPlan(tokenizerPlanFor('bench'), shape.vocab, { bos: ENDOFTEXT, eos: ENDOFTEXT, pad: ENDOFTEXT });
  writeGguf(path, {
    metadata: [...qwen2Metadata(shape, type, `inkling-anchor-${type}`), ...tokenizerMetadata(tokenizer)],
    tensors: qwen2Tensors(shape, type, seed),
  });
}

/** Absolute path of the anchor model file for `type`, written the first time it is asked for. */
export function ensureAnchorGguf(type: WeightType): string {
  const dir = anchorDir();
  const path = join(dir, `qwen2-coder-0.5b-shape-${type.toLowerCase()}-v${ANCHOR_MODEL_VERSION}.gguf`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeQwen2Gguf(path, QWEN25_CODER_05B, type);
  }
  return path;
}
