// Where a first ghost text's time went, from two clocks on one machine: the page's (keydown, ghost
// text drawn) and Inkling's log (each completion line is written when it is answered and says how
// long it took). VS Code's share is before Inkling is asked and after it answered.

export interface LoggedCompletion {
  /** Epoch ms the completion was answered (the log line's time). */
  answeredAt: number;
  latencyMs: number;
}

export interface GhostSplit {
  /** Last keystroke → VS Code asks Inkling. */
  beforeAskMs: number;
  /** Inkling asked → answered. */
  inklingMs: number;
  /** Answered → ghost text drawn on the page. */
  drawMs: number;
}

/** Reads `2026-11-30 12:06:41.583 [debug] completion (generated, single): 4460 ms = …` (the log's local time). */
export function parseCompletionLine(line: string): LoggedCompletion | undefined {
  const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) \[\w+\] completion \([^)]*\): (\d+) ms/.exec(line);
  if (!match) return undefined;
  const answeredAt = new Date(`${match[1]}T${match[2]}`).getTime();
  return Number.isFinite(answeredAt) ? { answeredAt, latencyMs: Number(match[3]) } : undefined;
}

/**
 * Splits last keystroke → ghost text (epoch ms) at the completion that was shown: the last one
 * answered before the ghost text appeared (the log's millisecond clock, hence the 5 ms of slack).
 */
export function splitGhost(keyAt: number, ghostAt: number, lines: readonly string[]): GhostSplit | undefined {
  const answered = lines.map(parseCompletionLine).filter((c): c is LoggedCompletion => c !== undefined && c.answeredAt <= ghostAt + 5 && c.answeredAt >= keyAt);
  const shown = answered.at(-1);
  if (!shown) return undefined;
  const askedAt = shown.answeredAt - shown.latencyMs;
  return { beforeAskMs: Math.max(0, askedAt - keyAt), inklingMs: shown.latencyMs, drawMs: Math.max(0, ghostAt - shown.answeredAt) };
}
