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

/**
 * `text` as a comment in `languageId`, each line starting with `indent`. Prefers line comments;
 * a block comment's closing marker inside the text is broken up so the comment cannot end early.
 * Undefined when the language has no comments (plain text, JSON).
 */
export function formatAsComment(text: string, languageId: string, indent = ''): string | undefined {
  const syntax = commentSyntaxFor(languageId);
  if (!syntax) return undefined;
  const lines = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  if (syntax.line) {
    const marker = syntax.line;
    return lines.map((l) => (l.trim() === '' ? `${indent}${marker}` : `${indent}${marker} ${l}`)).join('\n');
  }
  const [open, close] = syntax.block ?? ['', ''];
  const broken = close.length > 1 ? `${close.slice(0, -1)} ${close.slice(-1)}` : close;
  const body = lines.map((l) => `${indent}${l.split(close).join(broken)}`.trimEnd());
  return [`${indent}${open}`, ...body, `${indent}${close}`].join('\n');
}
