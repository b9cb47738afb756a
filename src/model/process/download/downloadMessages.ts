// The sentence a user reads for each way a download can fail: what happened (with the model, the
// file and the hub), and what to do next. One place, so every case reads alike and tests assert it.
import { DEFAULT_HUB_URL } from '../../modelSource';
import type { Dtype } from '../../protocol';
import { modelNotFound } from '../modelErrors';
import { DownloadError, formatBytes, isAbort } from './downloadError';
import { TransferError } from './transferError';

export interface FailureContext {
  model: string;
  dtype: Dtype;
  /** The hub address as configured, e.g. https://huggingface.co/. */
  hub: string;
  file: string;
  cacheDir: string;
  /** The proxy in use, shown without a password. */
  proxy?: string;
  /** This was the second download, after the first copy was found damaged and deleted. */
  secondTry?: boolean;
}

const LOCAL_FOLDER_HINT = 'or use a model folder on this machine: run "Inkling: Select Model…" and choose "Use a local model folder…" (a folder with config.json, tokenizer.json and onnx/)';
const CLEAR_CACHE_HINT = 'Free some space, or remove models with "Inkling: Clear Model Cache"';

export function describeFailure(error: unknown, context: FailureContext): DownloadError {
  if (error instanceof DownloadError) return error;
  if (isAbort(error)) return new DownloadError('cancelled', `The download of ${context.model} was cancelled.`, { cause: error });
  if (!(error instanceof TransferError)) throw error;
  return new DownloadError(error.fault, sentence(error, context), { cause: error });
}

function sentence({ fault, facts }: TransferError, c: FailureContext): string {
  const { model, hub, file } = c;
  const again = c.secondTry ? ', again after the damaged copy was deleted and downloaded a second time' : '';
  const network = `Check your network connection${c.proxy ? ` and the proxy ${c.proxy}` : ''}`;
  switch (fault) {
    case 'not-found':
      return modelNotFound(model, file === 'config.json'
        ? `the model hub (${hub}) has no such repo, or it is private (config.json: HTTP 404)`
        : file.startsWith('onnx/')
          ? `the model hub (${hub}) has no ${file} for it (HTTP 404), so it has no ${c.dtype} weights; set inkling.model.dtype to another value`
          : `the model hub (${hub}) has no ${file} for it (HTTP 404): it is not in the transformers.js layout`).message;
    case 'denied':
      return modelNotFound(model, `the model hub (${hub}) refused access (HTTP ${facts.status}): it is private or gated. Accept its terms on the hub and set the HF_TOKEN environment variable${hub === DEFAULT_HUB_URL ? '' : ` (Inkling sends HF_TOKEN only to ${DEFAULT_HUB_URL})`}`).message;
    case 'unreachable':
      return `Inkling could not reach the model hub (${hub}) to download ${model}${facts.errno ? ` (${facts.errno})` : ''}. ${network}, ${LOCAL_FOLDER_HINT}.`;
    case 'proxy':
      return `Inkling could not download ${model} through the proxy${c.proxy ? ` ${c.proxy}` : ''}: ${facts.proxyProblem ?? 'it failed'}. Check VS Code's http.proxy setting or the HTTPS_PROXY environment variable.`;
    case 'server-error':
      return `The model hub (${hub}) answered HTTP ${facts.status} for ${file} of ${model}: it may be busy or down. Try again in a few minutes.`;
    case 'stalled':
      return `The download of ${model} stalled: the hub sent nothing for ${seconds(facts.idleMs ?? 0)} while sending ${file}. ${network}; loading the model again resumes where it stopped.`;
    case 'redirect-loop':
      return facts.insecure
        ? `The model hub (${hub}) redirected the request for ${file} of ${model} to the insecure address ${facts.url}, which Inkling refuses. Check inkling.model.hubUrl.`
        : `The model hub (${hub}) kept redirecting the request for ${file} of ${model} (${facts.redirects} redirects, back to ${facts.url}) instead of sending it. A proxy or mirror is misconfigured; check inkling.model.hubUrl.`;
    case 'incomplete':
      return `The download of ${file} for ${model} ended early: ${facts.expected !== undefined ? `${formatBytes(facts.received ?? 0)} of ${formatBytes(facts.expected)} arrived` : `only ${formatBytes(facts.received ?? 0)} arrived`}${again}. The connection or a proxy cut it off; nothing incomplete is used. Try again later.`;
    case 'mismatch':
      return `The download of ${file} for ${model} did not match what the hub publishes (${mismatch(facts)})${again}. The hub, a mirror or a proxy is serving a damaged copy; nothing damaged was kept. Try again later or choose another model.`;
    case 'html':
      return `The model hub (${hub}) answered with a web page instead of ${file} for ${model}${again}: a sign-in page, a captive portal or a proxy is in the way. Open ${hub} in a browser and sign in if asked, then load the model again, or check inkling.model.hubUrl.`;
    case 'no-space':
      return facts.expected !== undefined
        ? `There is not enough free space in ${c.cacheDir} to download ${model}: it needs ${formatBytes(facts.expected)}, ${formatBytes(facts.received ?? 0)} are free. ${CLEAR_CACHE_HINT}.`
        : `The disk holding ${c.cacheDir} is full, so ${file} of ${model} could not be saved; nothing half-written was kept. ${CLEAR_CACHE_HINT}.`;
    case 'not-writable':
      return `Inkling cannot write to ${c.cacheDir} (${facts.errno ?? 'permission denied'}) to download ${model}. Make that folder writable, ${LOCAL_FOLDER_HINT}.`;
    case 'cancelled':
      return `The download of ${model} was cancelled.`;
    case 'invalid':
      return `Inkling cannot download ${model}.`;
  }
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

function mismatch(facts: TransferError['facts']): string {
  if (facts.expectedHash && facts.actualHash) return `its hash is ${facts.actualHash.slice(0, 12)}… instead of ${facts.expectedHash.slice(0, 12)}…`;
  if (facts.expected !== undefined) return `${facts.received} bytes instead of ${facts.expected}`;
  return 'it is not valid JSON';
}
