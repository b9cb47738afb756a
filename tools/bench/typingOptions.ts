// The typing benchmark's command line.
import type { TestModelDtype, TestModelKind } from '../makeModel/modelCache';
import { forEachFlag, oneOf, positiveInt } from './flagValues';
import { defaultTypingOptions, type TypingOptions } from './runTyping';
import type { PauseMode } from './typingReplay';

export const typingUsage = `Usage: node out/tools/bench/typingBench.js [options]
  --rounds N        rounds, each replaying the trace on both paths, alternating which goes first (default ${defaultTypingOptions.rounds})
  --modes LIST      asTyped,waiting: keep the recorded pauses, or wait at each for the suggestion (default both)
  --kind K          bench-scripted (Qwen2.5-Coder-0.5B's size) or successor (tiny, for tests) (default bench-scripted)
  --dtype D         q8, q4 or fp32 weights of the bench-scripted model (default q8)
  --threads N       onnxruntime threads (default: onnxruntime's choice, as the extension)
  --seed N          the trace's seed (default ${defaultTypingOptions.seed})
  --keystrokes N    replay only the first N keystrokes (default: the whole trace)
  --wait-cap MS     the longest the waiting typist waits at a pause (default ${defaultTypingOptions.waitCapMs})
  --against PATH    naive (every saving off), noEarlyStop (Inkling without early stopping), noPreview (without previews) noWindowAhead (without moving the prompt window ahead while idle) noTypedMiddle (rebuilding the prompt at every keystroke instead of appending the typed text to its middle) or noPastAutoClosed (rebuilding it, and not serving typed-ahead text, after an auto-closed bracket) (default naive)
  --auto-close      the editor auto-closes brackets as VS Code does (typingEditor.ts); off by default
  --json FILE       also write every measurement as JSON`;

const modes: readonly PauseMode[] = ['asTyped', 'waiting'];
const dtypes: readonly TestModelDtype[] = ['fp32', 'q8', 'q4'];
const kinds: readonly TestModelKind[] = ['bench-scripted', 'successor'];

export function parseTypingArgs(argv: readonly string[]): TypingOptions {
  const options: TypingOptions = { ...defaultTypingOptions };
  forEachFlag(argv, (name, value) => {
    switch (name) {
      case '--rounds': options.rounds = positiveInt(name, value()); break;
      case '--modes': options.modes = value().split(',').map((m) => oneOf(name, m.trim(), modes)); break;
      case '--kind': options.kind = oneOf(name, value(), kinds); break;
      case '--dtype': options.dtype = oneOf(name, value(), dtypes); break;
      case '--threads': options.threads = positiveInt(name, value()); break;
      case '--seed': options.seed = positiveInt(name, value()); break;
      case '--keystrokes': options.keystrokes = positiveInt(name, value()); break;
      case '--wait-cap': options.waitCapMs = positiveInt(name, value()); break;
      case '--json': options.jsonPath = value(); break;
      case '--against': options.against = oneOf(name, value(), ['naive', 'noEarlyStop', 'noPreview', 'noWindowAhead', 'noTypedMiddle', 'noPastAutoClosed'] as const); break;
      case '--auto-close': options.autoClose = true; break;
      default: throw new RangeError(`unknown option ${name}`);
    }
  });
  return options;
}
