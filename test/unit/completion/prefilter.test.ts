import * as assert from 'node:assert/strict';
import { MAX_DOCUMENT_CHARS, prefilterDocument } from '../../../src/completion/prefilter';

const code = 'function add(a, b) {\n  return a + b;\n}\n'.repeat(200);

describe('prefilter', () => {
  it('lets ordinary code through', () => {
    assert.equal(prefilterDocument(code, code.length / 2), undefined);
  });

  it('skips binary content: NUL bytes near the cursor', () => {
    const text = `${code}\u0000\u0001\u0002PNG${code}`;
    assert.equal(prefilterDocument(text, code.length + 2), 'binary');
  });

  it('skips text that failed UTF-8 decoding (runs of U+FFFD)', () => {
    assert.equal(prefilterDocument(`${code}caf\uFFFD\uFFFD${code}`, code.length), 'binary');
    assert.equal(prefilterDocument(`${code}a\uFFFDb\uFFFDc\uFFFDd\uFFFD`, code.length), 'binary');
    assert.equal(prefilterDocument(`${code}one stray \uFFFD is fine`, code.length), undefined);
  });

  it('skips minified code (huge average line length) and a monster line under the cursor', () => {
    const minified = Array.from({ length: 20 }, () => 'var a=1,b=2;function c(){return a+b}'.repeat(30)).join('\n');
    assert.equal(prefilterDocument(minified, minified.length / 2), 'minified');
    const oneLine = `x = 1\n${'y'.repeat(50_000)}\nz = 2\n`;
    assert.equal(prefilterDocument(oneLine, 20_000), 'minified');
  });

  it('skips documents past the size limit without reading them', () => {
    let read = 0;
    const view = { length: MAX_DOCUMENT_CHARS + 1, slice: (s: number, e: number) => { read += e - s; return ''; } };
    assert.equal(prefilterDocument(view, 0), 'tooLarge');
    assert.equal(read, 0);
  });

  it('reads only a sample around the cursor of a large document', () => {
    let read = 0;
    const big = code.repeat(100);
    const view = { length: big.length, slice: (s: number, e: number) => { read += e - s; return big.slice(s, e); } };
    assert.equal(prefilterDocument(view, big.length / 2), undefined);
    assert.ok(read <= 8192, `read ${read}`);
  });
});
