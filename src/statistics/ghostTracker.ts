// Follows the ghost text shown, one at a time, to its end: accepted (Tab, or the item's command),
// partly accepted (VS Code's accept word / accept line put a piece of it in the document), or
// dismissed (it ended any other way: a request elsewhere, an edit that is not the ghost text, another
// editor). The stable API reports neither partial acceptance nor dismissal, so both are read from the
// document's edits. The ghost text is kept here, in memory, only to recognise those edits; the event
// recorded holds numbers only.
import type { CompletionEvent, PartialKind } from './statisticsEvents';

export type CompletionDraft = Omit<CompletionEvent, 'outcome' | 'partialBy' | 'acceptedShare'>;

export interface ShownGhost {
  /** Identifies the document (its URI). */
  documentKey: string;
  /** Where the ghost text starts, as a document offset. */
  offset: number;
  text: string;
  /** Characters after `offset` the item replaces (closers it retypes). */
  replaceLength: number;
  draft: CompletionDraft;
}

/** One content change of a document: `removed` characters at `offset` replaced by `inserted`. */
export interface DocumentEdit {
  offset: number;
  removed: number;
  inserted: string;
}

interface Pending {
  id: number;
  ghost: ShownGhost;
  /** Characters of the ghost text now in the document, from its start. */
  consumed: number;
  /** Set once an accept gesture (not plain typing) took a piece of it. */
  partialBy: PartialKind | undefined;
}

/** How long an ended ghost text waits for its acceptance command before it is recorded as it ended. */
const COMMAND_GRACE_MS = 500;

export class GhostTracker {
  private pending: Pending | undefined;
  /** Ended, not yet recorded: the item's command may still arrive and say it was accepted. */
  private held: { id: number; event: CompletionEvent; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;

  constructor(private readonly record: (event: CompletionEvent) => void) {}

  /**
   * The id of the ghost text now shown: the same one when this continues the one pending, or grows it
   * (a preview's first lines became the whole completion, which keeps the preview's timing).
   */
  shown(ghost: ShownGhost): number {
    const p = this.pending;
    if (p && p.ghost.documentKey === ghost.documentKey && ghost.offset === anchorOf(p) && ghost.text.startsWith(remainingOf(p))) {
      if (ghost.text !== remainingOf(p)) {
        const { multiline, shownTokens } = ghost.draft;
        p.ghost = { ...p.ghost, text: p.ghost.text.slice(0, p.consumed) + ghost.text, replaceLength: ghost.replaceLength, draft: { ...p.ghost.draft, multiline, shownTokens } };
      }
      return p.id;
    }
    this.end();
    this.pending = { id: this.nextId++, ghost, consumed: 0, partialBy: undefined };
    return this.pending.id;
  }

  /** A new request: the ghost text pending ends unless the request is at its place. */
  requested(documentKey: string, offset: number): void {
    const p = this.pending;
    if (p && (p.ghost.documentKey !== documentKey || offset !== anchorOf(p))) this.end();
  }

  edited(documentKey: string, edits: readonly DocumentEdit[]): void {
    const p = this.pending;
    if (!p || p.ghost.documentKey !== documentKey || edits.length === 0) return;
    const edit = edits.length === 1 ? edits[0]! : undefined;
    const remaining = remainingOf(p);
    if (!edit || edit.offset !== anchorOf(p) || !edit.inserted || !remaining.startsWith(edit.inserted)) return this.end();
    if (edit.inserted === remaining) {
      // All of it: Tab, or the last piece by accept word/line. Its replace range may go with it.
      if (edit.removed > p.ghost.replaceLength) return this.end();
      p.consumed = p.ghost.text.length;
      return this.end('accepted');
    }
    if (edit.removed > 0) return this.end();
    p.consumed += edit.inserted.length;
    // One character is the user typing along (the ghost text stays); more is an accept gesture.
    if (edit.inserted.length > 1 || edit.inserted === '\n') {
      const rest = remainingOf(p);
      p.partialBy = /[\r\n]$/.test(edit.inserted) || rest === '' || /^[\r\n]/.test(rest) ? 'line' : 'word';
    }
  }

  /** The item's command ran: VS Code inserted the whole ghost text. */
  accepted(id: number): void {
    if (this.pending?.id === id) {
      this.pending.consumed = this.pending.ghost.text.length;
      this.end('accepted');
    } else if (this.held?.id === id) {
      Object.assign(this.held.event, { outcome: 'accepted', acceptedShare: 1 });
      delete this.held.event.partialBy;
    }
  }

  /** The editor lost the ghost text (another editor, a closed document): it ends now. */
  leave(): void {
    this.end();
  }

  /** Ends and records everything now (on dispose, or before reading the numbers). */
  flush(): void {
    this.end();
    this.release();
  }

  private end(outcome?: 'accepted'): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const share = p.ghost.text.length ? Math.min(1, p.consumed / p.ghost.text.length) : 0;
    const event: CompletionEvent = outcome === 'accepted'
      ? { ...p.ghost.draft, outcome: 'accepted', acceptedShare: 1 }
      : p.partialBy
        ? { ...p.ghost.draft, outcome: 'partial', partialBy: p.partialBy, acceptedShare: share }
        : { ...p.ghost.draft, outcome: 'dismissed', acceptedShare: 0 };
    this.release();
    if (outcome === 'accepted') return this.record(event);
    const timer = setTimeout(() => this.release(), COMMAND_GRACE_MS);
    timer.unref?.();
    this.held = { id: p.id, event, timer };
  }

  private release(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearTimeout(held.timer);
    this.record(held.event);
  }
}

function anchorOf(p: Pending): number {
  return p.ghost.offset + p.consumed;
}

function remainingOf(p: Pending): string {
  return p.ghost.text.slice(p.consumed);
}
