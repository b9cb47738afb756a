import * as assert from 'node:assert/strict';
import type { TextView } from '../../../src/completion/cursorContext';
import { readCursorContext, windowCharsFor } from '../../../src/completion/cursorContext';
import { buildPrompt } from '../../../src/completion/promptBuilder';
import type { Snippet } from '../../../src/completion/snippets';
import { TEMPLATES } from '../../../src/completion/templates';
import type { PromptTemplate } from '../../../src/completion/templates';
import { estimateTokens, type TokenCounter } from '../../../src/completion/tokenCounter';
import { cursorIn } from './fakes';

function promptFor(textWithCursor: string, opts: { template?: PromptTemplate; languageId?: string; path?: string; contextTokens?: number; snippets?: Snippet[]; counter?: TokenCounter } = {}) {
  const { text, offset } = cursorIn(textWithCursor);
  const contextTokens = opts.contextTokens ?? 1024;
  const context = readCursorContext(text, offset, windowCharsFor(contextTokens));
  return buildPrompt({ context, template: opts.template ?? TEMPLATES.qwen, languageId: opts.languageId ?? 'typescript', path: opts.path ?? '', contextTokens, snippets: opts.snippets, counter: opts.counter });
}

/** The extension's estimator, keeping count of how many characters it was asked to measure. */
function countingEstimator(): TokenCounter & { chars: number } {
  const counter = { chars: 0, count: (text: string) => { counter.chars += text.length; return estimateTokens.count(text); } };
  return counter;
}

/** A document of `lines` numbered lines with the cursor at the start of line `at`. */
function numbered(lines: number, at: number): string {
  const all = Array.from({ length: lines }, (_, i) => `const value${i} = compute(${i});`);
  all[at] = `‸${all[at]}`;
  return all.join('\n');
}

/** A lazy document view that records how many characters were read. */
class CountingView implements TextView {
  read = 0;
  constructor(private readonly text: string) {}
  get length(): number { return this.text.length; }
  slice(start: number, end: number): string {
    this.read += Math.max(0, end - start);
    return this.text.slice(start, end);
  }
}

describe('prompt builder', () => {
  it('writes the path as a comment header, then prefix and suffix in the template (exact prompt)', () => {
    const built = promptFor('function add(a: number, b: number) {\n  return ‸\n}\n', { path: 'src/math.ts' });
    assert.equal(built.prompt, '<|fim_prefix|>// src/math.ts\nfunction add(a: number, b: number) {\n  return <|fim_suffix|>\n}\n<|fim_middle|>');
  });

  it('uses the language\'s comment syntax for the header, and none before a shebang', () => {
    assert.equal(promptFor('x = 1‸', { languageId: 'python', path: 'a.py', template: TEMPLATES.starcoder }).prompt, '<fim_prefix># a.py\nx = 1<fim_suffix><fim_middle>');
    assert.equal(promptFor('#!/usr/bin/env python\nx = 1‸', { languageId: 'python', path: 'a.py', template: TEMPLATES.starcoder }).prompt, '<fim_prefix>#!/usr/bin/env python\nx = 1<fim_suffix><fim_middle>');
  });

  it('left-to-right prompts carry the prefix only, with the whole budget', () => {
    const built = promptFor('let a = 1;\nlet b = ‸2;\nlet c = 3;\n', { template: TEMPLATES.leftToRight });
    assert.equal(built.prompt, 'let a = 1;\nlet b = ');
    assert.equal(built.suffix, '');
  });

  it('cuts the prefix at whole lines to fit the budget and keeps the prompt under it', () => {
    const built = promptFor(numbered(2000, 1000), { contextTokens: 200 });
    assert.ok(built.tokens <= 200, `tokens ${built.tokens}`);
    assert.ok(estimateTokens.count(built.prompt) <= 200);
    assert.ok(built.prefix.startsWith('const value'), 'prefix starts at a line start');
    assert.ok(built.prefix.endsWith('\n'), 'prefix ends where the cursor line begins');
    assert.ok(built.suffix.endsWith(');'), 'suffix ends at a line end');
    assert.ok(built.prefix.length > built.suffix.length * 1.5, 'prefix gets the larger share');
  });

  it('gives the suffix budget it does not use to the prefix', () => {
    const longSuffix = promptFor(numbered(2000, 1000), { contextTokens: 300 });
    const shortSuffix = promptFor(`${numbered(2000, 1000).split('‸')[0]}‸x`, { contextTokens: 300 });
    // The suffix's share is 0.15 of the budget: an empty suffix leaves the prefix about that much more.
    assert.ok(shortSuffix.prefix.length > longSuffix.prefix.length * 1.1, `${shortSuffix.prefix.length} vs ${longSuffix.prefix.length}`);
  });

  // Bounded work is shown by what is read and counted, not by a clock (timings belong in the benchmarks).
  it('stays bounded on a 10 MB document: reads only a window and counts tokens over a bounded amount of text', () => {
    const line = 'export const answer = compute(the, question, of, life);\n';
    const view = new CountingView(line.repeat(Math.ceil(10_000_000 / line.length)));
    const offset = Math.floor(view.length / 2) - (Math.floor(view.length / 2) % line.length);
    const counter = countingEstimator();
    const context = readCursorContext(view, offset, windowCharsFor(1024));
    const built = buildPrompt({ context, template: TEMPLATES.qwen, languageId: 'typescript', path: 'big.ts', contextTokens: 1024, counter });
    assert.ok(view.read <= 2 * windowCharsFor(1024) + 2, `read ${view.read} chars`);
    assert.ok(counter.chars <= 20 * windowCharsFor(1024), `counted ${counter.chars} chars`);
    assert.ok(built.tokens <= 1024);
  });

  it('cuts a 50,000-character line mid-line at the budget, counting tokens over a bounded amount of text', () => {
    const monster = 'x'.repeat(25_000) + '‸' + 'y'.repeat(25_000);
    const counter = countingEstimator();
    const built = promptFor(`a = 1\n${monster}\nb = 2\n`, { contextTokens: 256, languageId: 'python', counter });
    assert.ok(counter.chars <= 40 * windowCharsFor(256), `counted ${counter.chars} chars`);
    assert.ok(built.tokens <= 256);
    assert.match(built.prefix, /^x+$/);
    assert.match(built.suffix, /^y+$/);
    assert.ok(built.prompt.length < 256 * 4);
  });

  it('never uses a line cut in half by the read window', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, '0')}${'-'.repeat(97)}`);
    const { text, offset } = cursorIn(`${lines.slice(0, 10).join('\n')}\n‸${lines.slice(10).join('\n')}`);
    const context = readCursorContext(text, offset, 250);
    const built = buildPrompt({ context, template: TEMPLATES.qwen, languageId: 'typescript', path: '', contextTokens: 4096 });
    assert.equal(built.prefix, `${lines[8]}\n${lines[9]}\n`);
    assert.equal(built.suffix, `${lines[10]}\n${lines[11]}`);
  });

  it('handles an empty file: only the header in the template', () => {
    assert.equal(promptFor('‸', { path: 'new.ts' }).prompt, '<|fim_prefix|>// new.ts\n<|fim_suffix|><|fim_middle|>');
  });

  it('handles the cursor at the very start and at the very end of the file', () => {
    const atStart = promptFor('‸const a = 1;\nconst b = 2;\n');
    assert.equal(atStart.prompt, '<|fim_prefix|><|fim_suffix|>const a = 1;\nconst b = 2;\n<|fim_middle|>');
    const atEnd = promptFor('const a = 1;\nconst b = 2;\n‸');
    assert.equal(atEnd.prompt, '<|fim_prefix|>const a = 1;\nconst b = 2;\n<|fim_suffix|><|fim_middle|>');
  });

  it('normalizes CRLF documents to \\n in the prompt', () => {
    const built = promptFor('if (a) {\r\n  b();\r\n  ‸\r\n}\r\n');
    assert.equal(built.prompt, '<|fim_prefix|>if (a) {\n  b();\n  <|fim_suffix|>\n}\n<|fim_middle|>');
  });

  it('breaks the template\'s special tokens when they appear in the user\'s code', () => {
    const built = promptFor('const t = "<|fim_middle|>";\n‸');
    assert.equal(built.prompt.split('<|fim_middle|>').length - 1, 1, 'only the template\'s own sentinel remains');
    assert.ok(built.prompt.includes('<\u200B|fim_middle|>'));
  });

  it('adds snippets from other files as comments inside the budget, and drops those that do not fit', () => {
    const small: Snippet = { path: 'src/util.ts', text: 'export function compute(n: number) {\n  return n * 2;\n}', score: 0.5 };
    const huge: Snippet = { path: 'src/huge.ts', text: 'z'.repeat(20_000), score: 0.4 };
    const built = promptFor('const v = ‸', { snippets: [small, huge], contextTokens: 400 });
    assert.equal(built.snippetCount, 1);
    assert.ok(built.prompt.startsWith('<|fim_prefix|>// Related code in src/util.ts:\n// export function compute(n: number) {\n//   return n * 2;\n// }\nconst v = '));
    assert.ok(built.tokens <= 400);
  });
});
