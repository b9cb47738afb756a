import * as assert from 'node:assert/strict';
import type { ScanEvent } from '../../../src/completion/codeScanner';
import { balanceProblems, leftOpen, scanCode, stateAfter, syntaxFor } from '../../../src/completion/codeScanner';

const ts = syntaxFor('typescript');

function events(text: string, languageId = 'typescript'): string {
  const seen: ScanEvent[] = [];
  scanCode(text, syntaxFor(languageId), undefined, (e) => seen.push(e));
  return seen.map((e) => `${e.kind}${e.char}`).join(' ');
}

describe('code scanner', () => {
  it('pairs brackets and reports closers that close nothing', () => {
    assert.equal(events('f(a[0], {b})'), 'open( open[ close] open{ close} close)');
    assert.equal(events('x)]'), 'stray) stray]');
    assert.equal(events('(]'), 'open( stray]');
  });

  it('ignores brackets inside strings and comments', () => {
    assert.equal(events('s = "(" + \'[\' // {'), 'quoteOpen" quoteClose" quoteOpen\' quoteClose\'');
    assert.equal(events('/* ( */ x'), '');
    assert.equal(events('x = "a\\"(" # (', 'python'), 'quoteOpen" quoteClose"');
  });

  it('knows char literals and lifetimes from strings where \' is not a quote', () => {
    assert.equal(events("if c == '(' { x }", 'rust'), 'open{ close}');
    assert.equal(events("fn f<'a>(s: &'a str) {}", 'rust'), 'open( close) open{ close}');
    assert.equal(events("c == '\\'' || c == '{'", 'c'), '');
  });

  it('reads apostrophes in words as text, string prefixes as quotes', () => {
    assert.equal(events("description: don't (stop)", 'yaml'), 'open( close)');
    assert.equal(events("f'{x}'", 'python'), "quoteOpen' quoteClose'");
  });

  it('ends a line-local string at the line end; multi-line strings run on', () => {
    assert.equal(events('"abc\nx'), 'quoteOpen" unterminated"');
    assert.equal(scanCode('`a\nb', ts).quote, '`');
    assert.equal(scanCode('"""doc\nmore', syntaxFor('python')).quote, '"""');
  });

  it('counts what a text leaves unbalanced, closing older brackets being fine', () => {
    const open = scanCode('foo(\n  a,\n', ts);
    assert.equal(balanceProblems('  b)', ts, open), 0, 'closes the call opened above');
    assert.equal(balanceProblems('if (ready) {', ts), 1);
    assert.equal(balanceProblems('a))', ts), 2);
    assert.equal(balanceProblems('x = "open', ts), 1);
    assert.equal(leftOpen('}).then(() => {', ts, scanCode('a(() => {', ts)), 2);
  });

  it('reads only the last lines for the state before the cursor', () => {
    const text = `${'{\n'.repeat(100)}x`;
    assert.equal(stateAfter(text, ts).stack.length, 59, 'the last 60 lines: x and 59 braces');
    assert.equal(stateAfter('a(\nb[', ts).stack.join(''), '([');
  });
});
