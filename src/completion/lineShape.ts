// What a line of code looks like from the outside: its indentation, whether it opens a block, whether
// it only closes one. Completion uses these to decide how far a multi-line suggestion may reach.

const OPENER = /(?:[{([]|=>|->|\b(?:then|do|else|begin))$/;
const SWITCH_LABEL = /^\s*(?:case\b.*|default)\s*:$/;
const COLON_BLOCK_LANGUAGES = new Set(['python', 'yaml', 'nim', 'coffeescript', 'cython', 'gdscript']);
/** Lines that end a block without brackets: Ruby/Lua `end`, shell `fi`/`done`/`esac`, VB-style `end if`. */
const KEYWORD_CLOSER = /^(?:end(?:[\s;,)]*|\s+(?:if|loop|case|while|for|function|sub|select|module|class|do)\b.*)|fi|done|esac|endif|endfunction|endwhile|endfor)$/i;
const BRACKET_CLOSER_LINE = /^[)\]}]+[)\]};,]*$/;
const TAG_CLOSER_LINE = /^<\/[\w.:-]*>[);,]*$|^\/?>[);,]*$/;

/** Leading whitespace width, a tab counting as `tabSize`. */
export function indentWidth(line: string, tabSize: number): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += tabSize;
    else break;
  }
  return width;
}

export function leadingSpace(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** The line ends where a block begins: `{`, `(`, `[`, `=>`, `then`/`do`, or a colon where colons open blocks. */
export function endsWithOpener(line: string, languageId: string): boolean {
  const text = line.trimEnd();
  if (OPENER.test(text)) return true;
  if (!text.endsWith(':') || text.endsWith('::')) return false;
  return COLON_BLOCK_LANGUAGES.has(languageId) || SWITCH_LABEL.test(text);
}

/** A line that only closes something: `}`, `});`, `]`, `end`, `</div>`, `/>`. */
export function isCloserLine(line: string): boolean {
  const text = line.trim();
  return text !== '' && (BRACKET_CLOSER_LINE.test(text) || KEYWORD_CLOSER.test(text) || TAG_CLOSER_LINE.test(text));
}

/** A line that starts by closing something (`}`, `} else {`, `end`, `</ul>`): it can end a block. */
export function startsWithCloser(line: string): boolean {
  const text = line.trim();
  return /^[)\]}]/.test(text) || /^<\//.test(text) || KEYWORD_CLOSER.test(text);
}

/** For comparing a line with another the document has: indentation and a trailing `;` or `,` do not count. */
export function looseLine(line: string): string {
  return line.trim().replace(/[;,]+$/, '').trimEnd();
}
