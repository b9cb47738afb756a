// Typing at one place without recomputing the suffix. A fill-in-the-middle prompt in prefix-first
// order (`<prefix>…<suffix>…<middle>`) changes in its prefix at every keystroke, so the model process
// recomputes the suffix after it each time (~56 tokens a keystroke here; 200–300 ms in a busy editor).
// But the text typed since the last prompt is just the start of the middle: appended after the
// middle marker, it asks the model the same question — what goes between this prefix and this
// suffix, given that it starts so — and only the typed tokens are new to the kept cache. After a
// few lines of typing, or when anything else changed, the next prompt is built afresh.
import { autoClosedSplits } from './autoClosed';
import type { CursorContext } from './cursorContext';
import type { BuiltPrompt } from './promptBuilder';
import type { PromptTemplate } from './templates';

/**
 * Characters typed after an anchor before a prompt is built afresh (a few lines of code). The
 * question stays the same however long the typed start of the middle is, and the budget check
 * below keeps the prompt in bounds; a rebuild costs a keystroke the whole suffix (measured in the
 * editor: 256 against 64 gave ghost text in 33–36 against 30–36 of 40 pauses, p95 648–793 against
 * 792–858 ms; bench/README.md).
 */
export const MAX_TYPED_MIDDLE_CHARS = 256;

/** A prompt built at one place, which typing right after it may extend. */
export interface MiddleAnchor {
  path: string;
  contextKey: string;
  offset: number;
  /** The cursor context the prompt was built from. */
  before: string;
  after: string;
  prompt: string;
  /** The prompt's size by the builder's counter (an upper bound). */
  tokens: number;
}

export interface TypedMiddlePlace {
  path: string;
  contextKey: string;
  offset: number;
  context: CursorContext;
  /** The most prompt tokens allowed. */
  budget: number;
}

/**
 * Whether the template's prompt ends where the middle begins: prefix first, and after the suffix
 * only a marker written without spaces (Code Llama's ` <MID>` carries a space whose tokenization
 * against the middle's first word is its own business, so it is left alone).
 */
export function middleComesLast(template: PromptTemplate, built: Pick<BuiltPrompt, 'suffixFirst'>): boolean {
  if (!template.infill || built.suffixFirst) return false;
  const parts = template.pattern.split(/(\{prefix\}|\{suffix\})/);
  const lastPlaceholder = parts.filter((p) => p === '{prefix}' || p === '{suffix}').at(-1);
  const tail = parts.at(-1) ?? '';
  return lastPlaceholder === '{suffix}' && tail.length > 0 && !/\s/.test(tail);
}

/**
 * The anchor's prompt with the text typed since appended to its middle, when that is all that
 * changed: same document and settings, the cursor further on by at most MAX_TYPED_MIDDLE_CHARS, the
 * text before it the anchor's plus what was typed, the text after it unchanged but for closers the
 * editor added for brackets and quotes typed since, no `<` typed (which could spell a special token),
 * and the prompt still within the budget (a character is at least a token's worth).
 * `pastAutoClosed` false (benchmarks only) treats any added closer as a change.
 */
export function typedMiddlePrompt(anchor: MiddleAnchor | undefined, place: TypedMiddlePlace, pastAutoClosed = true, why: (reason: string) => void = () => undefined): string | undefined {
  const no = (reason: string): undefined => {
    why(reason);
    return undefined;
  };
  if (!anchor) return no('no prompt to extend');
  if (anchor.path !== place.path || anchor.contextKey !== place.contextKey) return no('another file or settings');
  const typedLength = place.offset - anchor.offset;
  if (typedLength <= 0) return no('the cursor is not further on');
  if (typedLength > MAX_TYPED_MIDDLE_CHARS) return no(`over ${MAX_TYPED_MIDDLE_CHARS} characters typed`);
  // A character is at least a token's worth. Counting as the builder does (about 3.5 characters a
  // token) ends typed middles at the window's end instead, which then moves at a keystroke unless
  // moved ahead: tried, no gain in the editor (bench/README.md).
  if (anchor.tokens + typedLength > place.budget) return no('the budget is reached');
  const { before, after } = place.context;
  if (before.length < typedLength) return no('the window is shorter than the text typed');
  const typed = before.slice(before.length - typedLength);
  if (!afterUnchangedButAutoClosed(after, anchor.after, pastAutoClosed ? typed : '')) return no('the text after the cursor changed');
  // The builder breaks up special tokens in the user's text; rather than do that here, build afresh.
  if (typed.includes('<')) return no('"<" typed');
  // `before` is a window that may start later than the anchor's: what it holds must match.
  if (!(anchor.before + typed).endsWith(before)) return no('the text before the cursor changed');
  return anchor.prompt + typed;
}

/**
 * The text after the cursor is the anchor's, or the anchor's behind closers the editor added for
 * what was typed (`(` typed, `)` added; `{` and Enter, `}` on a line below). The model is asked as
 * if they were not there — an auto-closed closer says nothing its opener does not — and the fit
 * stages replace or keep them (closerMerge.ts). Both texts are windows of one size where the
 * document runs on past them.
 */
function afterUnchangedButAutoClosed(after: string, anchorAfter: string, typed: string): boolean {
  return autoClosedSplits(after, typed).some((added) => {
    const rest = after.slice(added);
    return rest === anchorAfter || (after.length === anchorAfter.length && anchorAfter.startsWith(rest));
  });
}
