// Editor-style positions in plain text: 1-based lines and columns (UTF-16 units, as VS Code counts),
// and the indentation VS Code would detect, so the CLI sees a file as the editor does.

export function offsetAt(text: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', start);
    if (next < 0) throw new RangeError(`line ${line} is past the end of the file (${l} lines)`);
    start = next + 1;
  }
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text[end - 1] === '\r') end--;
  if (column - 1 > end - start) throw new RangeError(`column ${column} is past the end of line ${line} (${end - start} characters)`);
  return start + column - 1;
}

/** Tabs when more indented lines start with a tab than with spaces; else spaces, width 4 or 2. */
export function detectIndentation(text: string): { insertSpaces: boolean; tabSize: number } {
  let tabs = 0;
  let spaces = 0;
  let two = 0;
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  for (const line of sample.split('\n')) {
    if (line.startsWith('\t')) tabs++;
    else if (line.startsWith('  ')) {
      spaces++;
      const width = line.length - line.trimStart().length;
      if (width % 4 !== 0 && width % 2 === 0) two++;
    }
  }
  if (tabs > spaces) return { insertSpaces: false, tabSize: 4 };
  return { insertSpaces: true, tabSize: two > spaces / 2 && two > 0 ? 2 : 4 };
}
