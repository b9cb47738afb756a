// The stages' text becomes the editor's edit: where the rest of the line is only closers, the edit
// replaces them (keeping every one, see closerMerge); the line must come out no less balanced than it
// was, or nothing is shown.
import { balanceProblems } from './codeScanner';
import { mergeClosers, mergeClosersHow } from './closerMerge';
import { matchIndentation } from './documentFormat';
import type { FitEdit } from './fitCompletion';
import type { FitContext } from './fitContext';

export function buildEdit(text: string, context: FitContext): FitEdit | undefined {
  const { rest, lineSuffix, linePrefix, syntax, lineStart } = context;
  // Trailing line breaks are never shown; trailing spaces only where code follows (seamSpace decided).
  const completion = rest === 'end' ? text.trimEnd() : text.replace(/(?:\n[ \t]*)+$/, '');
  if (completion.trim() === '') return undefined;
  const replaceLength = rest === 'closers' ? lineSuffix.length : 0;
  const insertText = replaceLength > 0 ? mergeClosers(completion, context) : completion;
  const replaced = lineSuffix.slice(0, replaceLength);
  if (insertText === replaced) return undefined;
  const before = balanceProblems(linePrefix + lineSuffix, syntax, lineStart);
  const after = balanceProblems(linePrefix + insertText + lineSuffix.slice(replaceLength), syntax, lineStart);
  if (after > before) return undefined;
  return { insertText: matchIndentation(insertText, context.insertSpaces, context.tabSize), replaceLength };
}

/**
 * The complete lines a completion has so far, shown while the model still writes the rest: as the
 * stages shaped them, brackets left open (the rest is coming to close them). Where the rest of the
 * line is only closers (an auto-closed `)` or `}`), the lines go where the whole completion will put
 * them: over the closers where a line retypes one (`): Promise<T> {`), above them where a body goes
 * under `{‸}`; else before them, so Tab leaves the cursor inside the brackets, where the rest will
 * go (merging punctuation into lines not yet whole would misplace it). Not where code follows the
 * cursor; undefined when there is nothing to show.
 */
export function previewEdit(text: string, context: FitContext): FitEdit | undefined {
  if (context.rest === 'code') return undefined;
  const completion = text.trimEnd();
  if (completion.trim() === '') return undefined;
  const merge = context.rest === 'closers' ? mergeClosersHow(completion, context) : undefined;
  const edit = merge && merge.how !== 'other' ? { insertText: merge.text, replaceLength: context.lineSuffix.length } : { insertText: completion, replaceLength: 0 };
  return { insertText: matchIndentation(edit.insertText, context.insertSpaces, context.tabSize), replaceLength: edit.replaceLength };
}
