// What one replay of the typing trace amounts to, for a user (time from the last keystroke before
// a pause to the ghost text) and for the machine (generations started, stopped, thrown away).
import type { GenerationRecord } from '../../src/completion/generation';
import type { KeystrokeLog, ReplayLog } from './typingReplay';

export interface PauseStat {
  /** ms from the last keystroke to the ghost text; Infinity when none showed (within the pause, or at all while waiting). */
  latencyMs: number;
  pauseMs: number;
  shownInPause: boolean;
  /** How the shown suggestion was answered (generated, cache, typedAhead, inflight). */
  source?: string;
  lines?: number;
  /** The cursor's line up to the cursor. */
  linePrefix: string;
}

export interface ReplayMetrics {
  pauses: PauseStat[];
  /** Pauses of 400 ms or more, and how many of those showed ghost text before the typist went on. */
  longPauses: number;
  longPausesShown: number;
  /** Keystrokes inside bursts whose ghost text showed before the next key (typed-ahead, mostly). */
  shownWhileTyping: number;
  /** Keystrokes whose ghost text showed at all (pauses and bursts). */
  shownCompletions: number;
  /** How the shown suggestions at pauses were answered: generated, cache, typedAhead, inflight. */
  sources: Record<string, number>;
  generations: GenerationCounts;
  tokens: TokenCounts;
  /** Per generation the engine ran: prompt tokens and those served from the kept KV cache. */
  promptTokens: number[];
  reusedPromptTokens: number[];
  /** Time to first token inside the model process, per generation that got one. */
  ttftMs: number[];
  /** From asking the engine to its first piece, minus the model's own time to first token: waiting behind another generation. */
  queueWaitMs: number[];
  /** From a cancel to the engine's answer, for generations the model had started: how long they still held it. */
  stopAfterCancelMs: number[];
  /** From the fit stages' decision to the engine's answer: what handing the completion out at once saves. */
  decisionToEndMs: number[];
  /** The debounce the service applied after each pause's keystroke. */
  debounceMs: number[];
  durationMs: number;
}

export interface GenerationCounts {
  started: number;
  /** The model reached its own end (end-of-text, a stop string, the token limit). */
  finished: number;
  /** The fit stages decided first and the model was stopped there. */
  stoppedEarly: number;
  /** Stopped before deciding anything: a newer keystroke could not use it, or nobody waited any more. */
  superseded: number;
  orphaned: number;
  failed: number;
}

export interface TokenCounts {
  decoded: number;
  /** Decoded by generations cancelled before they decided anything. */
  inCancelled: number;
  /** Decoded after the fit stages had decided (only without early stop, or the one step it takes to stop). */
  afterDecision: number;
}

export function measureReplay(log: ReplayLog, records: readonly GenerationRecord[]): ReplayMetrics {
  const pauseLogs = log.keystrokes.filter((k) => k.pause);
  const pauses = pauseLogs.map((k) => pauseStat(k, log.mode));
  const sources: Record<string, number> = {};
  for (const k of pauseLogs) if (k.source && k.shownAt !== undefined) sources[k.source] = (sources[k.source] ?? 0) + 1;
  const long = pauses.filter((p) => p.pauseMs >= 400);
  const ran = records.filter((r) => r.result !== undefined && r.result.promptTokens > 0);
  return {
    pauses,
    longPauses: long.length,
    longPausesShown: long.filter((p) => p.shownInPause).length,
    shownWhileTyping: log.keystrokes.filter((k) => !k.pause && k.shownAt !== undefined && k.shownAt <= k.at + k.gapAfterMs).length,
    shownCompletions: log.keystrokes.filter((k) => k.shownAt !== undefined).length,
    sources,
    generations: countGenerations(records),
    tokens: countTokens(records),
    promptTokens: ran.map((r) => r.result?.promptTokens ?? 0),
    reusedPromptTokens: ran.map((r) => r.result?.reusedPromptTokens ?? 0),
    ttftMs: ran.filter((r) => r.firstPieceAt !== undefined).map((r) => r.result?.timeToFirstTokenMs ?? 0),
    queueWaitMs: ran.filter((r) => r.firstPieceAt !== undefined).map((r) => Math.max(0, (r.firstPieceAt ?? 0) - r.startedAt - (r.result?.timeToFirstTokenMs ?? 0))),
    stopAfterCancelMs: ran.filter((r) => r.cancelledAt !== undefined).map((r) => r.endedAt - (r.cancelledAt ?? r.endedAt)),
    decisionToEndMs: records.filter((r) => r.decidedEarly && r.decidedAt !== undefined).map((r) => r.endedAt - (r.decidedAt ?? r.endedAt)),
    debounceMs: pauseLogs.map((k) => k.debounceMs),
    durationMs: log.durationMs,
  };
}

function pauseStat(k: KeystrokeLog, mode: ReplayLog['mode']): PauseStat {
  const latency = k.shownAt === undefined ? Infinity : k.shownAt - k.at;
  // 'asTyped' never waits past the pause, so a later answer cannot have shown there either way.
  return { latencyMs: latency, pauseMs: k.gapAfterMs, shownInPause: latency <= k.gapAfterMs && (mode === 'waiting' || k.shownAt !== undefined), source: k.source, lines: k.lines, linePrefix: k.linePrefix };
}

function countGenerations(records: readonly GenerationRecord[]): GenerationCounts {
  const counts: GenerationCounts = { started: records.length, finished: 0, stoppedEarly: 0, superseded: 0, orphaned: 0, failed: 0 };
  for (const r of records) {
    if (r.cancelled === 'superseded') counts.superseded++;
    else if (r.cancelled) counts.orphaned++;
    else if (!r.result) counts.failed++;
    else if (r.decidedEarly && r.result.finishReason === 'cancelled') counts.stoppedEarly++;
    else counts.finished++;
  }
  return counts;
}

function countTokens(records: readonly GenerationRecord[]): TokenCounts {
  const tokens: TokenCounts = { decoded: 0, inCancelled: 0, afterDecision: 0 };
  for (const r of records) {
    const decoded = r.result?.generatedTokens ?? 0;
    tokens.decoded += decoded;
    if (r.cancelled) tokens.inCancelled += decoded;
    else if (r.piecesAtDecision !== undefined && r.decidedEarly) tokens.afterDecision += Math.max(0, decoded - r.piecesAtDecision);
  }
  return tokens;
}

/** Nearest-rank percentile; Infinity counts (a pause with no ghost text is slower than any with one). */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function thrownAway(tokens: TokenCounts): number {
  return tokens.inCancelled + tokens.afterDecision;
}
