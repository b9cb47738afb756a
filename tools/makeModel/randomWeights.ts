// Seeded random weights for the `random` and `bench` kinds: uniform with a standard deviation of
// 0.02 (HF's initializer_range), norms at 1, embedding tied to lm_head like Qwen2.5-0.5B. The
// constructed kinds use them, smaller, as the background noise of their layers.
import type { LayerWeights } from './qwen2Blocks';
import type { Qwen2Dims, Qwen2Weights } from './qwen2Graph';
import { constant, randomUniform } from './weightSource';

/** HF's initializer_range. */
export const RANDOM_STD = 0.02;

/**
 * `usedVocab`: ids from here on belong to no token, so their lm_head columns are zero and never win.
 * `std`: the standard deviation of every matrix and bias (uniform on [-b, b] has b / sqrt(3)).
 */
export function randomWeights(dims: Qwen2Dims, seed: number, usedVocab = dims.vocab, std = RANDOM_STD): Qwen2Weights {
  const { hidden, heads, kvHeads, headDim, intermediate } = dims;
  const bound = std * Math.sqrt(3);
  const uniform = (name: string, shape: number[]) => randomUniform(seed, name, shape, bound);
  return {
    embed: randomUniform(seed, 'embed', [hidden, dims.vocab], bound, { zeroColumnsFrom: usedVocab }),
    finalNorm: constant([hidden], 1),
    layer(i: number): LayerWeights {
      const p = `layers.${i}.`;
      return {
        inputNorm: constant([hidden], 1),
        q: uniform(`${p}q`, [hidden, heads * headDim]), qBias: uniform(`${p}qb`, [heads * headDim]),
        k: uniform(`${p}k`, [hidden, kvHeads * headDim]), kBias: uniform(`${p}kb`, [kvHeads * headDim]),
        v: uniform(`${p}v`, [hidden, kvHeads * headDim]), vBias: uniform(`${p}vb`, [kvHeads * headDim]),
        o: uniform(`${p}o`, [heads * headDim, hidden]),
        postNorm: constant([hidden], 1),
        gate: uniform(`${p}gate`, [hidden, intermediate]),
        up: uniform(`${p}up`, [hidden, intermediate]),
        down: uniform(`${p}down`, [intermediate, hidden]),
      };
    },
  };
}
