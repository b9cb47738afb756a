// What can go wrong fetching a model, each with the sentence the user reads: what happened, and
// what to do about it. `fault` lets the loader decide (fetch once more, or stop) and pick the code.
import type { EngineErrorPayload } from '../../protocol';

export type DownloadFault =
  /** The hub has no such repo or file. */
  | 'not-found'
  /** 401/403: private or gated. */
  | 'denied'
  /** No connection: DNS, refused, reset before an answer. */
  | 'unreachable'
  /** The proxy itself failed or refused. */
  | 'proxy'
  /** 429 or 5xx. */
  | 'server-error'
  /** No bytes for the idle timeout. */
  | 'stalled'
  | 'redirect-loop'
  /** The body ended before its length. */
  | 'incomplete'
  /** Size or hash differ from what the hub publishes, or a JSON file does not parse. */
  | 'mismatch'
  /** A web page where a model file belongs (captive portal, sign-in page). */
  | 'html'
  | 'no-space'
  | 'not-writable'
  | 'cancelled'
  /** The setting itself is unusable (repo id, hub address); nothing was requested. */
  | 'invalid';

export class DownloadError extends Error {
  override readonly name = 'DownloadError';

  constructor(readonly fault: DownloadFault, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** A damaged copy, which a fresh download may fix. */
  get repairable(): boolean {
    return this.fault === 'incomplete' || this.fault === 'mismatch' || this.fault === 'html';
  }

  get code(): EngineErrorPayload['code'] {
    switch (this.fault) {
      case 'not-found':
      case 'denied':
      case 'invalid':
        return 'model-not-found';
      case 'no-space':
      case 'not-writable':
        return 'storage';
      case 'cancelled':
        return 'cancelled';
      default:
        return 'hub-unreachable';
    }
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}

/** Bytes as people read them: "12 MB", "1.4 GB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} bytes`;
}
