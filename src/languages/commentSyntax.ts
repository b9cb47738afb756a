// How to write a comment in each VS Code language id. Completion uses it for the path header and for
// snippets from other files; Explain uses it for "Insert as comment".

export interface CommentSyntax {
  line?: string;
  block?: readonly [open: string, close: string];
}

const cLike: CommentSyntax = { line: '//', block: ['/*', '*/'] };
const hash: CommentSyntax = { line: '#' };
const dashes: CommentSyntax = { line: '--' };
const xml: CommentSyntax = { block: ['<!--', '-->'] };

export const COMMENT_SYNTAX: Readonly<Record<string, CommentSyntax>> = {
  c: cLike, cpp: cLike, csharp: cLike, cuda: cLike, 'cuda-cpp': cLike, d: cLike, dart: cLike, go: cLike,
  groovy: cLike, java: cLike, javascript: cLike, javascriptreact: cLike, jsonc: cLike, kotlin: cLike,
  less: cLike, 'objective-c': cLike, 'objective-cpp': cLike, php: cLike, proto: cLike, rust: cLike,
  scala: cLike, scss: cLike, solidity: cLike, swift: cLike, typescript: cLike, typescriptreact: cLike,
  verilog: cLike, zig: { line: '//' }, fsharp: { line: '//', block: ['(*', '*)'] },
  css: { block: ['/*', '*/'] },
  python: hash, ruby: hash, perl: hash, r: hash, shellscript: hash, powershell: { line: '#', block: ['<#', '#>'] },
  yaml: hash, toml: hash, makefile: hash, dockerfile: hash, elixir: hash, julia: hash, nim: hash,
  coffeescript: hash, cmake: hash, properties: hash, ignore: hash, graphql: hash, terraform: { line: '#', block: ['/*', '*/'] },
  sql: { line: '--', block: ['/*', '*/'] }, lua: { line: '--', block: ['--[[', ']]'] }, haskell: { line: '--', block: ['{-', '-}'] },
  elm: dashes, ada: dashes, vhdl: dashes,
  clojure: { line: ';;' }, lisp: { line: ';' }, scheme: { line: ';' }, ini: { line: ';' },
  erlang: { line: '%' }, latex: { line: '%' }, tex: { line: '%' }, matlab: { line: '%' }, prolog: { line: '%' },
  bat: { line: 'REM' }, vb: { line: "'" }, fortran: { line: '!' }, 'fortran-modern': { line: '!' },
  ocaml: { block: ['(*', '*)'] },
  html: xml, xml: xml, xsl: xml, svg: xml, markdown: xml, vue: xml, svelte: xml, razor: { block: ['@*', '*@'] },
};

export function commentSyntaxFor(languageId: string): CommentSyntax | undefined {
  return COMMENT_SYNTAX[languageId];
}

/** Everything some language ends a line at: JavaScript and C# also end a `//` comment at U+2028/U+2029
 * (and C# at U+0085); editors and Python break lines at \v and \f. */
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;
/** Control characters (tab kept) and bidirectional overrides that could make a comment read differently
 * from what it is ("Trojan Source"), and stray byte-order marks. */
/** `text` split at every line break any language knows. */
export function splitLines(text: string): string[] {
  return text.split(LINE_BREAKS);
}

const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Characters that, ending a line comment, join the next line to it: the C preprocessor splices
 * `\` + newline (and the `??/` trigraph) before comments are removed, GNU make continues a comment
 * after `\`, cmd.exe continues a REM line after `^`.
 */
function continuesLine(languageId: string, syntax: CommentSyntax): RegExp | undefined {
  if (syntax.line === '//' || languageId === 'makefile') return /(\\|\?\?\/)\s*$/;
  if (languageId === 'bat') return /\^\s*$/;
  return undefined;
}

/** Java (and Scala 2) turn `\u000a` into a real line break before lexing, even inside comments. */
const UNICODE_ESCAPES = new Set(['java', 'scala']);

/**
 * `text` as a comment in `languageId`, each line starting with `indent`, that nothing in the text can
 * end early: every kind of line break starts a new comment line, controls and bidi overrides are
 * dropped, a line never ends in a continuation character, and block-comment markers inside the text
 * (closers, and openers that nest) are broken up. Prefers line comments.
 * Undefined when the language has no comments (plain text, JSON).
 */
export function formatAsComment(text: string, languageId: string, indent = ''): string | undefined {
  const syntax = commentSyntaxFor(languageId);
  if (!syntax) return undefined;
  let clean = text.replace(INVISIBLE, '');
  if (UNICODE_ESCAPES.has(languageId)) clean = clean.replace(/\\(u+[0-9a-fA-F]{4})/g, '\\ $1');
  const lines = splitLines(clean);
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (syntax.line) {
    const marker = syntax.line;
    const continuation = continuesLine(languageId, syntax);
    // A mark after the continuation character keeps the next line of the user's code out of the comment.
    // (GCC splices even with spaces between the backslash and the line break.)
    const guard = (l: string) => (continuation?.test(l) ? `${l.trimEnd()}.` : l);
    return lines.map((l) => (l.trim() === '' ? `${indent}${marker}` : `${indent}${marker} ${guard(l)}`)).join('\n');
  }
  const [open, close] = syntax.block ?? ['', ''];
  const body = lines.map((l) => `${indent}${breakMarkers(l, open, close, languageId)}`.trimEnd());
  return [`${indent}${open}`, ...body, `${indent}${close}`].join('\n');
}

/** The text with no closer (which would end the comment) and no opener (which nests in OCaml) left whole. */
function breakMarkers(line: string, open: string, close: string, languageId: string): string {
  let out = line;
  // XML forbids "--" anywhere in a comment; HTML ends one at "-->" or "--!>".
  if (open === '<!--') out = out.replace(/--/g, '- -').replace(/--/g, '- -');
  for (const marker of [close, open]) {
    if (marker.length > 1) out = out.split(marker).join(`${marker.slice(0, -1)} ${marker.slice(-1)}`);
  }
  // OCaml reads string literals inside comments: an odd quote would swallow the rest of the file.
  if (languageId === 'ocaml') out = out.replace(/"/g, "'");
  return out;
}
