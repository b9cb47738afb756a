// One file from the hub into the model folder, so that only a complete, verified file ever has its
// real name: bytes go to `<file>.partial` (fsynced), are checked against what the hub publishes, and
// are renamed into place. A transfer cut short is resumed with a Range request where the server
// allows it (and on a later load, from the resume note); a cancel or a bad copy leaves nothing behind.
import { mkdir, open, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { PARTIAL_SUFFIX, RESUME_SUFFIX } from '../../cache/cacheLayout';
import type { VerifiedFile } from '../../cache/verifiedFiles';
import { isAbort } from './downloadError';
import { expectedFrom, FileCheck, type Expected } from './fileCheck';
import { hubFetch, type HubFetchOptions, type HubResponse } from './hubFetch';
import { networkCode, TransferError } from './transferError';

export interface FileDownload {
  /** The file's resolve URL on the hub. */
  url: URL;
  folder: string;
  /** Relative to the folder, "/"-separated. */
  file: string;
  fetch: Omit<HubFetchOptions, 'method' | 'headers'>;
  /** What an earlier HEAD learned, merged with what the GET says. */
  published?: HubResponse['published'];
  onBytes?: (received: number, total: number | undefined) => void;
  /** Further tries after an interrupted transfer. */
  retries?: number;
}

interface ResumeNote { etag: string; size?: number; sha256?: string }

/** Nothing listens, no such host, a certificate that does not verify: trying again will not help. */
const HOPELESS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID']);

function retryable(error: TransferError): boolean {
  if (error.facts.errno && HOPELESS.has(error.facts.errno)) return false;
  return error.fault === 'incomplete' || error.fault === 'stalled' || error.fault === 'unreachable' || error.fault === 'server-error';
}

export async function downloadFile(download: FileDownload): Promise<VerifiedFile> {
  const dest = join(download.folder, ...download.file.split('/'));
  const partial = `${dest}${PARTIAL_SUFFIX}`;
  const notePath = `${dest}${RESUME_SUFFIX}`;
  const discard = () => Promise.all([rm(partial, { force: true }), rm(notePath, { force: true })]);
  await storage(() => mkdir(dirname(dest), { recursive: true }));
  const retries = download.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    try {
      return await transfer(download, dest, partial, notePath);
    } catch (error) {
      if (error instanceof TransferError && retryable(error) && attempt < retries && !download.fetch.signal?.aborted) {
        await pause(250 * (attempt + 1), download.fetch.signal).catch(() => undefined);
        continue;
      }
      // A transfer the connection cut short stays for the next load to resume; anything else goes.
      const interrupted = error instanceof TransferError && (error.fault === 'stalled' || error.facts.errno !== undefined);
      if (!interrupted || !(await exists(notePath))) await discard();
      throw error;
    }
  }
}

async function transfer(download: FileDownload, dest: string, partial: string, notePath: string): Promise<VerifiedFile> {
  const { file } = download;
  const note = await readNote(notePath);
  const have = await sizeOf(partial);
  const resumeFrom = note && have > 0 && (note.size === undefined || have < note.size) ? have : 0;
  const headers: Record<string, string> = resumeFrom > 0 ? { range: `bytes=${resumeFrom}-`, 'if-range': `"${note!.etag}"` } : {};
  const response = await hubFetch(download.url, { ...download.fetch, method: 'GET', headers });
  const { body } = response;
  try {
    const offset = startOffset(response, resumeFrom);
    const published = { ...download.published, ...definedOnly(response.published) };
    const expected = expectedFrom(published, totalLength(response));
    if (offset > 0 && ((note!.sha256 && note!.sha256 !== expected.sha256) || (note!.size !== undefined && note!.size !== expected.size))) {
      // The file changed on the hub since the partial download: start over.
      await rm(partial, { force: true });
      throw new TransferError('incomplete', { received: 0, expected: expected.size }, `${file} changed on the hub; starting over`);
    }
    if (/^text\/html\b/i.test(String(response.headers['content-type'] ?? ''))) throw new TransferError('html', { url: response.url.href }, `${file} is a web page`);
    if (expected.size !== undefined) await ensureSpace(download.folder, expected.size - offset);
    const etag = typeof response.headers.etag === 'string' ? response.headers.etag.replace(/^W\//, '').replace(/^"|"$/g, '') : undefined;
    const resumable = etag !== undefined && /\bbytes\b/.test(String(response.headers['accept-ranges'] ?? '')) && !String(response.headers.etag).startsWith('W/');
    if (resumable) await storage(() => writeFile(notePath, JSON.stringify({ etag, size: expected.size, sha256: expected.sha256 } satisfies ResumeNote)));
    else await rm(notePath, { force: true });
    return await receive(download, body, expected, offset, dest, partial, notePath);
  } finally {
    body.destroy();
  }
}

async function receive(download: FileDownload, body: HubResponse['body'], expected: Expected, offset: number, dest: string, partial: string, notePath: string): Promise<VerifiedFile> {
  const check = new FileCheck(download.file, expected);
  if (offset > 0) for await (const chunk of createReadStream(partial, { end: offset - 1 })) check.update(chunk as Buffer);
  const handle = await storage(() => open(partial, offset > 0 ? 'a' : 'w'));
  try {
    try {
      for await (const chunk of body) {
        check.update(chunk as Buffer);
        await storage(() => handle.write(chunk as Buffer));
        download.onBytes?.(check.received, expected.size);
      }
    } catch (error) {
      if (error instanceof TransferError || isAbort(error)) throw error;
      const code = networkCode(error) ?? (error as NodeJS.ErrnoException).code;
      // The server closed the connection before the length it announced.
      throw new TransferError('incomplete', { received: check.received, expected: expected.size, ...(code ? { errno: code } : {}) }, `${download.file}: ${(error as Error).message}`, { cause: error });
    }
    if (!body.complete) throw new TransferError('incomplete', { received: check.received, expected: expected.size }, `${download.file}: connection closed early`);
    await storage(() => handle.sync());
  } finally {
    await handle.close().catch(() => undefined);
  }
  const sha256 = await check.finish(() => readFile(partial));
  await storage(() => rename(partial, dest));
  await rm(notePath, { force: true });
  return { size: check.received, sha256 };
}

function startOffset(response: HubResponse, resumeFrom: number): number {
  const { status } = response;
  if (status === 200) return 0;
  if (status === 206 && resumeFrom > 0) {
    const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(String(response.headers['content-range'] ?? ''));
    if (range && Number(range[1]) === resumeFrom) return resumeFrom;
    throw new TransferError('incomplete', { received: 0 }, `unexpected Content-Range ${String(response.headers['content-range'])}`);
  }
  throw failureForStatus(status, response.url);
}

/** What an answer other than the file means: not there, not allowed, or the server's trouble. */
export function failureForStatus(status: number, url: URL): TransferError {
  const facts = { status, url: url.href };
  if (status === 404 || status === 410) return new TransferError('not-found', facts, `HTTP ${status} for ${url.href}`);
  if (status === 401 || status === 403) return new TransferError('denied', facts, `HTTP ${status} for ${url.href}`);
  return new TransferError('server-error', facts, `HTTP ${status} for ${url.href}`);
}

/** The whole file's length from this answer: Content-Length of a 200, the total of a 206's range. */
function totalLength(response: HubResponse): number | undefined {
  if (response.status === 206) {
    const total = /\/(\d+)$/.exec(String(response.headers['content-range'] ?? ''))?.[1];
    return total === undefined ? undefined : Number(total);
  }
  const length = Number(response.headers['content-length']);
  return response.headers['content-length'] !== undefined && Number.isSafeInteger(length) ? length : undefined;
}

/** Free space below what the file needs (with a little room to spare) fails before a byte is written. */
export async function ensureSpace(folder: string, bytes: number): Promise<void> {
  const stats = await statfs(folder).catch(() => undefined);
  if (!stats) return;
  const free = stats.bavail * stats.bsize;
  // A little room to spare for the file system's own bookkeeping.
  if (free < bytes + bytes / 100 + 64 * 1024) throw new TransferError('no-space', { expected: bytes, received: free }, `needs ${bytes} bytes in ${folder}, ${free} free`);
}

/** Runs a file-system step, turning a full or read-only disk into a TransferError that names it. */
async function storage<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new TransferError('no-space', { errno: code }, (error as Error).message, { cause: error });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new TransferError('not-writable', { errno: code }, (error as Error).message, { cause: error });
    throw error;
  }
}

async function readNote(path: string): Promise<ResumeNote | undefined> {
  try {
    const note = JSON.parse(await readFile(path, 'utf8')) as Partial<ResumeNote>;
    return typeof note.etag === 'string' ? { etag: note.etag, ...(typeof note.size === 'number' ? { size: note.size } : {}), ...(typeof note.sha256 === 'string' ? { sha256: note.sha256 } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const sizeOf = (path: string) => stat(path).then((s) => s.size, () => 0);
const exists = (path: string) => stat(path).then(() => true, () => false);

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
