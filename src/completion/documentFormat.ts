// A completion in the document's own style: its tabs-or-spaces choice for indentation, and its line ends.
import { indentWidth, leadingSpace } from './lineShape';

/**
 * Re-indents every line after the first with tabs or spaces as the document does (the first line
 * continues the cursor's line, so its leading space is not indentation).
 */
export function matchIndentation(text: string, insertSpaces: boolean, tabSize: number): string {
  const size = Math.max(1, tabSize);
  return text.split('\n').map((line, i) => {
    const indent = leadingSpace(line);
    if (!indent || i === 0) return line;
    const width = indentWidth(indent, size);
    const fixed = insertSpaces ? ' '.repeat(width) : '\t'.repeat(Math.floor(width / size)) + ' '.repeat(width % size);
    return fixed + line.slice(indent.length);
  }).join('\n');
}

export function withLineEnds(text: string, eol: '\n' | '\r\n'): string {
  return eol === '\n' ? text : text.split('\n').join(eol);
}
