// A failed transfer, as facts (status, error code, bytes, hashes…) without wording: the download
// turns it into the sentence a user reads once it knows which model and file it was about.
import type { DownloadFault } from './downloadError';

export interface TransferFacts {
  status?: number;
  /** A system error code (ECONNREFUSED, ENOSPC…). */
  errno?: string;
  url?: string;
  redirects?: number;
  received?: number;
  expected?: number;
  idleMs?: number;
  expectedHash?: string;
  actualHash?: string;
  /** A redirect to plain http from https. */
  insecure?: boolean;
  /** What the proxy said or why it failed. */
  proxyProblem?: string;
}

export class TransferError extends Error {
  override readonly name = 'TransferError';

  constructor(readonly fault: DownloadFault, readonly facts: TransferFacts, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO',
]);

/** A socket-level failure: the request never got (all of) an answer. */
export function networkCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code && NETWORK_CODES.has(code) ? code : undefined;
}
