// The anchor benchmark's command line. Defaults keep a run near two minutes on a 2-core machine.
import type { Dtype } from '../../src/model/protocol';
import type { WeightType } from './qwen2Gguf';
import { forEachFlag, oneOf, positiveInt } from '../bench/flagValues';

export interface AnchorOptions {
  rounds: number;
  /** Both engines get exactly this many threads. */
  threads: number;
  promptTokens: number;
  newTokens: number;
  /** Inkling's bench model variant. */
  dtype: Extract<Dtype, 'q8' | 'q4'>;
  /** llama.cpp's file type. */
  ggufType: WeightType;
}

export const defaultAnchorOptions: AnchorOptions = { rounds: 5, threads: 2, promptTokens: 512, newTokens: 32, dtype: 'q8', ggufType: 'Q8_0' };

export const anchorUsage = `Usage: node out/tools/anchor/anchorBench.js [options]
  --rounds N         rounds, each running both engines once, order alternating (default 5)
  --threads N        threads for both engines (default 2)
  --prompt-tokens N  prompt length in tokens (default 512)
  --new-tokens N     greedy tokens generated for the decode rate (default 32)
  --dtype D          Inkling's bench model: q8 or q4 (default q8)
  --gguf-type T      llama.cpp's file: Q8_0, Q4_0 or F16 (default Q8_0)`;

/** Options from `argv` (without node and the script); throws a RangeError naming the bad flag. */
export function parseAnchorArgs(argv: readonly string[]): AnchorOptions {
  const options = { ...defaultAnchorOptions };
  forEachFlag(argv, (name, value) => {
    switch (name) {
      case '--rounds': options.rounds = positiveInt(name, value()); break;
      case '--threads': options.threads = positiveInt(name, value()); break;
      case '--prompt-tokens': options.promptTokens = positiveInt(name, value()); break;
      case '--new-tokens': options.newTokens = positiveInt(name, value()); break;
      case '--dtype': options.dtype = oneOf(name, value(), ['q8', 'q4'] as const); break;
      case '--gguf-type': options.ggufType = oneOf(name, value(), ['Q8_0', 'Q4_0', 'F16'] as const); break;
      default: throw new RangeError(`Unknown option ${name}`);
    }
  });
  if (options.newTokens < 2) throw new RangeError('--new-tokens must be at least 2');
  return options;
}
