// Loads a tokenizer and causal LM with transformers.js from a folder: a local model, or a hub model
// that Inkling's own download cache has fetched and verified first. Describes what was loaded.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AutoConfig, AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import type { PretrainedConfig, PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import type { LoadOptions, LoadProgress, ModelInfo } from '../protocol';
import { modelFolder } from '../cache/cacheLayout';
import { classifyLoadError, errorDetail, invalidHubUrl, invalidModelId, modelNotFound, PayloadError, type LoadContext } from './modelErrors';
import { availableDtypes, checkHubUrl, missingModelFiles, onnxFileFor, repoIdProblem, resolveModelSource } from '../modelSource';
import { checkConfig, checkLayers, contextLengthOf } from './configSanity';
import { DownloadError } from './download/downloadError';
import { discardHubModel, ensureHubModel } from './download/hubModel';
import { LOGITS_TO_KEEP_INPUT } from './tunedCopy/logitsToKeep';
import { discardTunedCopy, usableTunedCopy } from './tunedCopy/tunedCopy';
import { sessionOptionsFor } from './sessionOptions';

/** A tokenizer and causal LM in this process's memory, with what the host is told about them. */
export interface OnnxModel {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  eosIds: Set<number>;
  info: ModelInfo;
}

const defaultCacheDir = join(homedir(), '.cache', 'inkling', 'models');

type ProgressInfo = { status: string; file?: string; progress?: number };
/** What every transformers.js call here is given: files on disk only, their progress forwarded. */
type SharedOptions = { progress_callback: (info: ProgressInfo) => void; local_files_only: true };

export interface LoadControl {
  /** Aborts a download in progress (the user cancelled, or the process is shutting down). */
  signal?: AbortSignal;
  log?: (message: string) => void;
  /** How long a download may go without a byte before it counts as stalled. */
  downloadIdleMs?: number;
}

export async function loadModel(options: LoadOptions, onProgress: (progress: LoadProgress) => void, control: LoadControl = {}): Promise<OnnxModel> {
  const started = performance.now();
  const source = resolveModelSource(options.model);
  const cacheDir = options.cacheDir ?? defaultCacheDir;
  const hub = checkHubUrl(options.remoteHost ?? '');
  const remoteHost = hub.ok ? hub.url : (options.remoteHost ?? '');
  const context: LoadContext = {
    model: options.model,
    source,
    remoteHost,
    localOnly: options.localOnly === true,
    device: options.device,
  };
  if (source.kind === 'hub') {
    // Checked before anything is requested or written: a cache path is only ever built from a valid id.
    const problem = repoIdProblem(source.repo);
    if (problem) throw new PayloadError(invalidModelId(options.model, problem));
    if (!hub.ok) throw new PayloadError(invalidHubUrl(options.remoteHost ?? '', hub.problem));
    context.cachedFolder = modelFolder(cacheDir, source.repo);
  }
  configureEnvironment();

  if (source.kind === 'local') {
    const missing = missingModelFiles(source.folder, options.dtype);
    if (missing.includes('.')) throw new PayloadError(modelNotFound(options.model, `the folder ${source.folder} does not exist`));
    if (missing.length > 0) {
      const others = missing.length === 1 && missing[0] === onnxFileFor(options.dtype) ? availableDtypes(source.folder) : [];
      const hint = others.length > 0 ? `; it has ${others.join(', ')} weights, so set inkling.model.dtype to ${others.includes('q8') ? 'q8' : others[0]}` : '';
      throw new PayloadError(modelNotFound(options.model, `${missing.join(', ')} is missing in ${source.folder}${hint}`));
    }
    return loadFolder(source.folder, options, onProgress, context, started, control.log);
  }

  const download = (): Promise<string> => ensureHubModel({
    repo: source.repo,
    dtype: options.dtype,
    cacheDir,
    hubUrl: remoteHost,
    localOnly: options.localOnly === true,
    // Only the CPU uses the tuned copy (its int8 compute is a CPU kernel's).
    tunedCopy: options.device === 'cpu',
    ...(options.proxy ? { proxy: options.proxy } : {}),
    ...(control.signal ? { signal: control.signal } : {}),
    ...(control.downloadIdleMs ? { idleMs: control.downloadIdleMs } : {}),
    ...(control.log ? { log: control.log } : {}),
    onProgress,
  }).catch((error: unknown) => {
    if (error instanceof DownloadError) throw new PayloadError({ code: error.code, message: error.message, detail: errorDetail(error) });
    throw error;
  });
  const folder = await download();
  try {
    return await loadFolder(folder, options, onProgress, context, started, control.log);
  } catch (error) {
    // Verified files that still fail to open were damaged on disk since: fetch them once more.
    if (!(error instanceof PayloadError) || error.payload.code !== 'model-corrupt' || options.localOnly) throw error;
    control.log?.(`${error.payload.message} Deleting the cached copy and downloading ${source.repo} once more.`);
    await discardHubModel(cacheDir, source.repo);
    return loadFolder(await download(), options, onProgress, { ...context, redownloaded: true }, started, control.log);
  }
}

/** Opens a folder that holds every file (a local model, or a hub model's verified cache folder). */
async function loadFolder(location: string, options: LoadOptions, onProgress: (progress: LoadProgress) => void, context: LoadContext, started: number, log?: (message: string) => void): Promise<OnnxModel> {
  // Nothing below may touch the network: the files are all on disk.
  const shared: SharedOptions = { progress_callback: progressForwarder(onProgress), local_files_only: true };
  try {
    onProgress({ status: 'loading config', file: 'config.json' });
    const config = await AutoConfig.from_pretrained(location, shared);
    const rawConfig = config as unknown as Record<string, unknown>;
    checkConfig(options.model, rawConfig);
    onProgress({ status: 'loading tokenizer' });
    const tokenizer = await loadTokenizer(location, shared, options.model);
    const { model, weightsFile } = await openModel(location, options, config, shared, onProgress, log);
    const inputs = (model as unknown as { sessions?: Record<string, { inputNames?: readonly string[] }> }).sessions?.model?.inputNames ?? [];
    try {
      checkLayers(options.model, rawConfig, inputs, onnxFileFor(options.dtype));
    } catch (error) {
      await model.dispose();
      throw error;
    }
    if (!inputs.includes(LOGITS_TO_KEEP_INPUT)) {
      log?.(`${weightsFile} takes no num_logits_to_keep (Optimum's exports do not), so every prompt computes logits for all its positions: ~1.6× the prompt time at q8. A downloaded q8 or q4 model gets a tuned copy with it; a folder of your own runs as it is.`);
    }
    const eosIds = endTokenIds(tokenizer, model);
    const contextLength = contextLengthOf(rawConfig);
    const info: ModelInfo = {
      model: options.model,
      dtype: options.dtype,
      device: options.device,
      specialTokens: [...tokenizer.all_special_tokens, ...addedSpecialTokens(tokenizer)].filter((t, i, all) => all.indexOf(t) === i),
      modelType: String(model.config.model_type ?? ''),
      chatTemplate: typeof tokenizer.chat_template === 'string' ? tokenizer.chat_template : undefined,
      eosTokens: [...eosIds].map((id) => tokenizer.decode([id])),
      loadMs: Math.round(performance.now() - started),
      weightsFile,
      ...(contextLength ? { contextLength } : {}),
    };
    onProgress({ status: 'ready', percent: 100 });
    return { tokenizer, model, eosIds, info };
  } catch (error) {
    throw new PayloadError(classifyLoadError(error, context));
  }
}

/** The model's session: from its tuned copy when there is a current one (and it opens), else from its own file. */
async function openModel(location: string, options: LoadOptions, config: PretrainedConfig, shared: SharedOptions, onProgress: (progress: LoadProgress) => void, log?: (message: string) => void): Promise<{ model: PreTrainedModel; weightsFile: string }> {
  const open = (modelFileName?: string) => AutoModelForCausalLM.from_pretrained(location, {
    ...shared,
    config,
    dtype: options.dtype,
    device: options.device,
    session_options: sessionOptionsFor(options),
    // The copy names the original's external data files itself; onnxruntime finds them beside it.
    ...(modelFileName ? { model_file_name: modelFileName, use_external_data_format: false } : {}),
  });
  const copy = options.device === 'cpu' ? await usableTunedCopy(location, options.dtype) : undefined;
  if (copy) {
    onProgress({ status: 'loading model', file: copy.file });
    try {
      return { model: await open(copy.modelFileName), weightsFile: copy.file };
    } catch (error) {
      log?.(`The tuned copy in ${location} did not open (${errorDetail(error)}); deleting it and opening ${onnxFileFor(options.dtype)}.`);
      await discardTunedCopy(location, options.dtype);
    }
  }
  const weightsFile = onnxFileFor(options.dtype);
  onProgress({ status: 'loading model', file: weightsFile });
  return { model: await open(), weightsFile };
}

async function loadTokenizer(location: string, shared: Parameters<typeof AutoTokenizer.from_pretrained>[1], model: string): Promise<PreTrainedTokenizer> {
  try {
    return await AutoTokenizer.from_pretrained(location, shared);
  } catch (error) {
    // Without tokenizer_config.json transformers.js loads no tokenizer files and trips over that.
    if (error instanceof TypeError && error.message.includes('tokenizer_class')) {
      throw new PayloadError({ ...modelNotFound(model, 'it has no tokenizer_config.json'), detail: errorDetail(error) });
    }
    throw error;
  }
}

/** transformers.js only ever reads folders here: Inkling downloads and verifies hub files itself. */
function configureEnvironment(): void {
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.useFSCache = false;
  env.useBrowserCache = false;
}

/**
 * transformers.js calls reading a file from disk a "download": it is reported as loading, so only
 * Inkling's own downloads (status 'download') show as downloads.
 */
function progressForwarder(onProgress: (progress: LoadProgress) => void): (info: ProgressInfo) => void {
  return (info) => {
    if (info.status === 'initiate' && info.file) onProgress({ status: 'loading', file: info.file });
  };
}

/**
 * The model's own end-of-sequence tokens (config, generation config, tokenizer). Prompt-format end
 * tokens (FIM markers, file separators) are not the engine's business: each request's template
 * sends them as stop strings.
 */
function endTokenIds(tokenizer: PreTrainedTokenizer, model: PreTrainedModel): Set<number> {
  const ids = new Set<number>();
  const add = (value: unknown): void => {
    for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'number') ids.add(id);
  };
  add((model.config as unknown as Record<string, unknown>).eos_token_id);
  add((model.generation_config as Record<string, unknown> | null)?.eos_token_id);
  add(tokenizer.eos_token_id);
  return ids;
}

/**
 * Added tokens that act as markers: the ones flagged special, and angle-bracket ones that are not
 * (Qwen flags its FIM tokens non-special, yet they are what template detection looks for).
 */
function addedSpecialTokens(tokenizer: PreTrainedTokenizer): string[] {
  const json = (tokenizer as unknown as { _tokenizerJSON?: { added_tokens?: { content: string; special?: boolean }[] } })._tokenizerJSON;
  return (json?.added_tokens ?? []).filter((t) => t.special === true || /^\u2581?<[^<>\s]+>$/.test(t.content)).map((t) => t.content);
}
