// The stages' text becomes the editor's edit: where the rest of the line is only closers, the edit
// replaces them (keeping every one, see closerMerge); the line must come out no less balanced than it
// was, or nothing is shown.
import { balanceProblems } from './codeScanner';
import { mergeClosers } from './closerMerge';
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
 * stages shaped them, brackets left open (the rest is coming to close them). Only where nothing
 * follows the cursor on its line; undefined when there is nothing to show.
 */
export function previewEdit(text: string, context: FitContext): FitEdit | undefined {
  if (context.rest !== 'end') return undefined;
  const completion = text.trimEnd();
  if (completion.trim() === '') return undefined;
  return { insertText: matchIndentation(completion, context.insertSpaces, context.tabSize), replaceLength: 0 };
}
