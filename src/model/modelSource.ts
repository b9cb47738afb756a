// Where a model comes from: a folder on disk or a repo on the model hub. Local folders are checked
// before transformers.js sees them, so a missing file gets a message that names it.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Dtype } from './protocol';

export type ModelSource =
  | { kind: 'local'; folder: string }
  | { kind: 'hub'; repo: string };

/** transformers.js v4 names one ONNX file per dtype inside `onnx/`. */
const onnxFileByDtype: Record<Dtype, string> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
};

export function onnxFileFor(dtype: Dtype): string {
  return `onnx/${onnxFileByDtype[dtype]}`;
}

/** Paths ("/…", "~/…", "./…", "../…", "C:\…") are local; anything else is a hub repo id. */
export function resolveModelSource(model: string, cwd: string = process.cwd()): ModelSource {
  const trimmed = model.trim();
  if (trimmed === '~' || trimmed.startsWith('~/') || trimmed.startsWith('~\\')) {
    return { kind: 'local', folder: join(homedir(), trimmed.slice(1)) };
  }
  if (isAbsolute(trimmed)) return { kind: 'local', folder: resolve(trimmed) };
  if (/^\.\.?([/\\]|$)/.test(trimmed)) return { kind: 'local', folder: resolve(cwd, trimmed) };
  return { kind: 'hub', repo: trimmed };
}

/** What a local folder lacks, relative to it; empty when it holds everything the dtype needs. */
export function missingModelFiles(folder: string, dtype: Dtype): string[] {
  if (!isDirectory(folder)) return ['.'];
  const required = ['config.json', 'tokenizer.json', onnxFileFor(dtype)];
  return required.filter((file) => !existsSync(join(folder, file)));
}

/** The weight variants a local folder has, for a message that says which dtype to pick instead. */
export function availableDtypes(folder: string): Dtype[] {
  return (Object.keys(onnxFileByDtype) as Dtype[]).filter((dtype) => existsSync(join(folder, onnxFileFor(dtype))));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Where hub models come from when inkling.model.hubUrl is empty. */
export const DEFAULT_HUB_URL = 'https://huggingface.co/';

/**
 * Why `repo` is not a hub repo id, or undefined when it is one. The hub's own rule: an optional owner
 * and a name, each letters, digits, `_`, `-` and `.`, starting and ending with a letter or digit, at
 * most 96 characters, with no `--` or `..`. Cache folders are built only from ids that pass.
 */
export function repoIdProblem(repo: string): string | undefined {
  const parts = repo.split('/');
  if (parts.length > 2) return 'it has more than one "/"';
  if (parts.some((part) => !/^[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9])?$/.test(part))) {
    return 'the owner and the name may only hold letters, digits, "_", "-" and "." (at most 96 each), beginning and ending with a letter or digit';
  }
  if (repo.includes('..') || repo.includes('--')) return 'it contains ".." or "--"';
  if (/\.(git|ipynb)$/.test(repo)) return 'it ends in .git or .ipynb';
  return undefined;
}

export type HubUrlCheck = { ok: true; url: string } | { ok: false; problem: string };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The hub address to download from, normalized to end in "/": https only (http only for this
 * machine, where tests and local mirrors live), with no user name, password, query or fragment,
 * which would leak or be ignored. An empty setting means the default hub.
 */
export function checkHubUrl(setting: string): HubUrlCheck {
  const text = setting.trim();
  if (text === '') return { ok: true, url: DEFAULT_HUB_URL };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'is not a web address' };
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    return { ok: false, problem: 'uses http://, which is only allowed for this machine (localhost, 127.0.0.1, [::1])' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: `uses ${url.protocol}//, not https://` };
  if (url.username || url.password) return { ok: false, problem: 'contains a user name or password' };
  if (url.search || url.hash || text.includes('?') || text.includes('#')) return { ok: false, problem: 'contains a query (?…) or a fragment (#…)' };
  const href = url.href;
  return { ok: true, url: href.endsWith('/') ? href : `${href}/` };
}

/** Whether requests to `url` may carry the user's HF_TOKEN: only to the default hub, over https. */
export function mayCarryHubToken(url: URL): boolean {
  return url.protocol === 'https:' && url.host === new URL(DEFAULT_HUB_URL).host;
}
