import * as assert from 'node:assert/strict';
import type { CachedCompletion } from '../../../src/completion/completionCache';
import { CompletionCache, cacheKey } from '../../../src/completion/completionCache';
import type { Position } from '../../../src/completion/typedAhead';
import { anchorAt } from '../../../src/completion/typedAhead';

const before = 'function area(r: number) {\n  return ';
const after = '\n}\n';

function position(overrides: Partial<Position> = {}): Position {
  return { contextKey: 'qwen|q8', path: 'src/a.ts', offset: before.length, before, after, eolLength: 1, ...overrides };
}

function entry(key: string, insertText: string, at: Position = position(), replaceLength = 0): CachedCompletion {
  return { ...anchorAt(at), key, edit: { insertText, replaceLength } };
}

describe('completion cache', () => {
  it('keys on everything that decides the output', () => {
    assert.notEqual(cacheKey('m1', 'single', 'p'), cacheKey('m2', 'single', 'p'));
    assert.notEqual(cacheKey('m1', 'single', 'p'), cacheKey('m1', 'multi', 'p'));
    assert.notEqual(cacheKey('m1', 'single', 'p'), cacheKey('m1', 'single', 'q'));
  });

  it('evicts the least recently used entry past its capacity', () => {
    const cache = new CompletionCache(2);
    cache.set(entry('a', '1'));
    cache.set(entry('b', '2'));
    assert.ok(cache.get('a'), 'touch a, so b is now the oldest');
    cache.set(entry('c', '3'));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a') && cache.get('c'));
  });

  it('serves the rest of a completion the user has started typing', () => {
    const cache = new CompletionCache();
    cache.set(entry('k', 'Math.PI * r * r;'));
    const typed = 'Math.PI';
    const hit = cache.findTypedAhead(position({ offset: before.length + typed.length, before: before + typed }));
    assert.equal(hit?.typed, 'Math.PI');
    assert.deepEqual(hit?.remainder, { insertText: ' * r * r;', replaceLength: 0 });
    assert.equal(cache.findTypedAhead(position())?.remainder.insertText, 'Math.PI * r * r;', 'same spot: the whole completion');
  });

  it('misses when the typing diverges, the suffix changed, or the settings differ', () => {
    const cache = new CompletionCache();
    cache.set(entry('k', 'Math.PI * r * r;'));
    assert.equal(cache.findTypedAhead(position({ offset: before.length + 4, before: `${before}Matt` })), undefined);
    assert.equal(cache.findTypedAhead(position({ after: ';\n}\n' })), undefined);
    assert.equal(cache.findTypedAhead(position({ contextKey: 'other' })), undefined);
    assert.equal(cache.findTypedAhead(position({ offset: before.length + 16, before: `${before}Math.PI * r * r;` })), undefined, 'typed it all');
  });

  it('serves the rest of a suggestion past the closer the editor auto-closed for its typed "(", replacing it', () => {
    const cache = new CompletionCache();
    const at = (text: string, rest: string) => position({ offset: text.length, before: text, after: rest });
    cache.set(entry('k', '((x) => x * 2);', at('xs.map', '\n}\n')));
    assert.deepEqual(cache.findTypedAhead(at('xs.map(', ')\n}\n'))?.remainder, { insertText: '(x) => x * 2);', replaceLength: 1 });
    assert.deepEqual(cache.findTypedAhead(at('xs.map((', '))\n}\n'))?.remainder, { insertText: 'x) => x * 2);', replaceLength: 2 }, 'two auto-closed');
    assert.deepEqual(cache.findTypedAhead(at('xs.map((x)', ')\n}\n'))?.remainder, { insertText: ' => x * 2);', replaceLength: 1 }, 'the inner ) typed over');
    assert.deepEqual(cache.findTypedAhead(at('xs.map(', '\n}\n'))?.remainder, { insertText: '(x) => x * 2);', replaceLength: 0 }, 'not auto-closed');
  });

  it('serves the rest of a block suggestion after "{" and Enter moved the editor\'s "}" to a line below, up to it', () => {
    const cache = new CompletionCache();
    const at = (text: string, rest: string, eolLength: 1 | 2 = 1) => position({ offset: text.length + (eolLength - 1) * (text.split('\n').length - 1), before: text, after: rest, eolLength });
    cache.set(entry('lf', '{\n  return 1;\n}', at('function f() ', '\n')));
    assert.deepEqual(cache.findTypedAhead(at('function f() {', '}\n'))?.remainder, { insertText: '\n  return 1;\n}', replaceLength: 1 });
    assert.deepEqual(cache.findTypedAhead(at('function f() {\n  ', '\n}\n'))?.remainder, { insertText: 'return 1;', replaceLength: 0 }, 'up to the } below: VS Code replaces within a line only');
    cache.clear();
    cache.set(entry('crlf', '{\n  return 1;\n}', at('function f() ', '\n', 2)));
    assert.deepEqual(cache.findTypedAhead(at('function f() {\n  ', '\n}\n', 2))?.remainder, { insertText: 'return 1;', replaceLength: 0 }, 'CRLF');
    cache.clear();
    cache.set(entry('more', '{\n  if (x) {\n    y();\n  }\n};\nf();', at('const f = () => ', '\n')));
    assert.deepEqual(cache.findTypedAhead(at('const f = () => {\n  ', '\n}\n'))?.remainder, { insertText: 'if (x) {\n    y();\n  }', replaceLength: 0 }, 'up to its own "}" at that indentation; the rest comes later');
    assert.equal(cache.findTypedAhead(at('const f = () => {\n  ', '\n      }\n')), undefined, 'a "}" at an indentation it never writes');
  });

  it('misses when a closer appeared that the typing did not open, or the suggestion leaves its bracket open', () => {
    const cache = new CompletionCache();
    const at = (text: string, rest: string) => position({ offset: text.length, before: text, after: rest });
    cache.set(entry('end', '((x) => x * 2);', at('xs.map', '')));
    assert.equal(cache.findTypedAhead(at('xs.map', ')')), undefined, 'a ) at the document\'s end, nothing typed');
    assert.equal(cache.findTypedAhead(at('xs.map(', '))')), undefined, 'one ) more than was opened');
    cache.clear();
    cache.set(entry('open', '(items,', at('run', '\n')));
    assert.equal(cache.findTypedAhead(at('run(', ')\n')), undefined, 'its rest would not close the editor\'s )');
  });

  it('counts a typed line break as two characters in CRLF documents', () => {
    const cache = new CompletionCache();
    cache.set(entry('k', '\n  a();\n  b();', position({ eolLength: 2 })));
    const hit = cache.findTypedAhead(position({ offset: before.length + 2 + 2, before: `${before}\n  `, eolLength: 2 }));
    assert.equal(hit?.remainder.insertText, 'a();\n  b();');
  });

  it('keeps replacing the auto-closed closers while the user types, and less once they type over them', () => {
    const cache = new CompletionCache();
    const at = (text: string, rest: string) => position({ offset: text.length, before: text, after: rest });
    cache.set(entry('k', 'url, opts);', at('fetch(', ')\n'), 1));
    assert.deepEqual(cache.findTypedAhead(at('fetch(url', ')\n'))?.remainder, { insertText: ', opts);', replaceLength: 1 });
    assert.deepEqual(cache.findTypedAhead(at('fetch(url, opts)', ')\n'))?.remainder, { insertText: ';', replaceLength: 1 }, 'a ) of their own');
    assert.deepEqual(cache.findTypedAhead(at('fetch(url, opts)', '\n'))?.remainder, { insertText: ';', replaceLength: 0 }, 'typed over the auto-closed )');
    assert.equal(cache.findTypedAhead(at('fetch(url, opts);', '\n')), undefined, 'typed it all');
  });
});
