// Command-line parsing for `inkling complete|explain`, with errors a person can act on.
import type { Dtype } from '../model/protocol';
import { unknownSettingProblem } from './settingNames';

export interface CliArgs {
  command: 'complete' | 'explain' | 'help';
  model?: string;
  file?: string;
  /** 1-based, as editors show them. */
  line?: number;
  column?: number;
  lines?: { start: number; end: number };
  json: boolean;
  dtype?: Dtype;
  /** `--set completion.temperature=0`: any Inkling setting, validated like the editor's. */
  settings: Record<string, unknown>;
}

export class UsageError extends Error {}

export const USAGE = `Usage:
  inkling complete --model <dir|repo-id> --file <path> --line <n> --column <n> [--json] [--dtype q8] [--set key=value]…
  inkling explain  --model <dir|repo-id> --file <path> --lines <a>-<b> [--json] [--dtype q8] [--set key=value]…

Lines and columns count from 1. --set takes any Inkling setting without the "inkling." prefix,
e.g. --set completion.temperature=0 --set explain.language=zh-cn. --json prints the result with timings
(load, time to first token, tokens/s).`;

export function parseArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help', json: false, settings: {} };
  if (command !== 'complete' && command !== 'explain') throw new UsageError(`Unknown command "${command}".`);
  const args: CliArgs = { command, json: false, settings: {} };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const value = () => {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--model': args.model = value(); break;
      case '--file': args.file = value(); break;
      case '--line': args.line = positiveInt(flag, value()); break;
      case '--column': args.column = positiveInt(flag, value()); break;
      case '--lines': args.lines = lineRange(value()); break;
      case '--json': args.json = true; break;
      case '--dtype': {
        const d = value();
        if (!['fp32', 'fp16', 'q8', 'q4'].includes(d)) throw new UsageError(`--dtype must be fp32, fp16, q8 or q4 (got "${d}").`);
        args.dtype = d as Dtype;
        break;
      }
      case '--set': {
        const [raw, ...v] = value().split('=');
        if (!raw || v.length === 0) throw new UsageError('--set takes key=value, e.g. completion.temperature=0.');
        const key = raw.replace(/^inkling\./, '');
        const problem = unknownSettingProblem(key);
        if (problem) throw new UsageError(problem);
        args.settings[key] = parseValue(v.join('='));
        break;
      }
      default: throw new UsageError(`Unknown option "${flag}".`);
    }
  }
  if (!args.model) throw new UsageError('--model is required: a local model folder or a Hugging Face repo id.');
  if (!args.file) throw new UsageError('--file is required.');
  if (command === 'complete' && (args.line === undefined || args.column === undefined)) throw new UsageError('complete needs --line and --column.');
  if (command === 'explain' && !args.lines) throw new UsageError('explain needs --lines <a>-<b>.');
  return args;
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number from 1 (got "${v}").`);
  return n;
}

function lineRange(v: string): { start: number; end: number } {
  const m = /^(\d+)(?:-(\d+))?$/.exec(v.trim());
  const start = m ? Number(m[1]) : NaN;
  const end = m?.[2] ? Number(m[2]) : start;
  if (!m || start < 1 || end < start) throw new UsageError(`--lines must look like 3-10 (got "${v}").`);
  return { start, end };
}

function parseValue(v: string): unknown {
  if (v === 'true' || v === 'false') return v === 'true';
  if (v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
