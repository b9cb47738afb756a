// How long to wait after a keystroke before asking the model. Waiting is a bet that the user has
// paused: lose it (they type on) and the generation is thrown away, having held the model for about
// its time to first token (the prompt step, which cannot be stopped halfway); win it and every
// millisecond waited is latency the user sees. Waiting as long as a wrong start would cost — the
// recent time to first token — never loses more than twice the best choice in hindsight (the
// ski-rental rule), so a fast model (a warm cache) asks almost at once and a slow one waits longer,
// never past the user's `debounceMs`, which stays the upper bound. Its default, 100 ms, is lower than
// a laptop's first token: a wrong start stops at its next step, while every millisecond waited is
// seen (bench/README.md: in a real editor, 100 against 200 ms showed ghost text in more pauses).

/** Below this, nearly every keystroke of a fast typist (30–150 ms apart) would start a generation. */
export const MIN_DEBOUNCE_MS = 40;
/** How many recent measurements the estimate looks at: the median shrugs off one cold prompt. */
export const DEBOUNCE_WINDOW = 5;

export class AdaptiveDebounce {
  private readonly recent: number[] = [];

  /** Records one generation's time to first token, measured where the prompt ran. */
  observe(timeToFirstTokenMs: number): void {
    if (!Number.isFinite(timeToFirstTokenMs) || timeToFirstTokenMs < 0) return;
    this.recent.push(timeToFirstTokenMs);
    if (this.recent.length > DEBOUNCE_WINDOW) this.recent.shift();
  }

  /** The median of the recent times to first token; undefined before the first one. */
  get estimateMs(): number | undefined {
    if (this.recent.length === 0) return undefined;
    const sorted = [...this.recent].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** The wait for an automatic request: the estimate within [MIN_DEBOUNCE_MS, settingMs]; the setting until there is one. */
  delayMs(settingMs: number): number {
    const cap = Math.max(0, settingMs);
    const estimate = this.estimateMs;
    if (estimate === undefined) return cap;
    return Math.min(cap, Math.max(MIN_DEBOUNCE_MS, Math.round(estimate)));
  }

  reset(): void {
    this.recent.length = 0;
  }
}
