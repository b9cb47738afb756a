// With nothing selected, "Explain" explains the code around the cursor: the innermost enclosing
// definition (function, method, class, CSS rule…) rather than an `if` or an object literal inside it,
// and the cursor line when no block encloses it or every block is too long.
import { braceBlocks, type Block } from './braceBlocks';
import { indentBlocks } from './indentBlocks';

export interface EnclosingBlockInput {
  lines: readonly string[];
  /** The cursor's line, 0-based. */
  line: number;
  languageId: string;
  /** Longer blocks are passed over; default 300. */
  maxLines?: number;
}

/** A 0-based, inclusive line range. */
export interface LineRange { startLine: number; endLine: number; kind: 'block' | 'line' }

const BRACE_LANGUAGES = new Set([
  'c', 'cpp', 'csharp', 'cuda-cpp', 'objective-c', 'objective-cpp', 'java', 'javascript', 'javascriptreact',
  'typescript', 'typescriptreact', 'go', 'rust', 'php', 'swift', 'kotlin', 'scala', 'dart', 'groovy', 'zig',
  'css', 'scss', 'less', 'json', 'jsonc', 'hlsl', 'glsl', 'shaderlab', 'solidity', 'vue', 'svelte',
]);

const CONTROL_FLOW = /^(\}\s*)?(else|elif|if|for|foreach|while|do|switch|case|default|try|catch|except|finally|with|loop|match|select|unless|until|when|begin|rescue|ensure|lock|synchronized|using|unsafe|async\s+(for|with))\b/;
// An object or array literal, or an argument: `x = {`, `key: {`, `f({`, `return {`.
const EXPRESSION_OPENER = /(=|:|\(|\[|,|\?|\breturn)\s*\{$/;
const INDENT_DEFINITION = /^(async\s+)?(def|class|function|local\s+function|module|fn|func|proc|sub|defp?|defmodule|interface|struct|impl)\b/;

export function findEnclosingBlock(input: EnclosingBlockInput): LineRange {
  const { lines, languageId } = input;
  const line = Math.max(0, Math.min(input.line, lines.length - 1));
  const maxLines = input.maxLines ?? 300;
  const braces = BRACE_LANGUAGES.has(languageId);
  const chain = braces ? braceBlocks(lines, line, languageId) : indentBlocks(lines, line, languageId);
  const fitting = chain.filter((b) => b.endLine - b.startLine + 1 <= maxLines);
  const isDefinition = braces ? isBraceDefinition : (b: Block) => INDENT_DEFINITION.test(b.header);
  // No definition around the cursor (a script's top level): take the whole top-level statement.
  const chosen = fitting.find(isDefinition) ?? fitting[fitting.length - 1];
  return chosen ? { startLine: chosen.startLine, endLine: chosen.endLine, kind: 'block' } : { startLine: line, endLine: line, kind: 'line' };
}

function isBraceDefinition(block: Block): boolean {
  const header = block.header.replace(/\s*\/\/.*$/, '');
  return !CONTROL_FLOW.test(header) && !EXPRESSION_OPENER.test(header);
}
