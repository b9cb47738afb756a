// "Insert as comment": the explanation's markdown as a comment block to put above the selection, in
// the language's comment syntax (the completion pipeline's table), indented like the selection.
// Code fences lose their ``` lines and prose is wrapped, so the comment reads well in an editor.
import { commentSyntaxFor, formatAsComment, splitLines } from '../languages/commentSyntax';

export interface CommentOutOptions {
  languageId: string;
  /** The selection's first line's leading whitespace (see leadingIndent). */
  indent: string;
  /** The document's line ending; default '\n'. */
  eol?: '\n' | '\r\n';
  /** Wrap prose at this column, counting indent and comment marker; default 100. */
  width?: number;
}

/**
 * The comment block, ending with a line break, to insert at column 0 of the selection's first line.
 * Undefined when the language has no comment syntax (plain text, JSON).
 */
export function commentOut(markdown: string, options: CommentOutOptions): string | undefined {
  const syntax = commentSyntaxFor(options.languageId);
  if (!syntax) return undefined;
  const marker = syntax.line ?? '';
  const width = Math.max(40, (options.width ?? 100) - options.indent.length - marker.length - 1);
  const text = tidy(markdown, width);
  // The shared formatter makes it safe: no line break, control or marker in the text can end it early.
  const comment = formatAsComment(text, options.languageId, options.indent);
  if (comment === undefined) return undefined;
  const eol = options.eol ?? '\n';
  return comment.split('\n').join(eol) + eol;
}

/** The whitespace a line starts with. */
export function leadingIndent(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

function tidy(markdown: string, width: number): string {
  const out: string[] = [];
  let inFence = '';
  for (const raw of splitLines(markdown)) {
    const line = raw.trimEnd();
    const fence = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence && (!inFence || fence.startsWith(inFence))) {
      inFence = inFence ? '' : fence;
      continue;
    }
    if (inFence) out.push(`    ${line}`);
    else if (line === '' && out[out.length - 1] === '') continue;
    else out.push(...wrap(line, width));
  }
  while (out[0] === '') out.shift();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** Greedy word wrap; list items and indented lines keep their hanging indent. */
function wrap(line: string, width: number): string[] {
  if (line.length <= width || !line.includes(' ')) return [line];
  const hanging = ' '.repeat(/^\s*([-*+]|\d+[.)])?\s*/.exec(line)?.[0].length ?? 0);
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(/(?<=\S) +/)) {
    if (current && current.length + 1 + word.trimStart().length > width) {
      lines.push(current);
      current = hanging + word.trimStart();
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines;
}
