// Plays a typing trace into the completion service in real time, as VS Code drives the inline
// provider: every keystroke cancels the previous request and makes a new automatic one; a request
// that answers while its keystroke is still the latest has shown its ghost text.
//
// Two ways to take a pause: 'asTyped' keeps the recorded pause (a suggestion that comes later is
// never seen, and its generation is cancelled by the next keystroke), 'waiting' lets the typist wait
// for the suggestion (up to `waitCapMs`) before going on, so every pause has a time to ghost text.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CompletionService } from '../../src/completion/completionService';
import type { CompletionRequest, CompletionSource } from '../../src/completion/completionTypes';
import type { CompletionSettings } from '../../src/settings/settings';
import type { TypingDocument } from './typingDocument';
import { TypingEditor } from './typingEditor';
import { PAUSE_THRESHOLD_MS, type TypingTrace } from './typingTrace';

export type PauseMode = 'asTyped' | 'waiting';

export interface KeystrokeLog {
  index: number;
  /** When the key was pressed, ms from the start of the replay. */
  at: number;
  /** The recorded gap after it; a pause when ≥ PAUSE_THRESHOLD_MS. */
  gapAfterMs: number;
  pause: boolean;
  /** The automatic debounce the service would apply right after this key. */
  debounceMs: number;
  /** The cursor's line up to the cursor after this key. */
  linePrefix: string;
  /** When its request answered (with or without a suggestion). */
  settledAt?: number;
  /** When its suggestion showed: answered while this key was still the latest. */
  shownAt?: number;
  source?: CompletionSource;
  lines?: number;
}

export interface ReplayOptions {
  trace: TypingTrace;
  document: TypingDocument;
  service: CompletionService;
  settings: CompletionSettings;
  mode: PauseMode;
  /** In 'waiting' mode, the longest the typist waits at a pause for a suggestion. */
  waitCapMs?: number;
  /** After the last key, how long to wait for the engine to finish what it still runs. */
  drainMs?: number;
  /** The editor auto-closes brackets (typingEditor.ts). */
  autoClose?: boolean;
  /** Whether the engine still runs a generation (the replay ends when it does not, or after drainMs). */
  busy?: () => boolean;
}

export interface ReplayLog {
  mode: PauseMode;
  keystrokes: KeystrokeLog[];
  durationMs: number;
}

export const DEFAULT_WAIT_CAP_MS = 5000;

export async function replayTrace(options: ReplayOptions): Promise<ReplayLog> {
  const { trace, document, service, settings, mode } = options;
  const editor = new TypingEditor(document.before, document.after, { autoClose: options.autoClose });
  const start = performance.now();
  const clock = () => performance.now() - start;
  const logs: KeystrokeLog[] = [];
  let previous: AbortController | undefined;
  let nextAt = 0;
  for (const [index, stroke] of trace.keystrokes.entries()) {
    const wait = nextAt - clock();
    if (wait > 0) await sleep(wait);
    const at = clock();
    editor.press(stroke.key);
    previous?.abort();
    const controller = new AbortController();
    previous = controller;
    const pause = stroke.gapAfterMs >= PAUSE_THRESHOLD_MS;
    const log: KeystrokeLog = { index, at, gapAfterMs: stroke.gapAfterMs, pause, debounceMs: service.debounceMsFor(settings.debounceMs), linePrefix: editor.linePrefix };
    logs.push(log);
    const settled = service.provide(requestAt(editor, document, settings), controller.signal).then((result) => {
      log.settledAt = clock();
      if (!result || controller.signal.aborted) return;
      log.shownAt = log.settledAt;
      log.source = result.stats.source;
      log.lines = result.text.split('\n').length;
    });
    nextAt = at + stroke.gapAfterMs;
    if (mode === 'waiting' && pause) {
      await Promise.race([settled, sleep(options.waitCapMs ?? DEFAULT_WAIT_CAP_MS)]);
      nextAt = Math.max(nextAt, clock());
    }
  }
  const rest = nextAt - clock();
  if (rest > 0) await sleep(rest);
  previous?.abort();
  // Whatever the engine still runs belongs to this replay: its records come before the next one starts.
  const drainUntil = clock() + (options.drainMs ?? 10_000);
  while (options.busy?.() && clock() < drainUntil) await sleep(20);
  return { mode, keystrokes: logs, durationMs: clock() };
}

function requestAt(editor: TypingEditor, document: TypingDocument, settings: CompletionSettings): CompletionRequest {
  return {
    document: editor.text,
    offset: editor.offset,
    languageId: document.languageId,
    path: document.path,
    eol: '\n',
    indentation: { insertSpaces: true, tabSize: 2 },
    settings,
    trigger: 'automatic',
  };
}
