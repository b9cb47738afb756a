// Blocks of C-like languages, found by matching braces outside strings and comments. Good enough to
// pick what to explain; it is not a parser (regex literals, raw strings and macros can mislead it).

export interface Block {
  /** First line, including a multi-line signature and the comments or attributes right above it. */
  startLine: number;
  endLine: number;
  /** The header's code (signature through the opening brace), for classifying the block. */
  header: string;
}

// How far below the cursor a block may open and still enclose it (cursor on a signature's first line).
const SIGNATURE_LOOKAHEAD = 20;

/** Blocks that contain `cursor`, innermost first. */
export function braceBlocks(lines: readonly string[], cursor: number, languageId: string): Block[] {
  const blocks: Block[] = [];
  for (const pair of bracePairs(lines, languageId)) {
    if (pair.close < cursor || pair.open > cursor + SIGNATURE_LOOKAHEAD || pair.open === pair.close) continue;
    const { signature, start } = headerStart(lines, pair.open);
    if (start > cursor) continue;
    blocks.push({ startLine: start, endLine: pair.close, header: lines.slice(signature, pair.open + 1).map((l) => l.trim()).join(' ') });
  }
  return blocks.sort((a, b) => b.startLine - a.startLine || a.endLine - b.endLine);
}

interface Pair { open: number; close: number }

function bracePairs(lines: readonly string[], languageId: string): Pair[] {
  const lineComments = languageId !== 'css';
  const backtickStrings = /^(javascript|typescript|javascriptreact|typescriptreact|go|vue|svelte)$/.test(languageId);
  const rustLike = languageId === 'rust';
  const pairs: Pair[] = [];
  const stack: number[] = [];
  let inBlockComment = false;
  let inBacktick = false;
  for (let ln = 0; ln < lines.length; ln++) {
    const s = lines[ln];
    let quote = ''; // ordinary strings end with their line
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      const next = s[i + 1];
      if (inBlockComment) {
        if (ch === '*' && next === '/') { inBlockComment = false; i++; }
      } else if (inBacktick) {
        if (ch === '\\') i++;
        else if (ch === '`') inBacktick = false;
      } else if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
      } else if (ch === '/' && next === '/' && lineComments) {
        break;
      } else if (ch === '/' && next === '*') {
        inBlockComment = true;
        i++;
      } else if (ch === '"') {
        quote = '"';
      } else if (ch === "'") {
        // In Rust a quote usually starts a lifetime ('a), only sometimes a char literal ('{').
        if (!rustLike || next === '\\' || s[i + 2] === "'") quote = "'";
      } else if (ch === '`' && backtickStrings) {
        inBacktick = true;
      } else if (ch === '{') {
        stack.push(ln);
      } else if (ch === '}') {
        const open = stack.pop();
        if (open !== undefined) pairs.push({ open, close: ln });
      }
    }
  }
  return pairs;
}

/** Where a block's header begins: Allman braces, multi-line signatures, then comments and attributes. */
function headerStart(lines: readonly string[], open: number): { signature: number; start: number } {
  let signature = open;
  if (/^\s*\{/.test(lines[open]) && open > 0) {
    signature = open - 1;
    while (signature > 0 && lines[signature].trim() === '') signature--;
  }
  let depth = parenBalance(lines[signature]);
  while (depth > 0 && signature > 0) {
    signature--;
    depth += parenBalance(lines[signature]);
  }
  let start = signature;
  while (start > 0 && /^\s*(@|#\[|\/\/|\/\*|\*)/.test(lines[start - 1])) start--;
  return { signature, start };
}

/** Closing minus opening parentheses: positive on the last line of a signature split over lines. */
function parenBalance(line: string): number {
  let balance = 0;
  for (const ch of line) {
    if (ch === ')') balance++;
    else if (ch === '(') balance--;
  }
  return balance;
}
