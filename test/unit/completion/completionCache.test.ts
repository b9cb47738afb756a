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

function entry(key: string, completion: string, at: Position = position()): CachedCompletion {
  return { ...anchorAt(at), key, completion };
}

describe('completion cache', () => {
  it('keys on everything that decides the output', () => {
    assert.notEqual(cacheKey('m1', 'single', 'p'), cacheKey('m2', 'single', 'p'));
    assert.notEqual(cacheKey('m1', 'single', 'p'), cacheKey('m1', 'multi', 'p'));
    assert.notEqual(cacheKey('m1', 'single', 'p'), cacheKey('m1', 'single', 'q'));
    assert.equal(cacheKey('m1', 'single', 'p'), cacheKey('m1', 'single', 'p'));
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
    assert.equal(hit?.remainder, ' * r * r;');
    assert.equal(cache.findTypedAhead(position())?.remainder, 'Math.PI * r * r;', 'same spot: the whole completion');
  });

  it('misses when the typing diverges, the suffix changed, or the settings differ', () => {
    const cache = new CompletionCache();
    cache.set(entry('k', 'Math.PI * r * r;'));
    assert.equal(cache.findTypedAhead(position({ offset: before.length + 4, before: `${before}Matt` })), undefined);
    assert.equal(cache.findTypedAhead(position({ after: ';\n}\n' })), undefined);
    assert.equal(cache.findTypedAhead(position({ contextKey: 'other' })), undefined);
    assert.equal(cache.findTypedAhead(position({ offset: before.length + 16, before: `${before}Math.PI * r * r;` })), undefined, 'typed it all');
  });

  it('counts a typed line break as two characters in CRLF documents', () => {
    const cache = new CompletionCache();
    cache.set(entry('k', '\n  a();\n  b();', position({ eolLength: 2 })));
    const hit = cache.findTypedAhead(position({ offset: before.length + 2 + 2, before: `${before}\n  `, eolLength: 2 }));
    assert.equal(hit?.remainder, 'a();\n  b();');
  });
});
