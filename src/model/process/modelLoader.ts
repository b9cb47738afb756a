// Loads a tokenizer and causal LM with transformers.js, from a local folder or through its own hub
// download into the given cache folder, and describes what was loaded.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AutoConfig, AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import type { LoadOptions, LoadProgress, ModelInfo } from '../protocol';
import { classifyLoadError, errorDetail, modelNotFound, PayloadError, type LoadContext } from './modelErrors';
import { availableDtypes, missingModelFiles, onnxFileFor, resolveModelSource } from '../modelSource';
import { sessionOptionsFor } from './sessionOptions';

/** A tokenizer and causal LM in this process's memory, with what the host is told about them. */
export interface OnnxModel {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  eosIds: Set<number>;
  info: ModelInfo;
}

const defaultRemoteHost = env.remoteHost;
const defaultCacheDir = join(homedir(), '.cache', 'inkling', 'models');

type ProgressInfo = { status: string; file?: string; progress?: number };

export async function loadModel(options: LoadOptions, onProgress: (progress: LoadProgress) => void): Promise<OnnxModel> {
  const started = performance.now();
  const source = resolveModelSource(options.model);
  const cacheDir = options.cacheDir ?? defaultCacheDir;
  const remoteHost = options.remoteHost ?? defaultRemoteHost;
  const context: LoadContext = {
    model: options.model,
    source,
    remoteHost,
    localOnly: options.localOnly === true,
    device: options.device,
    cachedFolder: source.kind === 'hub' ? join(cacheDir, ...source.repo.split('/')) : undefined,
  };
  configureEnvironment(cacheDir, remoteHost, options.localOnly === true);

  if (source.kind === 'local') {
    const missing = missingModelFiles(source.folder, options.dtype);
    if (missing.includes('.')) throw new PayloadError(modelNotFound(options.model, `the folder ${source.folder} does not exist`));
    if (missing.length > 0) {
      const others = missing.length === 1 && missing[0] === onnxFileFor(options.dtype) ? availableDtypes(source.folder) : [];
      const hint = others.length > 0 ? `; it has ${others.join(', ')} weights, so set inkling.model.dtype to ${others.includes('q8') ? 'q8' : others[0]}` : '';
      throw new PayloadError(modelNotFound(options.model, `${missing.join(', ')} is missing in ${source.folder}${hint}`));
    }
  }
  const location = source.kind === 'local' ? source.folder : source.repo;
  const shared = { progress_callback: progressForwarder(onProgress), cache_dir: cacheDir, local_files_only: options.localOnly === true };
  try {
    // config.json first: a hub repo or cached copy that does not exist fails here, clearly.
    const config = await AutoConfig.from_pretrained(location, shared);
    onProgress({ status: 'loading tokenizer' });
    const tokenizer = await loadTokenizer(location, shared, options.model);
    onProgress({ status: 'loading model', file: onnxFileFor(options.dtype) });
    const model = await AutoModelForCausalLM.from_pretrained(location, {
      ...shared,
      config,
      dtype: options.dtype,
      device: options.device,
      session_options: sessionOptionsFor(options),
    });
    const eosIds = endTokenIds(tokenizer, model);
    const info: ModelInfo = {
      model: options.model,
      dtype: options.dtype,
      device: options.device,
      specialTokens: [...tokenizer.all_special_tokens, ...addedSpecialTokens(tokenizer)].filter((t, i, all) => all.indexOf(t) === i),
      modelType: String(model.config.model_type ?? ''),
      chatTemplate: typeof tokenizer.chat_template === 'string' ? tokenizer.chat_template : undefined,
      eosTokens: [...eosIds].map((id) => tokenizer.decode([id])),
      loadMs: Math.round(performance.now() - started),
    };
    onProgress({ status: 'ready', percent: 100 });
    return { tokenizer, model, eosIds, info };
  } catch (error) {
    throw new PayloadError(classifyLoadError(error, context));
  }
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

function configureEnvironment(cacheDir: string, remoteHost: string, localOnly: boolean): void {
  env.cacheDir = cacheDir;
  // Hub ids are first looked up under localModelPath, which defaults to a folder in the install.
  env.localModelPath = cacheDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = !localOnly;
  env.remoteHost = remoteHost.endsWith('/') ? remoteHost : `${remoteHost}/`;
}

/** Forwards file events, and byte progress only when its whole percent changes (downloads report every chunk). */
function progressForwarder(onProgress: (progress: LoadProgress) => void): (info: ProgressInfo) => void {
  const lastPercent = new Map<string, number>();
  return (info) => {
    const key = info.file ?? info.status;
    if (info.progress === undefined) {
      onProgress({ status: info.status, file: info.file });
      return;
    }
    const percent = Math.floor(info.progress);
    if (lastPercent.get(key) === percent) return;
    lastPercent.set(key, percent);
    onProgress({ status: info.status, file: info.file, percent });
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
