// Turns what transformers.js, onnxruntime and fetch throw into errors a user can act on:
// the message names the model and the next step; the raw error goes to `detail` for the log.
import type { EngineErrorPayload } from '../protocol';
import type { ModelSource } from '../modelSource';

/** An error that already carries its user-facing payload. */
export class PayloadError extends Error {
  constructor(readonly payload: EngineErrorPayload) {
    super(payload.message);
  }
}

export interface LoadContext {
  model: string;
  source: ModelSource;
  /** Where the files of a hub model are cached, to tell the user what to delete. */
  cachedFolder?: string;
  remoteHost: string;
  localOnly?: boolean;
  /** The cached copy was already deleted and downloaded again once. */
  redownloaded?: boolean;
  /** The execution provider asked for; a GPU provider that fails is the likeliest culprit. */
  device?: string;
}

const settingHint = 'Check the inkling.model.id setting';

export function modelNotFound(model: string, why: string): EngineErrorPayload {
  return { code: 'model-not-found', message: `Inkling could not find the model ${model}: ${why}. ${settingHint}.` };
}

/** A setting that is neither a folder nor a repo id: said before any request or file is made. */
export function invalidModelId(model: string, problem: string): EngineErrorPayload {
  return {
    code: 'model-not-found',
    message: `Inkling cannot use the model "${model}": it is neither an absolute path to a model folder nor a Hugging Face repo id such as onnx-community/Qwen2.5-Coder-0.5B-Instruct (${problem}). Nothing was downloaded. ${settingHint}.`,
  };
}

export function invalidHubUrl(setting: string, problem: string): EngineErrorPayload {
  return {
    code: 'hub-unreachable',
    message: `The hub address in inkling.model.hubUrl ("${setting}") ${problem}. Use an https:// address such as https://huggingface.co/, or leave the setting empty. Nothing was downloaded.`,
  };
}

function isFileNotFound(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ModelFileNotFoundError' || /could not locate file/i.test(error.message));
}

/** The full story for the log: stack plus any chained causes. */
export function errorDetail(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; e = e instanceof Error ? e.cause : undefined, depth++) {
    parts.push(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
  }
  return parts.join('\nCaused by: ');
}

/** What a folder load (transformers.js and onnxruntime on files already on disk) failed of, in words. */
export function classifyLoadError(error: unknown, context: LoadContext): EngineErrorPayload {
  if (error instanceof PayloadError) return error.payload;
  const detail = errorDetail(error);
  const { model, source } = context;
  if (isFileNotFound(error)) {
    const why = source.kind === 'local'
      ? 'a file it needs is missing'
      : context.localOnly
        ? 'it has not been downloaded yet and downloads are turned off'
        : 'a file it needs is missing from its downloaded copy';
    return { ...modelNotFound(model, why), detail };
  }
  if (context.device && context.device !== 'cpu' && !looksDamaged(error)) {
    return {
      code: 'internal',
      message: `Inkling could not run the model ${model} on ${context.device}: ${firstLine(error)}. Set inkling.model.device to cpu, or install the runtime onnxruntime needs for ${context.device}.`,
      detail,
    };
  }
  if (!looksDamaged(error)) {
    return { code: 'internal', message: `Inkling could not load the model ${model}: ${firstLine(error)}. See the Inkling log for details.`, detail };
  }
  if (source.kind === 'local') {
    return { code: 'model-corrupt', message: `The model ${model} is damaged and could not be loaded; replace the folder ${source.folder} with a fresh copy of the model.`, detail };
  }
  const message = context.redownloaded
    ? `The model ${model} is damaged and could not be loaded, even after Inkling deleted its cached copy and downloaded it again: the copy on the hub (${context.remoteHost}) may be broken. Choose another model or inkling.model.dtype.`
    : `The model ${model} is damaged and could not be loaded; delete ${context.cachedFolder ?? 'its cached copy'} (or run "Inkling: Clear Model Cache") and load it again.`;
  return { code: 'model-corrupt', message, detail };
}

/** What onnxruntime and the JSON parser say about files that are cut short or not what they claim. */
function looksDamaged(error: unknown): boolean {
  if (error instanceof SyntaxError) return true;
  const text = error instanceof Error ? error.message : String(error);
  return /protobuf|pars(e|ing) fail|invalid (model|graph|protobuf|wire)|corrupt|truncat|unexpected end|external data|no graph|not a valid|model_path must not be empty|deserializ/i.test(text);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n', 1)[0] ?? '').slice(0, 200).replace(/[.\s]+$/, '');
}

/** Errors while generating: no particular model file is to blame. */
export function internalError(error: unknown, what: string): EngineErrorPayload {
  if (error instanceof PayloadError) return error.payload;
  return { code: 'internal', message: `Inkling's model process failed while ${what}: ${firstLine(error)}.`, detail: errorDetail(error) };
}
