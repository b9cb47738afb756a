import * as assert from 'node:assert/strict';
import type { ModeInput } from '../../../src/completion/multiline';
import { decideMode } from '../../../src/completion/multiline';

function mode(linePrefix: string, lineSuffix = '', extra: Partial<ModeInput> = {}) {
  return decideMode({ linePrefix, lineSuffix, previousLine: undefined, languageId: 'typescript', setting: 'auto', tabSize: 4, ...extra });
}

describe('multi-line decision', () => {
  it('goes multi-line after a block opener: { ( [ => and Python\'s colon', () => {
    assert.deepEqual(mode('function f() {'), { kind: 'multi', blockIndent: 1, openerIndent: 0 });
    assert.equal(mode('  const xs = [').kind, 'multi');
    assert.equal(mode('items.map((x) =>').kind, 'multi');
    assert.deepEqual(mode('    def run(self):', '', { languageId: 'python' }), { kind: 'multi', blockIndent: 5, openerIndent: 4 });
  });

  it('treats then/do keywords and switch labels as openers, but not a type annotation or ::', () => {
    assert.equal(mode('if x > 0 then', '', { languageId: 'lua' }).kind, 'multi');
    assert.equal(mode('  items.each do', '', { languageId: 'ruby' }).kind, 'multi');
    assert.equal(mode('    case 1:').kind, 'multi');
    assert.equal(mode('  let x:').kind, 'single');
    assert.equal(mode('  std::', '', { languageId: 'cpp' }).kind, 'single');
  });

  it('goes multi-line on an empty line inside a block, single on an empty top-level line', () => {
    assert.deepEqual(mode('    ', '', { previousLine: '    x = 1' }), { kind: 'multi', blockIndent: 4, openerIndent: undefined });
    assert.deepEqual(mode('', '', { previousLine: 'def f():', languageId: 'python' }), { kind: 'multi', blockIndent: 1, openerIndent: 0 });
    assert.equal(mode('', '', { previousLine: 'x = 1' }).kind, 'single');
  });

  it('completes mid-line only when the rest of the line is closers, quotes or punctuation', () => {
    assert.equal(mode('foo(', ')').kind, 'multi', 'after an opener, before its auto-closed bracket');
    assert.equal(mode('foo(a, ', ');').kind, 'single');
    assert.equal(mode('const s = "', '";').kind, 'single');
    assert.equal(mode('x = [1, ', '] ').kind, 'single');
    assert.deepEqual(mode('const total = ', 'price * qty;'), { kind: 'none', reason: 'text after the cursor' });
    assert.equal(mode('const total = ', 'price * qty;', { trigger: 'explicit' }).kind, 'single', 'an explicit request still gets one line');
  });

  it('stays single-line inside a line comment, even after a colon or brace', () => {
    assert.equal(mode('  // TODO: handle {').kind, 'single');
    assert.equal(mode('# steps:', '', { languageId: 'python' }).kind, 'single');
    assert.equal(mode('fetch("http://x/{').kind, 'multi', '"//" inside a URL is not a comment');
  });

  it('obeys multiline = never and always', () => {
    assert.equal(mode('function f() {', '', { setting: 'never' }).kind, 'single');
    assert.equal(mode('const a = 1;', '', { setting: 'always' }).kind, 'multi');
    assert.equal(mode('const a = ', 'b;', { setting: 'always' }).kind, 'none', 'mid-line text still blocks it');
  });
});
