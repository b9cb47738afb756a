// A model loaded in this process the way the model process loads it (src/model/process/modelLoader.ts),
// with the decoding loop run directly and every forward pass and onnxruntime call timed. For the
// step profile and the tests that need the loop's knobs; the engine benchmark goes through IPC.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runGeneration, type DecodeContext, type DecodingModel } from '../../src/model/process/decodeLoop';
import { KvCache } from '../../src/model/process/kvCache';
import { loadModel, type OnnxModel } from '../../src/model/process/modelLoader';
import type { LookupOptions } from '../../src/model/process/promptLookup';
import type { Dtype, GenerateRequest, GenerateResult } from '../../src/model/protocol';
import { youngGenerationCollector } from '../../src/model/process/stepGarbage';

/**
 * The model process runs with `--expose-gc` and collects each pass's garbage (stepGarbage.ts); a
 * benchmark run as plain `node` gets the same collector by exposing gc now, for itself only.
 */
function passCollector(): (() => void) | undefined {
  setFlagsFromString('--expose-gc');
  return youngGenerationCollector({ gc: runInNewContext('gc') as unknown });
}

/** onnxruntime's session as transformers.js holds it: the calls the profile wraps or makes itself. */
export interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>, fetches?: unknown): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
  endProfiling(): void;
}

/** One forward pass: when it started and ended, and how much of it onnxruntime's `run` took. */
export interface ForwardTiming {
  tokens: number;
  startedAt: number;
  endedAt: number;
  runMs: number;
}

export interface RunOptions {
  promptLookup?: boolean;
  prefillChunk?: number;
  lookup?: LookupOptions;
  cache?: KvCache;
  isCancelled?: () => boolean;
  onText?: (text: string) => void;
}

export interface InProcessModel {
  loaded: OnnxModel;
  session: OrtSession;
  generate(request: GenerateRequest, options?: RunOptions): Promise<{ result: GenerateResult; forwards: ForwardTiming[] }>;
  countTokens(text: string): number;
  dispose(): Promise<void>;
}

export async function loadInProcess(folder: string, dtype: Dtype, threads: number): Promise<InProcessModel> {
  const loaded = await loadModel({ model: folder, dtype, device: 'cpu', threads, localOnly: true }, () => undefined);
  const session = (loaded.model as unknown as { sessions: Record<string, OrtSession> }).sessions.model;
  const run = session.run.bind(session);
  let runMs = 0;
  session.run = async (feeds, fetches) => {
    const started = performance.now();
    try {
      return await run(feeds, fetches);
    } finally {
      runMs += performance.now() - started;
    }
  };
  const encode = (text: string): number[] => loaded.tokenizer.encode(text, { add_special_tokens: false });
  const afterPass = passCollector();
  return {
    loaded,
    session,
    countTokens: (text) => encode(text).length,
    async generate(request, options = {}) {
      const forwards: ForwardTiming[] = [];
      const inner = loaded.model as unknown as DecodingModel;
      const model: DecodingModel = {
        async forward(inputs) {
          const startedAt = performance.now();
          runMs = 0;
          const outputs = await inner.forward(inputs);
          const ids = inputs.input_ids as { dims: number[] };
          forwards.push({ tokens: ids.dims[1], startedAt, endedAt: performance.now(), runMs });
          return outputs;
        },
      };
      const ctx: DecodeContext = {
        model,
        tokenizer: { encode, decode: (ids) => loaded.tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }) },
        eosIds: loaded.eosIds,
        cache: options.cache ?? new KvCache(),
        receivedAt: performance.now(),
        isCancelled: options.isCancelled ?? (() => false),
        onText: options.onText ?? (() => undefined),
        prefillChunk: options.prefillChunk,
        lookup: options.lookup,
        afterPass,
      };
      const result = await runGeneration(ctx, { ...request, promptLookup: options.promptLookup ?? request.promptLookup });
      return { result, forwards };
    },
    async dispose() {
      await loaded.model.dispose();
    },
  };
}
