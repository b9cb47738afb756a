// What the VS Code glue hands the completion service, and what it gets back.
import type { CompletionSettings } from '../settings/settings';
import type { TextView } from './cursorContext';
import type { OpenDocument } from './snippets';
import type { TemplateId } from './templates';

export interface CompletionRequest {
  /** The document: its text, or a view that reads ranges lazily (only a window is ever read). */
  document: TextView;
  /** Cursor offset in the document's own text (CRLF counts two). */
  offset: number;
  languageId: string;
  /** Workspace-relative path ('' for untitled documents). */
  path: string;
  eol: '\n' | '\r\n';
  indentation: { insertSpaces: boolean; tabSize: number };
  /** Other open editors, searched for similar code when settings.useOpenEditors is on. */
  openDocuments?: readonly OpenDocument[];
  settings: CompletionSettings;
  /** Explicit requests (the user asked) skip the debounce and the per-language switch. */
  trigger: 'automatic' | 'explicit';
}

export type CompletionSource = 'generated' | 'cache' | 'typedAhead' | 'inflight';

export interface CompletionStats {
  source: CompletionSource;
  mode: 'single' | 'multi';
  template: TemplateId;
  /** Prompt size: the engine's count when this request ran the model, else the estimate. */
  promptTokens: number;
  generatedTokens: number;
  /** Prompt tokens the engine served from its kept KV cache (when this request ran the model). */
  reusedPromptTokens?: number;
  /** The generation's whole time in the model process (when this request ran or joined it). */
  generationMs?: number;
  /** Tokens in the text shown, estimated by the token counter (decoded minus shown: the work cut away). */
  shownTokens: number;
  /** From provide() being called to the result. */
  latencyMs: number;
  timeToFirstTokenMs?: number;
  snippets: number;
  /** Reading the window around the cursor and the checks before any model work. */
  contextMs?: number;
  /** The complete lines so far of a completion the model still writes (the whole one follows). */
  preview?: boolean;
  /** The debounce this request waited. */
  debounceMs?: number;
  /** Snippets from other editors and the prompt under the budget. */
  promptMs?: number;
}

export interface CompletionResult {
  /** Text to insert, in the document's line ends and indentation style. */
  text: string;
  /** Insert at `offset`, replacing the `replaceLength` characters after it (closers on the cursor's line). */
  offset: number;
  replaceLength: number;
  fromCache: boolean;
  stats: CompletionStats;
}

export interface CompletionCounters {
  /** Calls to generator.generate. */
  generationsStarted: number;
  /** Generations started and neither finished nor cancelled. */
  inFlight: number;
  cacheHits: number;
  typedAheadHits: number;
  inflightReuses: number;
  /** Generations cancelled because a newer request could not use them. */
  superseded: number;
  /** Requests answered with nothing before any model work (disabled, binary, mid-line, …). */
  skipped: number;
  /** Prompt windows computed ahead while the model was idle (windowAhead.ts). */
  windowsMovedAhead: number;
}
