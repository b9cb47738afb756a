// After a failed request, typing must not hammer a server that is down or busy: requests wait 1, 2,
// 4 … 30 s (or what a 429's Retry-After asks), and one success clears it. While waiting, a request
// fails at once with the last error, without touching the network.
import type { ServerError } from './serverErrors';

const FIRST_MS = 1_000;
const LONGEST_MS = 30_000;

export class Backoff {
  private failures = 0;
  private until = 0;
  private last: ServerError | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** The error to fail with now, while backing off. */
  blocking(): ServerError | undefined {
    return this.last && this.now() < this.until ? this.last : undefined;
  }

  /** Milliseconds left to wait (0 when a request may go). */
  get waitMs(): number {
    return Math.max(0, this.until - this.now());
  }

  failed(error: ServerError): void {
    this.failures++;
    this.last = error;
    const wait = error.retryAfterMs ?? Math.min(LONGEST_MS, FIRST_MS * 2 ** (this.failures - 1));
    this.until = this.now() + wait;
  }

  succeeded(): void {
    this.failures = 0;
    this.until = 0;
    this.last = undefined;
  }
}
