import * as assert from 'node:assert/strict';
import { matchIndentation, withLineEnds } from '../../../src/completion/documentFormat';

describe('document format', () => {
  it('writes CRLF line ends for CRLF documents', () => {
    assert.equal(withLineEnds('\n  a();\n  b();', '\r\n'), '\r\n  a();\r\n  b();');
    assert.equal(withLineEnds('a\nb', '\n'), 'a\nb');
  });

  it('matches the document\'s tabs or spaces in indentation, but not inside the first line', () => {
    assert.equal(matchIndentation('x  y\n    a();\n\tb();', false, 4), 'x  y\n\ta();\n\tb();');
    assert.equal(matchIndentation('\n\ta();\n\t\tb();', true, 2), '\n  a();\n    b();');
    assert.equal(matchIndentation('\n      a();', false, 4), '\n\t  a();', 'what does not fill a tab stays spaces');
  });
});
