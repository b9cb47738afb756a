// Inkling's own download cache for hub models: every file transformers.js will read is fetched and
// verified before it opens any, under a lock that every process honours (two windows share one
// download). A verified model loads later without a single request. A damaged copy (short, wrong
// hash, a web page) is deleted and fetched once more; a second failure is reported in words.
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { lockFileFor, modelFolder } from '../../cache/cacheLayout';
import { acquireLock, type HeldLock } from '../../cache/folderLock';
import { sweepStaleFiles } from '../../cache/staleFiles';
import { readVerified, recordVerified, type VerifiedFiles } from '../../cache/verifiedFiles';
import type { Dtype, LoadProgress } from '../../protocol';
import { modelNotFound } from '../modelErrors';
import { makeTunedCopy } from '../tunedCopy/tunedCopy';
import { DownloadError } from './downloadError';
import { downloadFile, ensureSpace, failureForStatus } from './downloadFile';
import { describeFailure, type FailureContext } from './downloadMessages';
import { expectedFrom, fileMatches, type Expected } from './fileCheck';
import { hubFetch, type HubFetchOptions, type HubResponse } from './hubFetch';
import { modelFiles } from './modelFiles';
import { progressReporter, reportShared } from './progressNotes';
import { describeProxy, proxyFor } from './proxySettings';
import { TransferError } from './transferError';

export interface HubModelRequest {
  repo: string;
  dtype: Dtype;
  cacheDir: string;
  /** A checked hub address ending in "/" (see checkHubUrl). */
  hubUrl: string;
  localOnly?: boolean;
  /** VS Code's http.proxy; the environment's proxy otherwise. */
  proxy?: string;
  signal?: AbortSignal;
  /** A transfer silent for this long is stalled. */
  idleMs?: number;
  onProgress: (progress: LoadProgress) => void;
  log?: (message: string) => void;
  /** Make the tuned copy of the model file (only the CPU uses it). */
  tunedCopy?: boolean;
}

const DEFAULT_IDLE_MS = 30_000;

/** The model's cache folder, holding every file it needs, verified. */
export async function ensureHubModel(request: HubModelRequest): Promise<string> {
  const folder = modelFolder(request.cacheDir, request.repo);
  const context = (file: string, secondTry = false): FailureContext => ({
    model: request.repo, dtype: request.dtype, hub: request.hubUrl, file, cacheDir: request.cacheDir, secondTry, ...proxyShown(request),
  });
  const lock = await guarded(context('config.json'), async () => {
    await makeFolder(request.cacheDir);
    return acquireLock(lockFileFor(folder), { signal: request.signal, onWait: (owner) => reportShared(request, owner.note) });
  });
  try {
    for (const path of await sweepStaleFiles(folder)) request.log?.(`Removed the leftover ${path}`);
    try {
      await fetchModel(request, folder, lock, (file) => context(file));
    } catch (error) {
      if (!(error instanceof DownloadError) || !error.repairable) throw error;
      request.log?.(`${error.message} Deleting ${folder} and downloading ${request.repo} once more.`);
      await rm(folder, { recursive: true, force: true });
      await fetchModel(request, folder, lock, (file) => context(file, true));
    }
    if (request.tunedCopy) await makeTunedCopy(folder, request.dtype, {
      ...(request.log ? { log: request.log } : {}),
      onPreparing: (file) => request.onProgress({ status: 'preparing', file }),
    });
    return folder;
  } finally {
    await lock.release();
  }
}

/** Deletes a model's cached copy (its files proved damaged when loaded), under the lock. */
export async function discardHubModel(cacheDir: string, repo: string): Promise<void> {
  const folder = modelFolder(cacheDir, repo);
  const lock = await acquireLock(lockFileFor(folder));
  try {
    await rm(folder, { recursive: true, force: true });
  } finally {
    await lock.release();
  }
}

async function fetchModel(request: HubModelRequest, folder: string, lock: HeldLock, context: (file: string) => FailureContext): Promise<void> {
  const verified = await readVerified(folder);
  const fetchOptions: Omit<HubFetchOptions, 'method' | 'headers'> = {
    idleMs: request.idleMs ?? DEFAULT_IDLE_MS,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.proxy ? { proxy: request.proxy } : {}),
    ...(hubToken() ? { token: hubToken() } : {}),
  };
  const urlOf = (file: string) => new URL(`${request.repo.split('/').map(encodeURIComponent).join('/')}/resolve/main/${file}`, request.hubUrl);
  const step = <T>(file: string, run: () => Promise<T>) => guarded(context(file), run);
  const progress = progressReporter(request, lock);
  /** A config.json from an older cache: kept when the hub says it is exactly this, or when the hub cannot be asked. */
  const keepOldConfig = async (): Promise<boolean> => {
    let head: HubResponse;
    try {
      head = await hubFetch(urlOf('config.json'), { ...fetchOptions, method: 'HEAD' });
    } catch (error) {
      if (!(error instanceof TransferError && error.fault === 'unreachable')) return false;
      request.log?.(`The hub is unreachable; using the config.json already in ${folder} without checking it.`);
      return true;
    }
    head.body.resume();
    if (head.status !== 200) return false;
    const length = Number(head.headers['content-length']);
    const published = expectedFrom(head.published, Number.isSafeInteger(length) ? length : undefined);
    if (!(await adopt(folder, 'config.json', published, request))) return false;
    await step('config.json', () => recordVerified(folder, 'config.json', { size: published.size!, ...(published.sha256 ? { sha256: published.sha256 } : {}) }));
    return true;
  };

  if (!(await isVerified(folder, verified, 'config.json'))) {
    const onDisk = await exists(join(folder, 'config.json'));
    if (request.localOnly) {
      if (!onDisk) throw notDownloaded(request.repo);
    } else if (!onDisk || !(await keepOldConfig())) {
      await step('config.json', async () => recordVerified(folder, 'config.json', await downloadFile({ url: urlOf('config.json'), folder, file: 'config.json', fetch: fetchOptions })));
    }
  }
  const files = await step('config.json', async () => modelFiles(await readConfig(folder), request.dtype));
  const pending: string[] = [];
  for (const file of [...files.required, ...files.optional]) if (!(await isVerified(folder, verified, file))) pending.push(file);
  if (pending.length === 0) return;
  const onDisk = async () => (await Promise.all(files.required.map((file) => exists(join(folder, ...file.split('/')))))).every(Boolean);
  if (request.localOnly) {
    // Files from before the cache verified anything: without the network there is nothing to check them against.
    if (await onDisk()) return;
    throw notDownloaded(request.repo);
  }

  // What each file should be, and which optional ones exist, before any large transfer starts.
  const expected = new Map<string, { published: Expected; raw: Parameters<typeof expectedFrom>[0] }>();
  for (const file of pending) {
    let head;
    try {
      head = await hubFetch(urlOf(file), { ...fetchOptions, method: 'HEAD' });
    } catch (error) {
      if (error instanceof TransferError && error.fault === 'unreachable' && (await onDisk())) {
        request.log?.(`The hub is unreachable; loading the files already in ${folder} without checking them.`);
        return;
      }
      throw describeFailure(error, context(file));
    }
    head.body.resume();
    if (head.status === 404 && files.optional.includes(file)) {
      await step(file, () => recordVerified(folder, file, { size: -1 }));
      continue;
    }
    if (head.status === 405 || head.status === 501) {
      // A mirror that only serves GET: the download itself tells the size and hash, if anything.
      expected.set(file, { published: {}, raw: {} });
      continue;
    }
    if (head.status !== 200) throw describeFailure(failureForStatus(head.status, head.url), context(file));
    const length = Number(head.headers['content-length']);
    expected.set(file, { published: expectedFrom(head.published, Number.isSafeInteger(length) ? length : undefined), raw: head.published });
  }

  const toFetch: string[] = [];
  for (const [file, { published }] of expected) {
    if (await adopt(folder, file, published, request)) await step(file, () => recordVerified(folder, file, { size: published.size!, ...(published.sha256 ? { sha256: published.sha256 } : {}) }));
    else toFetch.push(file);
  }
  const needed = toFetch.reduce((sum, file) => sum + (expected.get(file)?.published.size ?? 0), 0);
  if (toFetch.length > 0) await step(toFetch[0]!, () => ensureSpace(folder, needed));
  for (const file of toFetch) {
    const entry = await step(file, () => downloadFile({
      url: urlOf(file), folder, file, fetch: fetchOptions, published: expected.get(file)!.raw, onBytes: (received, total) => progress(file, received, total),
    }));
    await step(file, () => recordVerified(folder, file, entry));
  }
}

/** A file already on disk from before the cache verified downloads is kept when it is what the hub publishes. */
async function adopt(folder: string, file: string, expected: Expected, request: HubModelRequest): Promise<boolean> {
  const path = join(folder, ...file.split('/'));
  if (!(await exists(path))) return false;
  // Only a published hash proves an old copy right; without one it is fetched again.
  if (expected.sha256 === undefined && expected.gitSha1 === undefined) return false;
  request.onProgress({ status: 'verifying', file });
  const matches = await fileMatches(path, expected);
  if (!matches) await rm(path, { force: true });
  return matches;
}

async function isVerified(folder: string, verified: VerifiedFiles, file: string): Promise<boolean> {
  const entry = verified[file];
  if (!entry) return false;
  const size = await stat(join(folder, ...file.split('/'))).then((s) => s.size, () => -1);
  // size -1 records a file the hub does not have (an optional one).
  return size === entry.size;
}

async function readConfig(folder: string): Promise<Record<string, unknown>> {
  const text = await readFile(join(folder, 'config.json'), 'utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Reported below as a damaged file.
  }
  throw new TransferError('mismatch', { received: text.length }, 'config.json is not a JSON object');
}

async function guarded<T>(context: FailureContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw describeFailure(error, context);
  }
}

function notDownloaded(repo: string): DownloadError {
  return new DownloadError('not-found', modelNotFound(repo, 'it has not been downloaded yet and downloads are turned off').message);
}

function proxyShown(request: HubModelRequest): { proxy?: string } {
  try {
    const proxy = proxyFor(new URL(request.hubUrl), request.proxy);
    return proxy ? { proxy: describeProxy(proxy) } : {};
  } catch {
    return request.proxy ? { proxy: request.proxy.replace(/\/\/[^@/]*@/, '//') } : {};
  }
}

function hubToken(): string | undefined {
  return process.env.HF_TOKEN || process.env.HF_ACCESS_TOKEN || undefined;
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/** mkdir -p, failing with the real reason: a recursive mkdir says ENOENT on a read-only disk. */
async function makeFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
    return;
  } catch (error) {
    let existing = dirname(path);
    while (!(await exists(existing)) && dirname(existing) !== existing) existing = dirname(existing);
    const next = join(existing, relative(existing, path).split(sep)[0] ?? '');
    const cause = await mkdir(next).then(() => error, (inner: unknown) => inner) as NodeJS.ErrnoException;
    throw new TransferError(cause.code === 'ENOSPC' ? 'no-space' : 'not-writable', { errno: cause.code }, cause.message, { cause });
  }
}
