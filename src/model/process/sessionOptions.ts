// onnxruntime session options for the model, chosen by measurement (bench/README.md, "Session
// options"): every graph optimization, one inter-op thread (a decoder's ops run one after another),
// and the intra-op threads the user set. The benchmarks try others through INKLING_SESSION_OPTIONS
// (JSON merged over these), which nothing else sets.
import type { LoadOptions } from '../protocol';

export type SessionOptions = Record<string, unknown>;

export const sessionOptionsOverride = 'INKLING_SESSION_OPTIONS';

export function sessionOptionsFor(options: Pick<LoadOptions, 'threads'>, env: NodeJS.ProcessEnv = process.env): SessionOptions {
  const chosen: SessionOptions = { graphOptimizationLevel: 'all', interOpNumThreads: 1 };
  if (options.threads) chosen.intraOpNumThreads = options.threads;
  const override = env[sessionOptionsOverride];
  if (!override) return chosen;
  const parsed: unknown = JSON.parse(override);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${sessionOptionsOverride} must be a JSON object`);
  return { ...chosen, ...(parsed as SessionOptions) };
}
