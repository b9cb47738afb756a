// The record of which files in a model folder were downloaded and verified, with their size and
// hash: a later load trusts these without a request, and notices a file cut short on disk.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VERIFIED_FILE } from './cacheLayout';

export interface VerifiedFile {
  size: number;
  /** Present when the hub published it (LFS files, or an ETag that is a sha256). */
  sha256?: string;
}

export type VerifiedFiles = Record<string, VerifiedFile>;

export async function readVerified(folder: string): Promise<VerifiedFiles> {
  try {
    const parsed = JSON.parse(await readFile(join(folder, VERIFIED_FILE), 'utf8')) as { version?: number; files?: unknown };
    if (parsed.version !== 1 || typeof parsed.files !== 'object' || parsed.files === null) return {};
    const files: VerifiedFiles = {};
    for (const [name, entry] of Object.entries(parsed.files as Record<string, Partial<VerifiedFile>>)) {
      if (typeof entry?.size === 'number') files[name] = { size: entry.size, ...(typeof entry.sha256 === 'string' ? { sha256: entry.sha256 } : {}) };
    }
    return files;
  } catch {
    return {};
  }
}

/** Adds (or replaces) one file's entry; the record is replaced whole, so a crash never leaves half of it. */
export async function recordVerified(folder: string, file: string, entry: VerifiedFile): Promise<void> {
  const files = { ...(await readVerified(folder)), [file]: entry };
  const path = join(folder, VERIFIED_FILE);
  const temp = `${path}.${process.pid}.inkling-tmp`;
  await writeFile(temp, `${JSON.stringify({ version: 1, files }, null, 1)}\n`);
  await rename(temp, path);
}
