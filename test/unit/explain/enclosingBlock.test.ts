import * as assert from 'node:assert/strict';
import { findEnclosingBlock } from '../../../src/explain/enclosingBlock';

/** Lines of `text`, and the 0-based line of the one marked with `«`. */
function doc(text: string): { lines: string[]; line: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('«'));
  return { lines: lines.map((l) => l.replace('«', '')), line };
}

function block(text: string, languageId: string, maxLines?: number): [number, number, string] {
  const r = findEnclosingBlock({ ...doc(text), languageId, maxLines });
  return [r.startLine, r.endLine, r.kind];
}

const python = [
  'import os',                        // 0
  '',                                 // 1
  'class Store:',                     // 2
  '    # Keeps values.',              // 3
  '    @staticmethod',                // 4
  '    def load(path,',               // 5
  '             mode="r"):',          // 6
  '        """Reads a file.',         // 7
  'not indented, but inside the docstring',  // 8
  '        """',                      // 9
  '        if os.path.exists(path):', // 10
  '            return open(path, mode).read()', // 11
  '',                                 // 12
  '        return None',              // 13
  '',                                 // 14
  '    size = 3',                     // 15
  '',                                 // 16
  'for name in ["a", "b"]:',          // 17
  '    print(name)',                  // 18
  'print("done")',                    // 19
];
const mark = (lines: string[], at: number) => lines.map((l, i) => (i === at ? `${l}«` : l)).join('\n');

describe('findEnclosingBlock', () => {
  describe('Python (indentation)', () => {
    it('picks the enclosing function, not the if inside it, with its decorator and comment', () => {
      assert.deepEqual(block(mark(python, 11), 'python'), [3, 13, 'block']);
    });

    it('treats a multi-line signature and a docstring as part of the function', () => {
      assert.deepEqual(block(mark(python, 6), 'python'), [3, 13, 'block']);
      assert.deepEqual(block(mark(python, 8), 'python'), [3, 13, 'block']);
      assert.deepEqual(block(mark(python, 12), 'python'), [3, 13, 'block']);
    });

    it('picks the function from its header line and from its decorator', () => {
      assert.deepEqual(block(mark(python, 5), 'python'), [3, 13, 'block']);
      assert.deepEqual(block(mark(python, 4), 'python'), [3, 13, 'block']);
    });

    it('picks the class for a line directly in its body', () => {
      assert.deepEqual(block(mark(python, 15), 'python'), [2, 15, 'block']);
    });

    it('takes a top-level statement whole when no definition encloses the cursor', () => {
      assert.deepEqual(block(mark(python, 18), 'python'), [17, 18, 'block']);
    });

    it('falls back to the cursor line outside any block', () => {
      assert.deepEqual(block(mark(python, 19), 'python'), [19, 19, 'line']);
      assert.deepEqual(block(mark(python, 0), 'python'), [0, 0, 'line']);
    });

    it('passes over blocks longer than the limit', () => {
      assert.deepEqual(block(mark(python, 11), 'python', 5), [10, 11, 'block']);
      assert.deepEqual(block(mark(python, 13), 'python', 5), [13, 13, 'line']);
    });
  });

  describe('TypeScript (braces)', () => {
    const ts = [
      '/** Adds things. */',                         // 0
      'export function add(',                        // 1
      '  a: number,',                                // 2
      '  b: number,',                                // 3
      '): number {',                                 // 4
      '  const s = "}{";  // a brace { in a comment', // 5
      '  if (a > b) {',                              // 6
      '    return a + b;',                           // 7
      '  } else {',                                  // 8
      '    const o = {',                             // 9
      '      k: 1,',                                 // 10
      '    };',                                      // 11
      '    return `${o.k} }`;',                      // 12
      '  }',                                         // 13
      '}',                                           // 14
      '',                                            // 15
      'const t = `${1} }`;',                         // 16
      'class C',                                     // 17
      '{',                                           // 18
      '  m() { return 1; }',                         // 19
      '}',                                           // 20
    ];

    it('picks the function around an if and an object literal, with its doc comment and whole signature', () => {
      assert.deepEqual(block(mark(ts, 7), 'typescript'), [0, 14, 'block']);
      assert.deepEqual(block(mark(ts, 10), 'typescript'), [0, 14, 'block']);
    });

    it('ignores braces in strings, template strings and comments', () => {
      assert.deepEqual(block(mark(ts, 5), 'typescript'), [0, 14, 'block']);
    });

    it('finds the block from a signature line above its brace and from its closing brace', () => {
      assert.deepEqual(block(mark(ts, 2), 'typescript'), [0, 14, 'block']);
      assert.deepEqual(block(mark(ts, 14), 'typescript'), [0, 14, 'block']);
    });

    it('handles Allman braces and ignores one-line blocks', () => {
      assert.deepEqual(block(mark(ts, 19), 'typescript'), [17, 20, 'block']);
    });

    it('falls back to the line between blocks, after a template string with a brace', () => {
      assert.deepEqual(block(mark(ts, 16), 'typescript'), [16, 16, 'line']);
    });
  });

  it('tells Rust lifetimes from char literals', () => {
    const rust = ["fn first<'a>(s: &'a str) -> &'a str {", "    let c = '{';", '    &s[..1]', '}'].join('\n');
    assert.deepEqual(block(rust.replace('..1]', '..1]«'), 'rust'), [0, 3, 'block']);
  });

  it('closes a Ruby block at its end line', () => {
    const ruby = ['def greet(name)', '  puts "hi #{name}"«', 'end', 'greet("x")'].join('\n');
    assert.deepEqual(block(ruby, 'ruby'), [0, 2, 'block']);
  });

  it('copes with an empty document', () => {
    assert.deepEqual(findEnclosingBlock({ lines: [], line: 0, languageId: 'python' }), { startLine: 0, endLine: 0, kind: 'line' });
  });
});
