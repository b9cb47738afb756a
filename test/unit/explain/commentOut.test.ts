import * as assert from 'node:assert/strict';
import { commentOut, leadingIndent } from '../../../src/explain/commentOut';

const explanation = '\n\nAdds **two** numbers.\n\n\n\n```python\nadd(1, 2)\n```\n\n- returns the sum\n';

describe('commentOut', () => {
  it('comments Python with # at the selection indentation, dropping fences and extra blank lines', () => {
    assert.equal(commentOut(explanation, { languageId: 'python', indent: '    ' }),
      '    # Adds **two** numbers.\n    #\n    #     add(1, 2)\n    #\n    # - returns the sum\n');
  });

  it('comments TypeScript with // and keeps the document line ending', () => {
    assert.equal(commentOut('One.\n\nTwo.', { languageId: 'typescript', indent: '\t', eol: '\r\n' }),
      '\t// One.\r\n\t//\r\n\t// Two.\r\n');
  });

  it('comments SQL with --', () => {
    assert.equal(commentOut('Counts the rows.', { languageId: 'sql', indent: '' }), '-- Counts the rows.\n');
  });

  it('wraps HTML in one block comment that the text cannot close early', () => {
    const out = commentOut('Shows a list. The --> and --!> sequences are text.', { languageId: 'html', indent: '  ' });
    assert.equal(out, '  <!--\n  Shows a list. The - -> and - -!> sequences are text.\n  -->\n');
    assert.equal(out?.match(/-->/g)?.length, 1);
    assert.equal(out?.match(/--!>/g), null);
    // XML forbids "--" anywhere inside a comment: only the opener and the closer keep theirs.
    assert.equal(out?.match(/--/g)?.length, 2);
  });

  it('wraps long prose with a hanging indent for list items, but not code', () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const code = `x = ${'1 + '.repeat(40)}1`;
    const out = commentOut(`- ${words}\n\n\`\`\`\n${code}\n\`\`\``, { languageId: 'python', indent: '', width: 60 }) ?? '';
    const lines = out.trimEnd().split('\n');
    for (const line of lines.filter((l) => !l.includes('x = '))) assert.ok(line.length <= 60, line);
    assert.ok(lines[0].startsWith('# - word0 word1'));
    assert.ok(lines[1].startsWith('#   word'), lines[1]);
    assert.ok(lines.includes(`#     ${code}`));
  });

  describe('text that tries to end the comment early', () => {
    const live = 'alert(1)';
    for (const [name, breakChar] of [['U+2028', '\u2028'], ['U+2029', '\u2029'], ['U+0085', '\u0085'], ['\\v', '\v'], ['\\f', '\f'], ['a lone \\r', '\r']]) {
      it(`${name} starts a new comment line, so the text after it stays a comment`, () => {
        const out = commentOut(`Explains.${breakChar}${live}`, { languageId: 'javascript', indent: '  ' });
        assert.equal(out, `  // Explains.\n  // ${live}\n`);
      });
    }

    it('drops bidi overrides and control characters, so the comment reads as it is', () => {
      const out = commentOut('Checks \u202eaccess\u202c \u2066level\u2069 of the\u0000 user\u200f.\u001b[2J', { languageId: 'python', indent: '' });
      assert.equal(out, '# Checks access level of the user.[2J\n');
    });

    it('never ends a C comment line with a backslash, so the next line of code stays code', () => {
      const out = commentOut('Use a macro:\n\n```c\n#define MAX(a, b) \\\n  ((a) > (b) ? (a) : (b))\n```\nThe path C:\\tmp\\  ', { languageId: 'c', indent: '' });
      assert.equal(out, '// Use a macro:\n//\n//     #define MAX(a, b) \\.\n//       ((a) > (b) ? (a) : (b))\n// The path C:\\tmp\\.\n');
      for (const line of out!.split('\n')) assert.doesNotMatch(line, /\\\s*$/);
    });

    it('breaks the ??/ trigraph at the end of a C++ line, and ^ at the end of a batch REM line', () => {
      assert.equal(commentOut('ends ??/', { languageId: 'cpp', indent: '' }), '// ends ??/.\n');
      assert.equal(commentOut('run this ^', { languageId: 'bat', indent: '' }), 'REM run this ^.\n');
      assert.equal(commentOut('continued \\', { languageId: 'makefile', indent: '' }), '# continued \\.\n');
      assert.equal(commentOut('not continued \\', { languageId: 'python', indent: '' }), '# not continued \\\n');
    });

    it('breaks Java unicode escapes, which become real line breaks before Java reads comments', () => {
      assert.equal(commentOut('a \\u000a b \\uuu000D c', { languageId: 'java', indent: '' }), '// a \\ u000a b \\ uuu000D c\n');
    });

    it('breaks nested openers and closers in block-only languages', () => {
      assert.equal(commentOut('(* nested *) and "quoted', { languageId: 'ocaml', indent: '' }), "(*\n( * nested * ) and 'quoted\n*)\n");
      assert.equal(commentOut('a */ b /* c', { languageId: 'css', indent: '' }), '/*\na * / b / * c\n*/\n');
      assert.equal(commentOut('a *@ b @* c', { languageId: 'razor', indent: '' }), '@*\na * @ b @ * c\n*@\n');
      assert.equal(commentOut('x <!-- y --- z', { languageId: 'xml', indent: '' }), '<!--\nx <!- - y - - - z\n-->\n');
    });
  });

  it('gives nothing for a language without comments', () => {
    assert.equal(commentOut('text', { languageId: 'json', indent: '' }), undefined);
    assert.equal(commentOut('text', { languageId: 'plaintext', indent: '' }), undefined);
  });

  it('reads the indentation of a line', () => {
    assert.deepEqual([leadingIndent('  \tx = 1'), leadingIndent('x'), leadingIndent('   ')], ['  \t', '', '   ']);
  });
});
