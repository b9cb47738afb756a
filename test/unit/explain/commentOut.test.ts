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
    assert.equal(out, '  <!--\n  Shows a list. The -- > and --! > sequences are text.\n  -->\n');
    assert.equal(out?.match(/-->/g)?.length, 1);
    assert.equal(out?.match(/--!>/g), null);
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

  it('gives nothing for a language without comments', () => {
    assert.equal(commentOut('text', { languageId: 'json', indent: '' }), undefined);
    assert.equal(commentOut('text', { languageId: 'plaintext', indent: '' }), undefined);
  });

  it('reads the indentation of a line', () => {
    assert.deepEqual([leadingIndent('  \tx = 1'), leadingIndent('x'), leadingIndent('   ')], ['  \t', '', '   ']);
  });
});
