// Typing at one place: the text typed since the last prompt goes after its middle marker, so the
// model process's kept cache serves the whole suffix (typedMiddle.ts); anything else builds afresh.
import * as assert from 'node:assert/strict';
import { CompletionService } from '../../../src/completion/completionService';
import { readCursorContext } from '../../../src/completion/cursorContext';
import { TEMPLATES } from '../../../src/completion/templates';
import { MAX_TYPED_MIDDLE_CHARS, middleComesLast, typedMiddlePrompt, type MiddleAnchor } from '../../../src/completion/typedMiddle';
import { completionSettings, cursorIn, FakeGenerator, fakeModel, requestAt } from './fakes';

const live = () => new AbortController().signal;
const DOC = 'function total(items: Item[]) {\n  let sum = 0;\n  ‸\n  return sum;\n}\n';

function anchorAt(textWithCursor: string, window = 4000): MiddleAnchor {
  const { text, offset } = cursorIn(textWithCursor);
  const { before, after } = readCursorContext(text, offset, window);
  return { path: 'src/app.ts', contextKey: 'k', offset, before, after, prompt: `<|fim_prefix|>${before}<|fim_suffix|>${after}<|fim_middle|>`, tokens: 40 };
}

function placeAt(textWithCursor: string, extra: { path?: string; contextKey?: string; budget?: number; window?: number } = {}) {
  const { text, offset } = cursorIn(textWithCursor);
  return { path: extra.path ?? 'src/app.ts', contextKey: extra.contextKey ?? 'k', offset, context: readCursorContext(text, offset, extra.window ?? 4000), budget: extra.budget ?? 1000 };
}

const typedInto = (typed: string) => DOC.replace('‸', `${typed}‸`);

describe('the typed text appended to the last prompt\'s middle', () => {
  it('applies to prefix-first formats whose prompt ends with the middle marker', () => {
    for (const id of ['qwen', 'starcoder', 'deepseek', 'codegemma'] as const) assert.ok(middleComesLast(TEMPLATES[id], { suffixFirst: false }), id);
    assert.ok(!middleComesLast(TEMPLATES.qwen, { suffixFirst: true }), 'suffix first already keeps the suffix cached');
    assert.ok(!middleComesLast(TEMPLATES.codellama, { suffixFirst: false }), 'Code Llama\'s " <MID>" carries a space');
    assert.ok(!middleComesLast(TEMPLATES.leftToRight, { suffixFirst: false }), 'no middle without a suffix');
  });

  it('extends the anchor\'s prompt by exactly what was typed, across a line break too', () => {
    const anchor = anchorAt(DOC);
    assert.equal(typedMiddlePrompt(anchor, placeAt(typedInto('for (const item of items) {'))), `${anchor.prompt}for (const item of items) {`);
    assert.equal(typedMiddlePrompt(anchor, placeAt(typedInto('sum +=\n    '))), `${anchor.prompt}sum +=\n    `);
  });

  it('builds afresh for anything but typing on at the same place', () => {
    const anchor = anchorAt(DOC);
    assert.equal(typedMiddlePrompt(anchor, placeAt(DOC)), undefined, 'nothing typed');
    assert.equal(typedMiddlePrompt(anchor, placeAt(typedInto('x'), { path: 'src/other.ts' })), undefined, 'another file');
    assert.equal(typedMiddlePrompt(anchor, placeAt(typedInto('x'), { contextKey: 'other settings' })), undefined, 'other settings');
    assert.equal(typedMiddlePrompt(anchor, placeAt(typedInto('x'.repeat(MAX_TYPED_MIDDLE_CHARS + 1)))), undefined, 'typed more than a line');
    assert.equal(typedMiddlePrompt(anchor, placeAt(typedInto('f‸)').replace('‸)‸', '‸)'))), undefined, 'a ) the typing did not open');
    assert.equal(typedMiddlePrompt(anchor, placeAt(typedInto('f(‸x').replace('‸x‸', '‸x'))), undefined, 'other text after the cursor');
    assert.equal(typedMiddlePrompt(anchor, placeAt(typedInto('x').replace('let sum = 0', 'let sum = 1'))), undefined, 'an edit above the cursor');
    assert.equal(typedMiddlePrompt(anchor, placeAt(DOC.replace('  ‸', '‸'))), undefined, 'the cursor moved back');
    assert.equal(typedMiddlePrompt(anchor, placeAt(typedInto('a <'))), undefined, 'a < could spell a special token');
    assert.equal(typedMiddlePrompt(anchor, placeAt(typedInto('abc'), { budget: 42 })), undefined, 'over the prompt budget');
    assert.equal(typedMiddlePrompt(undefined, placeAt(typedInto('abc'))), undefined);
  });

  it('says why it builds afresh, for the debug log', () => {
    const anchor = anchorAt(DOC);
    const reason = (place: ReturnType<typeof placeAt>) => {
      let why: string | undefined;
      typedMiddlePrompt(anchor, place, true, (r) => (why = r));
      return why;
    };
    assert.equal(reason(placeAt(typedInto('x'.repeat(MAX_TYPED_MIDDLE_CHARS + 1)))), `over ${MAX_TYPED_MIDDLE_CHARS} characters typed`);
    assert.equal(reason(placeAt(typedInto('f‸)').replace('‸)‸', '‸)'))), 'the text after the cursor changed');
    assert.equal(reason(placeAt(typedInto('x').replace('let sum = 0', 'let sum = 1'))), 'the text before the cursor changed');
    assert.equal(reason(placeAt(typedInto('abc'), { budget: 42 })), 'the budget is reached');
    assert.equal(reason(placeAt(typedInto('a <'))), '"<" typed');
    assert.equal(reason(placeAt(typedInto('abc'))), undefined, 'none when it extends');
  });

  it('extends it past closers the editor auto-closed for what was typed, the model asked as if they were not there', () => {
    const anchor = anchorAt(DOC);
    const autoClosed = (typed: string, closers: string) => placeAt(DOC.replace('‸', `${typed}‸${closers}`));
    assert.equal(typedMiddlePrompt(anchor, autoClosed('items.map(', ')')), `${anchor.prompt}items.map(`);
    assert.equal(typedMiddlePrompt(anchor, autoClosed('f([', '])')), `${anchor.prompt}f([`, 'nested, innermost first');
    assert.equal(typedMiddlePrompt(anchor, autoClosed('f([', ')')), `${anchor.prompt}f([`, 'the inner one not auto-closed');
    assert.equal(typedMiddlePrompt(anchor, autoClosed('log("a (', '")')), `${anchor.prompt}log("a (`, 'a bracket inside a string opens nothing');
    assert.equal(typedMiddlePrompt(anchor, autoClosed('f(x)', '')), `${anchor.prompt}f(x)`, 'the auto-closed ) typed over');
    assert.equal(typedMiddlePrompt(anchor, autoClosed('f([', ']')), `${anchor.prompt}f([`, 'the outer one not auto-closed');
    assert.equal(typedMiddlePrompt(anchor, autoClosed('if (ok) {\n    ', '\n  }')), `${anchor.prompt}if (ok) {\n    `, 'Enter moved the } to a line below');
    assert.equal(typedMiddlePrompt(anchor, autoClosed('if (ok) {\n    ', '\n  x }')), undefined, 'code, not only closers');
    assert.equal(typedMiddlePrompt(anchor, autoClosed('f(', '))')), undefined, 'one closer more than was opened');
  });

  it('sees an auto-closed closer in a document that runs on past both windows', () => {
    const long = `${DOC}${'// filler line\n'.repeat(20)}`;
    const anchor = anchorAt(long, 100);
    assert.equal(typedMiddlePrompt(anchor, placeAt(long.replace('‸', 'sum(‸)'), { window: 100 })), `${anchor.prompt}sum(`);
    assert.equal(typedMiddlePrompt(anchor, placeAt(long.replace('‸', 'sum‸)'), { window: 100 })), undefined);
  });

  it('matches when the text before the cursor is a window that starts later than the anchor\'s', () => {
    const long = `${'// filler line\n'.repeat(20)}${DOC}`;
    const anchor = anchorAt(long, 100);
    const typed = long.replace('‸', 'sum++;‸');
    assert.equal(typedMiddlePrompt(anchor, placeAt(typed, { window: 100 })), `${anchor.prompt}sum++;`);
  });

  describe('in the completion service', () => {
    const typing = (svc: CompletionService, text: string) => svc.provide(requestAt(text, { trigger: 'automatic', settings: completionSettings() }), live());

    it('sends the first prompt, then that prompt with each typed run appended, and builds afresh at a new place', async () => {
      const fake = new FakeGenerator(() => '0;');
      const svc = new CompletionService({ model: () => fakeModel(fake) });
      const prompts: string[] = [];
      svc.onDidStartGeneration((r) => prompts.push(r.prompt));
      await typing(svc, DOC);
      await typing(svc, typedInto('s'));
      await typing(svc, typedInto('sum'));
      assert.deepEqual(prompts.slice(1), [`${prompts[0]}s`, `${prompts[0]}sum`]);
      assert.ok(prompts[0]!.endsWith('<|fim_middle|>'));
      await svc.provide(requestAt(typedInto('summ'), { trigger: 'explicit' }), live());
      assert.ok(prompts[3]!.endsWith('<|fim_middle|>'), 'asked for (Alt+\\): built afresh');
      const elsewhere = 'function total(items: Item[]) {\n  let sum = 0;\n  \n  return sum;\n}\n\nfunction mean(items: Item[]) {\n  ‸\n}\n';
      await typing(svc, elsewhere);
      assert.equal(prompts.length, 5, 'a new place asked the model');
      assert.ok(prompts[4]!.endsWith('<|fim_middle|>'), 'a new place gets a prompt of its own');
    });

    it('with the switch off, every keystroke\'s prompt holds the typed text in its prefix', async () => {
      const fake = new FakeGenerator(() => '0;');
      const svc = new CompletionService({ model: () => fakeModel(fake), switches: { typedMiddle: false } });
      const prompts: string[] = [];
      svc.onDidStartGeneration((r) => prompts.push(r.prompt));
      await typing(svc, DOC);
      await typing(svc, typedInto('s'));
      assert.ok(prompts[1]!.endsWith('<|fim_middle|>'));
      assert.match(prompts[1]!, /\n {2}s<\|fim_suffix\|>/);
    });

    it('fits what the model writes to the cursor as it is now', async () => {
      const fake = new FakeGenerator((prompt) => (prompt.endsWith('sum') ? ' += 1;' : '0;'));
      const svc = new CompletionService({ model: () => fakeModel(fake) });
      await typing(svc, DOC);
      const result = await typing(svc, typedInto('sum'));
      assert.equal(result?.text, ' += 1;');
      assert.equal(result?.offset, cursorIn(typedInto('sum')).offset);
    });

    it('after an auto-closed "(", appends the "(" and replaces the editor\'s ")" with the completion\'s own', async () => {
      const fake = new FakeGenerator((prompt) => (prompt.endsWith('items.forEach(') ? '(item) => sum += item.price);' : '0;'));
      const svc = new CompletionService({ model: () => fakeModel(fake) });
      const prompts: string[] = [];
      svc.onDidStartGeneration((r) => prompts.push(r.prompt));
      await typing(svc, DOC);
      const autoClosed = DOC.replace('‸', 'items.forEach(‸)');
      const result = await typing(svc, autoClosed);
      assert.equal(prompts[1], `${prompts[0]}items.forEach(`, 'the suffix kept: only the typed tokens are new');
      assert.deepEqual([result?.text, result?.offset, result?.replaceLength], ['(item) => sum += item.price);', cursorIn(autoClosed).offset, 1]);
    });
  });
});
