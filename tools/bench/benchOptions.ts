// The engine benchmark's command line: a few flags with defaults that keep a run under ~5 minutes
// on a 2-core machine.
import { availableParallelism } from 'node:os';
import type { TestModelDtype, TestModelKind } from '../makeModel/modelCache';
import { SETTINGS } from '../../src/settings/settingsTable';
import { fimTyped } from './fimDocument';
import { defaultContextTokens } from './fimPrompts';
import { forEachFlag, oneOf, positiveInt } from './flagValues';

export interface BenchOptions {
  rounds: number;
  variants: TestModelDtype[];
  /** onnxruntime intra-op threads, as the extension would pass them. */
  threads: number;
  promptTokens: number;
  newTokens: number;
  /** Characters appended to the prompt for the cache-reuse measurement, as if the user typed them. */
  typed: string;
  /** Typed one character at a time at a cursor mid-file, each keystroke a fill-in-the-middle prompt; '' skips that step. */
  fimTyped: string;
  /** The prompt builder's token budget for the FIM prompts (the extension's default setting). */
  contextTokens: number;
  /** `bench-scripted` is Qwen2.5-Coder-0.5B's shape exported like the hub's files, writing a known completion; `bench` the same shape with random, tied weights; the tests use the tiny `random` model. */
  kind: TestModelKind;
  /** The most tokens a completion may have (the extension's default maxNewTokens). */
  completionTokens: number;
  /** The short run that ends with one summary line, llama.cpp and activation included. */
  quick: boolean;
}

export const defaultBenchOptions: BenchOptions = {
  rounds: 5,
  variants: ['q8', 'q4'],
  threads: availableParallelism(),
  promptTokens: 512,
  newTokens: 32,
  typed: '\n    retu',
  fimTyped,
  contextTokens: defaultContextTokens,
  kind: 'bench-scripted',
  completionTokens: SETTINGS['completion.maxNewTokens'].default,
  quick: false,
};

/** `--quick`: three rounds of q8 and q4, then llama.cpp and activation; about four minutes on a quiet 2-core machine. */
export const quickRounds = 3;

export const benchUsage = `Usage: node out/tools/bench/engineBench.js [options]
  --rounds N         rounds, each running every variant once, alternating order (default 5)
  --variants LIST    comma-separated dtypes from fp32,q8,q4 (default q8,q4)
  --threads N        onnxruntime threads (default: the number of cores)
  --prompt-tokens N  cold prompt length in tokens (default 512)
  --new-tokens N     greedy tokens generated for the decode rate (default 32)
  --fim-typed TEXT   typed one character per keystroke into the FIM prompt mid-file (default "${fimTyped}"; "" skips)
  --context-tokens N prompt builder budget for the FIM prompts (default ${defaultContextTokens}, the extension's)
  --kind K           test model: bench-scripted (0.5B, the hub's export, a known completion), bench (0.5B, random) or random (tiny) (default bench-scripted)
  --quick            ${quickRounds} rounds of q8,q4, then llama.cpp side by side and the extension's activation; ends with one summary line`;

const dtypes: readonly TestModelDtype[] = ['fp32', 'q8', 'q4'];
const kinds: readonly TestModelKind[] = ['bench-scripted', 'bench', 'random', 'successor'];

/** Options from `argv` (without node and the script); throws a RangeError naming the bad flag. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...defaultBenchOptions, variants: [...defaultBenchOptions.variants] };
  forEachFlag(argv, (name, value) => {
    switch (name) {
      case '--rounds': options.rounds = positiveInt(name, value()); break;
      case '--threads': options.threads = positiveInt(name, value()); break;
      case '--prompt-tokens': options.promptTokens = positiveInt(name, value()); break;
      case '--new-tokens': options.newTokens = positiveInt(name, value()); break;
      case '--variants': options.variants = parseVariants(value()); break;
      case '--fim-typed': options.fimTyped = value(); break;
      case '--context-tokens': options.contextTokens = positiveInt(name, value()); break;
      case '--kind': options.kind = oneOf(name, value(), kinds); break;
      case '--quick': options.quick = true; options.rounds = quickRounds; options.variants = ['q8', 'q4']; break;
      default: throw new RangeError(`Unknown option ${name}`);
    }
  });
  // The decode rate needs at least one token after the first.
  if (options.newTokens < 2) throw new RangeError('--new-tokens must be at least 2');
  return options;
}

function parseVariants(text: string): TestModelDtype[] {
  const variants = text.split(',').map((v) => oneOf('--variants', v.trim(), dtypes));
  if (new Set(variants).size !== variants.length) throw new RangeError(`--variants repeats a dtype: ${text}`);
  return variants;
}
