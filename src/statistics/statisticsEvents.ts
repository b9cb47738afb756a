// What Inkling records about its own work, and nothing else: numbers, enums, language ids and model
// names. No field can hold code: `eventFrom` rebuilds every event from these known fields only (extra
// properties are dropped), caps and flattens the two kinds of names, and refuses anything malformed.
// The recorder and the file reader both go through it.

export const BACKENDS = ['local', 'server'] as const;
export const DTYPES = ['fp32', 'fp16', 'q8', 'q4', 'other'] as const;
export const COMPLETION_SOURCES = ['generated', 'cache', 'typedAhead', 'inflight'] as const;
export const TRIGGERS = ['automatic', 'explicit'] as const;
/** `partial`: some of the ghost text was taken (word by word or line by line), not all of it. */
export const COMPLETION_OUTCOMES = ['accepted', 'partial', 'dismissed'] as const;
export const PARTIAL_KINDS = ['word', 'line'] as const;
/** `length`: the explanation stopped at inkling.explain.maxNewTokens. */
export const EXPLAIN_OUTCOMES = ['finished', 'length', 'stopped', 'failed'] as const;

export type Backend = (typeof BACKENDS)[number];
export type DtypeLabel = (typeof DTYPES)[number];
export type CompletionOrigin = (typeof COMPLETION_SOURCES)[number];
export type Trigger = (typeof TRIGGERS)[number];
export type CompletionOutcome = (typeof COMPLETION_OUTCOMES)[number];
export type PartialKind = (typeof PARTIAL_KINDS)[number];
export type ExplainOutcomeKind = (typeof EXPLAIN_OUTCOMES)[number];

/** Which model did the work. */
export interface ModelRef {
  /** The model id as configured: a repo id or a local folder. */
  model: string;
  dtype: DtypeLabel;
  backend: Backend;
}

/** One ghost text, from being shown to its end. */
export interface CompletionEvent extends ModelRef {
  kind: 'completion';
  /** When it was shown (epoch ms). */
  at: number;
  languageId: string;
  source: CompletionOrigin;
  trigger: Trigger;
  multiline: boolean;
  /**
   * From the last keystroke in the document (an edit or a cursor move, as the extension host hears of
   * it) to the ghost text: the closest an extension gets to "last keystroke to ghost text", since
   * VS Code asks the provider only after its own debounce. For Alt+\ (or a request that followed no
   * keystroke in the last few seconds) it counts from the provider call.
   */
  sinceKeystrokeMs: number;
  /** From VS Code calling the provider to the ghost text (Inkling's own debounce included). */
  providerMs: number;
  /** From the model process receiving the request to its first token; absent when nothing was generated. */
  timeToFirstTokenMs?: number;
  /** The generation's whole time in the model process; absent when nothing was generated. */
  generationMs?: number;
  promptTokens: number;
  /** Prompt tokens served from the kept KV cache instead of being recomputed. */
  reusedPromptTokens: number;
  decodedTokens: number;
  /** Tokens in the ghost text, estimated from its length (as the prompt budget is). */
  shownTokens: number;
  outcome: CompletionOutcome;
  /** How a partial acceptance was made. */
  partialBy?: PartialKind;
  /** The share of the ghost text's characters that ended up in the document, 0–1. */
  acceptedShare: number;
}

/** One explanation, from the panel opening to its end. */
export interface ExplainEvent extends ModelRef {
  kind: 'explain';
  /** When it started (epoch ms). */
  at: number;
  languageId: string;
  /** From the command to the first words in the panel; absent when none came. */
  timeToFirstTextMs?: number;
  timeToFirstTokenMs?: number;
  generationMs?: number;
  decodedTokens: number;
  outcome: ExplainOutcomeKind;
}

export type StatisticsEvent = CompletionEvent | ExplainEvent;

/** Language ids are short words ("python", "typescriptreact"); anything longer is cut. */
export const MAX_LANGUAGE_ID = 64;
/** Room for a long local model path, never for a file's worth of text. */
export const MAX_MODEL_NAME = 256;
/** Durations and token counts above this are not measurements (about 11 days in ms). */
const MAX_NUMBER = 1e9;

/** The event, rebuilt from its known fields only; undefined when it is not one of ours. */
export function eventFrom(raw: unknown): StatisticsEvent | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const at = count(r.at, Number.MAX_SAFE_INTEGER);
  const backend = oneOf(r.backend, BACKENDS);
  const dtype = oneOf(r.dtype, DTYPES);
  if (at === undefined || !backend || !dtype) return undefined;
  const base = { at, languageId: name(r.languageId, MAX_LANGUAGE_ID), model: name(r.model, MAX_MODEL_NAME), dtype, backend };
  if (r.kind === 'completion') {
    const source = oneOf(r.source, COMPLETION_SOURCES);
    const trigger = oneOf(r.trigger, TRIGGERS);
    const outcome = oneOf(r.outcome, COMPLETION_OUTCOMES);
    const sinceKeystrokeMs = count(r.sinceKeystrokeMs);
    const providerMs = count(r.providerMs);
    if (!source || !trigger || !outcome || sinceKeystrokeMs === undefined || providerMs === undefined) return undefined;
    const partialBy = outcome === 'partial' ? oneOf(r.partialBy, PARTIAL_KINDS) : undefined;
    return withoutUndefined<CompletionEvent>({
      kind: 'completion', ...base, source, trigger, multiline: r.multiline === true, sinceKeystrokeMs, providerMs,
      timeToFirstTokenMs: count(r.timeToFirstTokenMs), generationMs: count(r.generationMs),
      promptTokens: count(r.promptTokens) ?? 0, reusedPromptTokens: count(r.reusedPromptTokens) ?? 0,
      decodedTokens: count(r.decodedTokens) ?? 0, shownTokens: count(r.shownTokens) ?? 0,
      outcome, partialBy, acceptedShare: outcome === 'accepted' ? 1 : outcome === 'dismissed' ? 0 : share(r.acceptedShare),
    });
  }
  if (r.kind === 'explain') {
    const outcome = oneOf(r.outcome, EXPLAIN_OUTCOMES);
    if (!outcome) return undefined;
    return withoutUndefined<ExplainEvent>({
      kind: 'explain', ...base, timeToFirstTextMs: count(r.timeToFirstTextMs), timeToFirstTokenMs: count(r.timeToFirstTokenMs),
      generationMs: count(r.generationMs), decodedTokens: count(r.decodedTokens) ?? 0, outcome,
    });
  }
  return undefined;
}

/** A dtype from the engine as one of ours. */
export function dtypeLabel(dtype: string | undefined): DtypeLabel {
  return oneOf(dtype, DTYPES) ?? 'other';
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A non-negative measurement, rounded to whole units. */
function count(value: unknown, max = MAX_NUMBER): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max ? Math.round(value) : undefined;
}

function share(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000 : 0;
}

/** One line of text at most `max` characters long: control characters (line breaks, tabs) become spaces. */
function name(value: unknown, max: number): string {
  const flat = typeof value === 'string' ? value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim() : '';
  return flat ? flat.slice(0, max) : 'unknown';
}

function withoutUndefined<T extends object>(event: T): T {
  for (const key of Object.keys(event) as (keyof T)[]) if (event[key] === undefined) delete event[key];
  return event;
}
