import * as assert from 'node:assert/strict';
import type { PostProcessContext } from '../../../src/completion/postprocess';
import {
  capLines, cutAtStops, dropDuplicateClosers, finalizeForDocument, isComplete, postProcess, stopAtDedent, stopAtSuffixRepeat,
} from '../../../src/completion/postprocess';

const single = { kind: 'single' } as const;

function ctx(overrides: Partial<PostProcessContext> = {}): PostProcessContext {
  return { mode: single, stops: ['<|endoftext|>'], linePrefix: '', lineSuffix: '', nextLine: undefined, maxLines: 16, tabSize: 4, ...overrides };
}

describe('post-processing', () => {
  it('cuts at the earliest stop string', () => {
    assert.equal(cutAtStops('a + b<|file_sep|>junk<|endoftext|>', ['<|endoftext|>', '<|file_sep|>']), 'a + b');
    assert.equal(postProcess('return 1;<|endoftext|>ignored', ctx()), 'return 1;');
  });

  it('stops at a line that repeats the suffix\'s next non-empty line', () => {
    const c = { linePrefix: '  ', lineSuffix: '', nextLine: '  return total;' };
    assert.equal(stopAtSuffixRepeat('const total = a + b;\n  return total;\n}', c), 'const total = a + b;');
    assert.equal(stopAtSuffixRepeat('return total;', c), '', 'the first line counts with the text before the cursor');
    assert.equal(stopAtSuffixRepeat('if (x) {\n    return total;\n  }', c), 'if (x) {\n    return total;\n  }', 'a deeper copy is new code');
  });

  it('drops a closing bracket the line already has after the cursor: foo(‸)', () => {
    assert.equal(dropDuplicateClosers('a, b)', ')'), 'a, b');
    assert.equal(dropDuplicateClosers('a, b);', ');'), 'a, b');
    assert.equal(dropDuplicateClosers('x)', '))'), 'x', 'only the closer the completion leaves unmatched');
    assert.equal(dropDuplicateClosers('bar()', ')'), 'bar()', 'balanced brackets belong to the completion');
  });

  it('drops a closing quote the line already has: "‸"', () => {
    assert.equal(dropDuplicateClosers('hello world"', '"'), 'hello world');
    assert.equal(dropDuplicateClosers('say "hi"', '"'), 'say "hi"');
    assert.equal(postProcess('user.name)', ctx({ linePrefix: 'greet(', lineSuffix: ')' })), 'user.name');
  });

  it('stops a multi-line completion at a dedent below the block, keeping the block\'s own closer', () => {
    assert.equal(stopAtDedent('\n    return a + b\n\ndef other():\n    pass', 1, 0, 4), '\n    return a + b\n');
    assert.equal(stopAtDedent('\n  if (a) {\n    b();\n  }\n}\nfunction next() {}', 1, 0, 2), '\n  if (a) {\n    b();\n  }\n}');
    assert.equal(stopAtDedent('x = 1\n    y = 2\n  z = 3', 4, undefined, 4), 'x = 1\n    y = 2');
  });

  it('puts auto-closed closers on their own line after a multi-line body: {‸}', () => {
    const c = ctx({ mode: { kind: 'multi', blockIndent: 3, openerIndent: 2 }, linePrefix: '  run() {', lineSuffix: '}', tabSize: 2 });
    assert.equal(postProcess('\n    start();\n    stop();\n  }', c), '\n    start();\n    stop();\n  ');
  });

  it('keeps only the first line in single-line mode; a completion that starts a new line is dropped', () => {
    assert.equal(postProcess('a + b;\nconsole.log(x);', ctx()), 'a + b;');
    assert.equal(postProcess('\nconst next = 1;', ctx()), undefined);
  });

  it('caps a multi-line completion at maxLines', () => {
    assert.equal(capLines('1\n2\n3\n4', 2), '1\n2');
    const c = ctx({ mode: { kind: 'multi', blockIndent: 0, openerIndent: undefined }, maxLines: 3 });
    assert.equal(postProcess('a\nb\nc\nd\ne', c), 'a\nb\nc');
  });

  it('trims trailing whitespace and returns undefined for an empty or blank result', () => {
    assert.equal(postProcess('x = 1;   \t', ctx()), 'x = 1;');
    assert.equal(postProcess('   \n\n  ', ctx({ mode: { kind: 'multi', blockIndent: 0, openerIndent: undefined } })), undefined);
    assert.equal(postProcess('', ctx()), undefined);
  });

  it('writes CRLF line ends for CRLF documents', () => {
    assert.equal(finalizeForDocument('\n  a();\n  b();', { eol: '\r\n', insertSpaces: true, tabSize: 2 }), '\r\n  a();\r\n  b();');
  });

  it('matches the document\'s tabs or spaces in indentation, but not inside the first line', () => {
    assert.equal(finalizeForDocument('x  y\n    a();\n\tb();', { eol: '\n', insertSpaces: false, tabSize: 4 }), 'x  y\n\ta();\n\tb();');
    assert.equal(finalizeForDocument('\n\ta();\n\t\tb();', { eol: '\n', insertSpaces: true, tabSize: 2 }), '\n  a();\n    b();');
  });

  it('tells a stream it is complete once a whole line has been cut (so generation can stop early)', () => {
    const multi = ctx({ mode: { kind: 'multi', blockIndent: 1, openerIndent: 0 } });
    assert.equal(isComplete('\n    return 1\n', multi), false);
    assert.equal(isComplete('\n    return 1\ndef g', multi), false, 'the dedented line is not complete yet');
    assert.equal(isComplete('\n    return 1\ndef g():\n', multi), true);
    assert.equal(isComplete('a + b', ctx()), false);
    assert.equal(isComplete('a + b\n', ctx()), true, 'single-line mode is done at the first line break');
  });
});
