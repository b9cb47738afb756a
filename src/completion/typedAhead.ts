// "The user typed what we suggested": a position extends an earlier one by a prefix of that earlier
// completion, with the same text around it. Shared by the cache and the in-flight generation reuse.
import { autoClosedSplits, closersLeftOpen } from './autoClosed';
import type { FitEdit } from './fitCompletion';

/** Where a completion was asked for, with enough surrounding text to recognise the spot later. */
export interface Anchor {
  /** Everything besides the position that shapes the output (model, template, sampling, settings). */
  contextKey: string;
  path: string;
  /** Document offset (in the document's own line ends). */
  offset: number;
  /** The last ANCHOR_CHARS of text before the cursor, '\n' line ends. */
  prefixTail: string;
  /** The first ANCHOR_CHARS of text after the cursor, '\n' line ends. */
  suffixHead: string;
}

export interface Position {
  contextKey: string;
  path: string;
  offset: number;
  /** Text before and after the cursor ('\n' line ends); at least ANCHOR_CHARS each unless the document ends. */
  before: string;
  after: string;
  /** 2 in CRLF documents: a typed line break moves the offset by two. */
  eolLength: 1 | 2;
}

export const ANCHOR_CHARS = 256;

export function anchorAt(position: Position): Anchor {
  return {
    contextKey: position.contextKey,
    path: position.path,
    offset: position.offset,
    prefixTail: position.before.slice(-ANCHOR_CHARS),
    suffixHead: position.after.slice(0, ANCHOR_CHARS),
  };
}

export interface Typed {
  /** The start of the candidate the user has typed since the anchor ('' at the same spot). */
  typed: string;
  /** How many of the characters after the anchor the typing went over (an auto-closed `)` typed over). */
  overtyped: number;
  /** What the editor added after the cursor for brackets the typing opened (autoClosed.ts), '\n' line ends. */
  autoClosed: string;
}

/**
 * What was typed since `anchor`, when `position` is the anchor plus a prefix of `candidate` with the text
 * after it unchanged, or with up to `replaceLength` of its first characters typed over (VS Code moves
 * past an auto-closed closer instead of inserting another), or behind closers the editor auto-closed
 * for brackets the typing opened — where the candidate closes them itself, so its rest replaces
 * them; undefined otherwise. `pastAutoClosed` false (benchmarks only) treats those as a change.
 */
export function typedSince(anchor: Anchor, position: Position, candidate: string, replaceLength = 0, pastAutoClosed = true): Typed | undefined {
  if (anchor.contextKey !== position.contextKey || anchor.path !== position.path) return undefined;
  const delta = position.offset - anchor.offset;
  if (delta < 0) return undefined;
  let raw = 0;
  let typedLength = 0;
  while (raw < delta && typedLength < candidate.length) {
    raw += candidate[typedLength] === '\n' ? position.eolLength : 1;
    typedLength++;
  }
  if (raw !== delta) return undefined;
  const typed = candidate.slice(0, typedLength);
  if (!position.before.endsWith(anchor.prefixTail + typed)) return undefined;
  const splits = pastAutoClosed && closersLeftOpen(candidate) === '' ? autoClosedSplits(position.after, typed) : [0];
  for (let over = 0; over <= (typed ? replaceLength : 0); over++) {
    for (const split of splits) {
      const added = position.after.slice(0, split);
      // VS Code shows a suggestion over a range on one line only: closers Enter moved below stay, and
      // the rest stops where it writes them itself (the block's end).
      if (added.includes('\n') && (replaceLength > over || !candidate.slice(typedLength).includes(added))) continue;
      if (afterUnchanged(anchor, position.after.slice(split), over)) return { typed, overtyped: over, autoClosed: added };
    }
  }
  return undefined;
}

/**
 * The text after the cursor is the anchor's less the `over` characters typed over, compared over the
 * anchor's whole window: where the anchor saw the document end, a closer the editor has since added
 * that the typing did not open is a change, not a longer document.
 */
function afterUnchanged(anchor: Anchor, after: string, over: number): boolean {
  return after.slice(0, ANCHOR_CHARS - over) === anchor.suffixHead.slice(over);
}

/** What is left of `edit` once `typed` of it has been typed: over the closers the editor added, or up to those it moved to lines below. */
export function untypedRest(edit: FitEdit, typed: Typed): FitEdit {
  const rest = edit.insertText.slice(typed.typed.length);
  const { autoClosed } = typed;
  if (autoClosed.includes('\n')) return { insertText: rest.slice(0, rest.indexOf(autoClosed)), replaceLength: edit.replaceLength - typed.overtyped };
  return { insertText: rest, replaceLength: edit.replaceLength - typed.overtyped + autoClosed.length };
}
