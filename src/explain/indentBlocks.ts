// Blocks of indentation languages (Python, YAML, Ruby-ish): a header is a line followed by deeper
// lines. Blank lines, comment lines and the continuation lines of a bracketed or triple-quoted
// statement do not count as indentation, or a multi-line signature would end its own block.
import type { Block } from './braceBlocks';

const LINE_COMMENT: Readonly<Record<string, string>> = {
  lua: '--', sql: '--', haskell: '--', elm: '--', erlang: '%', latex: '%', matlab: '%', clojure: ';', ini: ';',
};

type LineKind = 'code' | 'continuation' | 'blank';

/** Blocks that contain `cursor`, innermost first. */
export function indentBlocks(lines: readonly string[], cursor: number, languageId: string): Block[] {
  const comment = LINE_COMMENT[languageId] ?? '#';
  const kinds = classifyLines(lines, comment, languageId === 'python');
  const indent = lines.map(indentOf);
  let anchor = statementAt(kinds, cursor);
  if (anchor < 0) return [];
  // A decorator belongs to the definition below it.
  while (lines[anchor].trim().startsWith('@')) {
    const below = nextCode(kinds, anchor + 1);
    if (below < 0 || indent[below] !== indent[anchor]) break;
    anchor = below;
  }
  const blocks: Block[] = [];
  const next = nextCode(kinds, anchor + 1);
  if (next >= 0 && indent[next] > indent[anchor]) blocks.push(blockOf(lines, kinds, indent, anchor, comment));
  let level = indent[anchor];
  for (let i = anchor - 1; i >= 0 && level > 0; i--) {
    if (kinds[i] === 'code' && indent[i] < level) {
      blocks.push(blockOf(lines, kinds, indent, i, comment));
      level = indent[i];
    }
  }
  return blocks;
}

function blockOf(lines: readonly string[], kinds: LineKind[], indent: number[], header: number, comment: string): Block {
  let end = header;
  let j = header + 1;
  for (; j < lines.length; j++) {
    if (kinds[j] === 'code' && indent[j] <= indent[header]) break;
    if (kinds[j] !== 'blank') end = j;
  }
  // Ruby/Lua close a block with `end` at the header's indentation.
  if (j < lines.length && indent[j] === indent[header] && /^\s*(end\b|[}\])])/.test(lines[j])) end = j;
  let start = header;
  const attached = (line: string) => line.trim().startsWith('@') || line.trim().startsWith(comment);
  while (start > 0 && indent[start - 1] === indent[header] && attached(lines[start - 1])) start--;
  return { startLine: start, endLine: end, header: lines[header].trim() };
}

function classifyLines(lines: readonly string[], comment: string, tripleQuotes: boolean): LineKind[] {
  const kinds: LineKind[] = [];
  let depth = 0;
  let triple = '';
  let backslash = false;
  for (const s of lines) {
    const trimmed = s.trim();
    if (depth > 0 || triple || backslash) kinds.push('continuation');
    else kinds.push(trimmed === '' || trimmed.startsWith(comment) ? 'blank' : 'code');
    let quote = '';
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (triple) {
        if (s.startsWith(triple, i)) { triple = ''; i += 2; }
      } else if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
      } else if (s.startsWith(comment, i)) {
        break;
      } else if (tripleQuotes && (s.startsWith('"""', i) || s.startsWith("'''", i))) {
        triple = s.slice(i, i + 3);
        i += 2;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else if ('([{'.includes(ch)) {
        depth++;
      } else if (')]}'.includes(ch)) {
        depth = Math.max(0, depth - 1);
      }
    }
    backslash = !triple && trimmed.endsWith('\\');
  }
  return kinds;
}

/** The code line that starts the statement under the cursor (the nearest one above a blank line). */
function statementAt(kinds: LineKind[], cursor: number): number {
  for (let i = Math.min(cursor, kinds.length - 1); i >= 0; i--) if (kinds[i] === 'code') return i;
  return nextCode(kinds, cursor);
}

function nextCode(kinds: LineKind[], from: number): number {
  for (let i = Math.max(0, from); i < kinds.length; i++) if (kinds[i] === 'code') return i;
  return -1;
}

function indentOf(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += 4;
    else break;
  }
  return width;
}
