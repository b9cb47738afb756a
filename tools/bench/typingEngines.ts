// The two ways the typing benchmark runs the pipeline, each on a model process of its own (loaded
// through the engine port, as the extension does): Inkling as shipped, and a naive path with every
// saving turned off — no reuse of earlier work (kept KV cache, finished or in-flight completions),
// no early stop, no speculation, a fixed debounce, a prompt window that moves with every line.
import { ALL_SWITCHES_ON, type PipelineSwitches } from '../../src/completion/completionService';
import { EnginePort } from '../../src/model/host/enginePort';
import { ModelEngine } from '../../src/model/host/modelEngine';
import type { Dtype, GenerateRequest, LoadedModel } from '../../src/model/protocol';

export type PathName = 'inkling' | 'naive' | 'noEarlyStop' | 'noPreview' | 'noWindowAhead' | 'noTypedMiddle' | 'noPastAutoClosed';
/** The paths Inkling is compared against. */
export type BaselineName = Exclude<PathName, 'inkling'>;

export interface PipelinePath {
  name: PathName;
  switches: PipelineSwitches;
  /** Let the engine serve the prompt's start from the KV cache the last generation kept. */
  kvReuse: boolean;
  /** Let the engine draft tokens from the prompt (prompt-lookup decoding) where it can. */
  speculation: boolean;
}

/** Inkling with one saving off, everything else as the extension runs it. */
const without = (name: PathName, off: keyof PipelineSwitches): PipelinePath => ({ name, switches: { ...ALL_SWITCHES_ON, [off]: false }, kvReuse: true, speculation: true });
const ALL_OFF = Object.fromEntries(Object.keys(ALL_SWITCHES_ON).map((k) => [k, false])) as unknown as PipelineSwitches;

export const PATHS: Readonly<Record<PathName, PipelinePath>> = {
  inkling: { name: 'inkling', switches: { ...ALL_SWITCHES_ON }, kvReuse: true, speculation: true },
  naive: { name: 'naive', switches: ALL_OFF, kvReuse: false, speculation: false },
  // What early stopping alone is worth (decoded tokens per shown completion).
  noEarlyStop: without('noEarlyStop', 'earlyStop'),
  // What showing a slow model's complete lines early is worth (pause → ghost text).
  noPreview: without('noPreview', 'preview'),
  // What moving the prompt's window ahead while idle is worth in the pauses where the window moves.
  noWindowAhead: without('noWindowAhead', 'windowAhead'),
  // What appending the typed text to the last prompt's middle is worth (the model's first token mid-file).
  noTypedMiddle: without('noTypedMiddle', 'typedMiddle'),
  // What letting typed middles and typed-ahead reach past auto-closed closers is worth (with --auto-close).
  noPastAutoClosed: without('noPastAutoClosed', 'pastAutoClosed'),
};

export interface BenchEngine {
  path: PipelinePath;
  model: LoadedModel;
  /** The model process's id, for its CPU time. */
  pid(): number | undefined;
  dispose(): void;
}

export async function startEngine(path: PipelinePath, processEntry: string, folder: string, dtype: Dtype, threads: number): Promise<BenchEngine> {
  let engine: ModelEngine | undefined;
  const port = new EnginePort({
    processEntry,
    createEngine: () => (engine = new ModelEngine({ processEntry })),
  });
  try {
    const loaded = await port.acquire('completion', folder, { id: folder, dtype, device: 'cpu', threads, hubUrl: '' });
    return { path, model: withSwitches(loaded, path), pid: () => engine?.pid, dispose: () => port.dispose() };
  } catch (error) {
    port.dispose();
    throw error;
  }
}

/** The engine-side switches, applied to each request. */
function withSwitches(model: LoadedModel, path: PipelinePath): LoadedModel {
  let sent = 0;
  return {
    ...model,
    generate: (request, handlers) => model.generate(engineRequest(request, path, sent++), handlers),
  };
}

/**
 * The request as the path sends it. Without KV reuse every prompt starts with a character the one
 * before did not (64 of them in turn; one generation runs at a time, so the last prompt the engine
 * ran is never 64 requests back), which leaves the engine's kept cache nothing to serve: the whole
 * prompt is computed, one token longer. The report checks the reused token count is 0.
 * Speculation: the engine on this branch has none; where it has a switch, it is set here.
 */
export function engineRequest(request: GenerateRequest, path: PipelinePath, index: number): GenerateRequest {
  if (path.kvReuse) return request;
  return { ...request, prompt: FRESH_STARTS[index % FRESH_STARTS.length] + request.prompt };
}

const FRESH_STARTS = Array.from({ length: 64 }, (_, i) => String.fromCharCode(0x30 + i));
