// The messages between the extension and the explanation webview: the one file both sides import
// (src/provider/explain/explainPanel.ts and the page script media/explain.ts). Types and a guard
// only: the page bundle must not pull in anything else.
import type { FinishReason } from '../../model/protocol';

export interface ExplainHeader {
  fileName: string;
  /** 1-based, inclusive, as shown to the user. */
  startLine: number;
  endLine: number;
  languageId: string;
}

/** Localized UI text; `{0}`, `{1}` are filled in by the webview. */
export interface ExplainStrings {
  stop: string;
  copy: string;
  insertAsComment: string;
  openLog: string;
  /** "Lines {0}–{1}". */
  lines: string;
  generating: string;
  stopped: string;
  /** "{0} tokens in {1} s". */
  doneStats: string;
  /** Added after the stats when the answer hit the token limit. */
  hitLengthLimit: string;
  /** Shown over an error message. */
  errorTitle: string;
}

export interface ExplainStats {
  generatedTokens: number;
  totalMs: number;
  finishReason: FinishReason;
}

export type ToExplainWebview =
  | { type: 'start'; header: ExplainHeader; strings: ExplainStrings }
  /** The whole accumulated answer, rendered by renderMarkdown (never raw model text). */
  | { type: 'render'; html: string }
  /** The code sent was cut to the token budget (known once the prompt is built). */
  | { type: 'truncated'; note: string; header: ExplainHeader }
  | { type: 'done'; stats: ExplainStats }
  | { type: 'error'; message: string }
  | { type: 'stopped' };

export type FromExplainWebview =
  | { type: 'ready' }
  | { type: 'stop' }
  | { type: 'copy' }
  | { type: 'insertAsComment' }
  | { type: 'openLog' };

const FROM_WEBVIEW_TYPES: ReadonlySet<string> = new Set<FromExplainWebview['type']>(['ready', 'stop', 'copy', 'insertAsComment', 'openLog']);

/** Messages from a webview are checked before use: the page is a separate, less trusted context. */
export function isFromExplainWebview(message: unknown): message is FromExplainWebview {
  return typeof message === 'object' && message !== null
    && typeof (message as { type?: unknown }).type === 'string'
    && FROM_WEBVIEW_TYPES.has((message as { type: string }).type);
}
