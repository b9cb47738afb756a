import * as assert from 'node:assert/strict';
import { endsWithOpener, indentWidth, isCloserLine, looseLine, startsWithCloser } from '../../../src/completion/lineShape';

describe('line shape', () => {
  it('sees block openers: { ( [ => and the colon where colons open blocks', () => {
    for (const line of ['function f() {', '  const xs = [', 'items.map((x) =>', 'fn run() -> Result<()> ->']) assert.ok(endsWithOpener(line, 'typescript'), line);
    assert.ok(endsWithOpener('    def run(self):', 'python'));
    assert.ok(endsWithOpener('services:', 'yaml'));
  });

  it('treats then/do keywords and switch labels as openers, but not a type annotation or ::', () => {
    assert.ok(endsWithOpener('if x > 0 then', 'lua'));
    assert.ok(endsWithOpener('  items.each do', 'ruby'));
    assert.ok(endsWithOpener('    case 1:', 'typescript'));
    assert.equal(endsWithOpener('  let x:', 'typescript'), false);
    assert.equal(endsWithOpener('  std::', 'cpp'), false);
  });

  it('tells closing lines: brackets, keywords, tags', () => {
    for (const line of ['}', '  });', ']', 'end', 'END IF;', 'fi', '</ul>', '  />']) assert.ok(isCloserLine(line), line);
    for (const line of ['} else {', 'end = len(items)', 'return }', '']) assert.equal(isCloserLine(line), false, line);
    assert.ok(startsWithCloser('} else {'));
    assert.ok(startsWithCloser('</div>'));
    assert.equal(startsWithCloser('else:'), false);
  });

  it('measures indentation with tabs at the tab size, and compares lines loosely', () => {
    assert.equal(indentWidth('\t  x', 4), 6);
    assert.equal(looseLine('    return total;  '), 'return total');
    assert.equal(looseLine('  a,'), 'a');
  });
});
