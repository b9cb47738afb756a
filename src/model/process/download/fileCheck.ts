// What a downloaded file must be, from what the hub publishes, and the running check of its bytes:
// size, sha256 (LFS files, or an ETag that is one), the git blob hash (the hub's ETag for small
// files), never a web page, and JSON that parses.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { HubResponse } from './hubFetch';
import { TransferError } from './transferError';

export interface Expected {
  size?: number;
  sha256?: string;
  /** The hub's ETag for files kept in git: sha1 of "blob <size>\0" + content. */
  gitSha1?: string;
}

/** What the hub says the file is. A 40-hex ETag counts as a git hash only on the hub (X-Repo-Commit). */
export function expectedFrom(published: HubResponse['published'], lengthHeader?: number): Expected {
  const sha256 = [published.linkedEtag, published.etag].find((tag) => tag !== undefined && /^[0-9a-f]{64}$/i.test(tag));
  const gitSha1 = !published.linkedEtag && published.repoCommit && published.etag && /^[0-9a-f]{40}$/i.test(published.etag) ? published.etag : undefined;
  const size = published.size ?? lengthHeader;
  return { ...(size !== undefined ? { size } : {}), ...(sha256 ? { sha256: sha256.toLowerCase() } : {}), ...(gitSha1 ? { gitSha1: gitSha1.toLowerCase() } : {}) };
}

const WEB_PAGE = /^\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|title[\s>])/i;

export function looksLikeWebPage(start: Buffer): boolean {
  return WEB_PAGE.test(start.subarray(0, 512).toString('latin1').replace(/^\ufeff/, ''));
}

/** Hashes and counts bytes as they are written; `finish` compares them with what was expected. */
export class FileCheck {
  private readonly sha256: Hash = createHash('sha256');
  private size = 0;
  private head = Buffer.alloc(0);

  constructor(private readonly file: string, private readonly expected: Expected) {}

  get received(): number {
    return this.size;
  }

  update(chunk: Buffer): void {
    if (this.head.length < 512) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, 512 - this.head.length)]);
      if (this.size === 0 && looksLikeWebPage(this.head)) {
        throw new TransferError('html', {}, `${this.file} is a web page`);
      }
    }
    this.sha256.update(chunk);
    this.size += chunk.length;
  }

  /** Throws a 'mismatch' naming what differs; returns the sha256 of what was received. */
  async finish(readWhole: () => Promise<Buffer>): Promise<string> {
    const { size, sha256, gitSha1 } = this.expected;
    if (looksLikeWebPage(this.head)) throw new TransferError('html', {}, `${this.file} is a web page`);
    if (size !== undefined && this.size !== size) {
      throw new TransferError(this.size < size ? 'incomplete' : 'mismatch', { received: this.size, expected: size }, `${this.file}: ${this.size} bytes, expected ${size}`);
    }
    const actual = this.sha256.digest('hex');
    if (sha256 && actual !== sha256) throw new TransferError('mismatch', { expectedHash: sha256, actualHash: actual }, `${this.file}: sha256 ${actual}, expected ${sha256}`);
    if (gitSha1 || this.file.endsWith('.json')) {
      const whole = await readWhole();
      if (gitSha1) {
        const blob = createHash('sha1').update(`blob ${whole.length}\0`).update(whole).digest('hex');
        if (blob !== gitSha1) throw new TransferError('mismatch', { expectedHash: gitSha1, actualHash: blob }, `${this.file}: git hash ${blob}, expected ${gitSha1}`);
      }
      if (this.file.endsWith('.json')) {
        try {
          JSON.parse(whole.toString('utf8'));
        } catch (error) {
          throw new TransferError('mismatch', { received: this.size }, `${this.file} is not valid JSON: ${(error as Error).message}`);
        }
      }
    }
    return actual;
  }
}

/** Whether a file on disk is exactly what `expected` describes (size, and every hash it names). */
export async function fileMatches(path: string, expected: Expected): Promise<boolean> {
  const sha256 = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    sha256.update(chunk as Buffer);
    if (expected.gitSha1) chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  if (expected.size !== undefined && size !== expected.size) return false;
  if (expected.sha256 && sha256.digest('hex') !== expected.sha256) return false;
  if (expected.gitSha1) {
    const whole = Buffer.concat(chunks);
    if (createHash('sha1').update(`blob ${whole.length}\0`).update(whole).digest('hex') !== expected.gitSha1) return false;
  }
  return true;
}
