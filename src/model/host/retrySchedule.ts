// When a failed model load is tried again: soon at first, then less and less often, so a model folder
// that appears a minute later or a network that comes back heals by itself, without hammering a hub.
export const RETRY_DELAYS_MS: readonly number[] = [2_000, 5_000, 15_000, 60_000];

export class RetrySchedule {
  private failures = 0;
  private next: number | undefined;

  constructor(private readonly delays: readonly number[] = RETRY_DELAYS_MS, private readonly now: () => number = Date.now) {}

  /** A load failed: the next try waits one step longer than the last (the longest step repeats). Returns when. */
  failed(): number {
    const delay = this.delays[Math.min(this.failures, this.delays.length - 1)] ?? 0;
    this.failures++;
    this.next = this.now() + delay;
    return this.next;
  }

  /** The model loaded, a setting changed, its folder changed or the user asked: the next try is now. */
  reset(): void {
    this.failures = 0;
    this.next = undefined;
  }

  /** Whether a load may be tried now. */
  get due(): boolean {
    return this.next === undefined || this.now() >= this.next;
  }

  /** When the next try may start (epoch ms); undefined when it may start now. */
  get nextAt(): number | undefined {
    return this.due ? undefined : this.next;
  }
}
