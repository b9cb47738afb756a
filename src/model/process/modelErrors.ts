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
  /** The execution provider asked for; a GPU provider that fails is the likeliest culprit. */
  device?: string;
}

const settingHint = 'Check the inkling.model.id setting';

export function modelNotFound(model: string, why: string): EngineErrorPayload {
  return { code: 'model-not-found', message: `Inkling could not find the model ${model}: ${why}. ${settingHint}.` };
}

const networkCodes = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
  'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

function isNetworkFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && networkCodes.has(code)) return true;
    if (e.name === 'TypeError' && /fetch failed/i.test(e.message)) return true;
  }
  // transformers.js reports 408 and 5xx answers as plain errors naming the status.
  return error instanceof Error && /(timeout|server error|bad gateway|service unavailable) error occurred while trying to load file/i.test(error.message);
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

export function classifyLoadError(error: unknown, context: LoadContext): EngineErrorPayload {
  if (error instanceof PayloadError) return error.payload;
  const detail = errorDetail(error);
  const { model, source } = context;
  if (source.kind === 'hub' && isNetworkFailure(error)) {
    return {
      code: 'hub-unreachable',
      message: `Inkling could not reach the model hub (${context.remoteHost}) to download ${model}. ` +
        'Check your network connection or proxy, or use a model folder on this machine: run "Inkling: Select Model…" and ' +
        'choose "Use a local model folder…" (a folder with config.json, tokenizer.json and onnx/).',
      detail,
    };
  }
  if (isFileNotFound(error)) {
    const why = source.kind === 'local'
      ? 'a file it needs is missing'
      : context.localOnly
        ? 'it has not been downloaded yet and downloads are turned off'
        : 'the model hub has no such model, or a file it needs is missing (it may also be private or gated)';
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
  const where = source.kind === 'local' ? source.folder : (context.cachedFolder ?? 'its cached copy');
  const fix = source.kind === 'local'
    ? `replace the folder ${where} with a fresh copy of the model`
    : `delete ${where} and download it again`;
  return { code: 'model-corrupt', message: `The model ${model} is damaged and could not be loaded; ${fix}.`, detail };
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
