// Typing at one place should change only the prompt's end, so the model process's kept KV cache
// serves the rest: the prefix keeps its first line, and suffix-first families put the suffix first.
import * as assert from 'node:assert/strict';
import { readCursorContext, windowCharsFor } from '../../../src/completion/cursorContext';
import { PREFIX_SLACK, buildPrompt, type BuiltPrompt } from '../../../src/completion/promptBuilder';
import { TEMPLATES, renderTemplate, type PromptTemplate } from '../../../src/completion/templates';

const BODY = Array.from({ length: 400 }, (_, i) => `  const value${i} = compute(${i}, "item-${i}");`);
const BEFORE = `export function big() {\n${BODY.slice(0, 200).join('\n')}\n  `;
const AFTER = `\n${BODY.slice(200).join('\n')}\n}\n`;
const TYPED = [
  'const values = items.map((item) => item.price * item.quantity);',
  'const total = values.reduce((sum, v) => sum + v, 0);',
  'const average = values.length > 0 ? total / values.length : 0;',
  'log.info(`total ${total}, average ${average}`);',
  'return { total, average };',
  '',
].join('\n  ');

function build(typed: string, previous: BuiltPrompt | undefined, template: PromptTemplate = TEMPLATES.qwen, chained = true, prefixSlack?: number): BuiltPrompt {
  const text = BEFORE + typed + AFTER;
  const context = readCursorContext(text, BEFORE.length + typed.length, windowCharsFor(300));
  return buildPrompt({ context, template, languageId: 'typescript', path: 'src/big.ts', contextTokens: 300, stable: chained, previousPrefix: previous?.prefix, prefixSlack });
}

/** Types TYPED one character per prompt; returns each prompt and how many characters it shares with the one before. */
function typeAlong(template: PromptTemplate, chained: boolean, prefixSlack?: number): { prompts: BuiltPrompt[]; shared: number[] } {
  const prompts: BuiltPrompt[] = [];
  const shared: number[] = [];
  for (let k = 0; k <= TYPED.length; k++) {
    const built = build(TYPED.slice(0, k), prompts[k - 1], template, chained, prefixSlack);
    if (k > 0) shared.push(commonPrefix(prompts[k - 1].prompt, built.prompt));
    prompts.push(built);
  }
  return { prompts, shared };
}

const firstLine = (p: BuiltPrompt) => p.prefix.slice(0, p.prefix.indexOf('\n'));

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

describe('a prompt that changes only at its end while the user types', () => {
  it('keeps the prefix\'s first line while it fits, so each keystroke shares everything up to the cursor', () => {
    const moving = typeAlong(TEMPLATES.qwen, false);
    const kept = typeAlong(TEMPLATES.qwen, true);
    // A moved first line changes the prompt right after the header: the whole prompt is recomputed.
    const restarts = (prompts: BuiltPrompt[]) => prompts.filter((p, i) => i > 0 && firstLine(p) !== firstLine(prompts[i - 1])).length;
    // Without the kept start the prefix window slides down a line each time the typing adds a line's worth.
    assert.ok(restarts(moving.prompts) >= 5, `${restarts(moving.prompts)} restarts without the kept start`);
    assert.ok(restarts(kept.prompts) <= 2, `${restarts(kept.prompts)} restarts with it`);
    const header = '<|fim_prefix|>// src/big.ts\n'.length;
    for (const [i, n] of kept.shared.entries()) {
      if (firstLine(kept.prompts[i + 1]) === firstLine(kept.prompts[i])) assert.ok(n > header + kept.prompts[i].prefix.length - 80, `keystroke ${i + 1} shared only ${n} characters`);
    }
    for (const built of kept.prompts) assert.ok(built.tokens <= 300, `${built.tokens} tokens`);
  });

  it('when the kept start no longer fits, starts lower with room for the next keystrokes', () => {
    const { prompts } = typeAlong(TEMPLATES.qwen, true);
    const starts = prompts.map((p) => p.prefix.split('\n')[0]);
    const moved = starts.findIndex((line, i) => i > 0 && line !== starts[i - 1]);
    assert.ok(moved > 0, 'the start moved at least once while typing five lines');
    const free = (p: BuiltPrompt) => 300 - p.tokens;
    assert.ok(free(prompts[moved]) > free(prompts[moved - 1]) + 300 * PREFIX_SLACK * 0.5, `${free(prompts[moved - 1])} → ${free(prompts[moved])} tokens free`);
  });

  it('a larger prefix slack moves the start less often and keeps less context', () => {
    const starts = (prompts: BuiltPrompt[]) => prompts.filter((p, i) => i > 0 && firstLine(p) !== firstLine(prompts[i - 1])).length;
    const meanTokens = (prompts: BuiltPrompt[]) => prompts.reduce((a, p) => a + p.tokens, 0) / prompts.length;
    const usual = typeAlong(TEMPLATES.qwen, true).prompts;
    const roomy = typeAlong(TEMPLATES.qwen, true, 0.4).prompts;
    assert.ok(starts(roomy) < starts(usual), `${starts(roomy)} moves at slack 0.4, ${starts(usual)} at ${PREFIX_SLACK}`);
    assert.ok(meanTokens(roomy) < meanTokens(usual), `${meanTokens(roomy)} vs ${meanTokens(usual)} tokens a prompt`);
  });

  it('keeps a prefix that starts with a blank line (the walk over its lines ends)', () => {
    const text = 'function a() {}\n\nfunction b() {\n  return 1;\n}\n\n';
    const context = readCursorContext(text, text.length, windowCharsFor(300));
    const previousPrefix = '\nfunction b() {\n  return 1;\n}\n\n';
    const built = buildPrompt({ context, template: TEMPLATES.qwen, languageId: 'typescript', path: '', contextTokens: 82, stable: true, previousPrefix, counter: { count: (t) => t.length } });
    assert.equal(built.prefix, previousPrefix);
  });

  it('takes a fresh prefix after a jump to another place in the file', () => {
    const here = build('', undefined);
    const text = `${BEFORE}${AFTER}`;
    const far = text.indexOf('const value350');
    const context = readCursorContext(text, far, windowCharsFor(300));
    const there = buildPrompt({ context, template: TEMPLATES.qwen, languageId: 'typescript', path: 'src/big.ts', contextTokens: 300, stable: true, previousPrefix: here.prefix });
    const fresh = buildPrompt({ context, template: TEMPLATES.qwen, languageId: 'typescript', path: 'src/big.ts', contextTokens: 300 });
    assert.ok(there.prefix.includes('const value349'), 'the prefix reaches the new cursor');
    assert.ok(there.tokens >= fresh.tokens * (1 - PREFIX_SLACK) - 1, `${there.tokens} vs ${fresh.tokens} tokens`);
  });

  it('puts the suffix first for Code Llama, which was trained with both orders, and only the end changes while typing', () => {
    const built = build('', undefined, TEMPLATES.codellama);
    assert.equal(built.suffixFirst, true);
    assert.ok(built.prompt.startsWith(`<PRE> <SUF>${built.suffix} <MID> `), built.prompt.slice(0, 80));
    assert.ok(built.prompt.endsWith(built.prefix));
    const { prompts, shared } = typeAlong(TEMPLATES.codellama, true);
    // Every keystroke shares the whole prompt before the cursor (a restart of the prefix aside).
    const full = shared.filter((n, i) => n >= prompts[i].prompt.length - 1).length;
    assert.ok(full >= shared.length - 2, `${full} of ${shared.length} keystrokes changed only the end`);
  });

  it('keeps Qwen and the other families prefix-first: they were trained that way', () => {
    for (const id of ['qwen', 'starcoder', 'deepseek', 'codegemma'] as const) {
      assert.equal(build('', undefined, TEMPLATES[id]).suffixFirst, false, id);
    }
  });

  it('renders the suffix-first layout exactly, and the prefix-first one unchanged', () => {
    assert.equal(renderTemplate(TEMPLATES.codellama, 'p', 's', true), '<PRE> <SUF>s <MID> p');
    assert.equal(renderTemplate(TEMPLATES.codellama, 'p', 's'), '<PRE> p <SUF>s <MID>');
    assert.equal(renderTemplate(TEMPLATES.qwen, 'p', 's', true), '<|fim_prefix|>p<|fim_suffix|>s<|fim_middle|>', 'no suffix-first layout: the usual one');
    assert.equal(renderTemplate(TEMPLATES.codellama, '"{suffix}"', '"{prefix}"', true), '<PRE> <SUF>"{prefix}" <MID> "{suffix}"');
  });

  it('gives the suffix the share it is told', () => {
    const text = BEFORE + AFTER;
    const context = readCursorContext(text, BEFORE.length, windowCharsFor(300));
    const share = (suffixShare: number) => buildPrompt({ context, template: TEMPLATES.qwen, languageId: 'typescript', path: '', contextTokens: 300, suffixShare }).suffix.length;
    assert.ok(share(0.15) < share(0.3) * 0.6, `${share(0.15)} vs ${share(0.3)} characters`);
  });
});
