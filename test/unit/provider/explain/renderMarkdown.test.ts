import * as assert from 'node:assert/strict';
import { createMarkdownRenderer, renderMarkdown } from '../../../../src/provider/explain/renderMarkdown';

const ALLOWED_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'em', 'strong', 's', 'code', 'pre', 'a', 'span',
  'ul', 'ol', 'li', 'blockquote', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
const ALLOWED_ATTRIBUTES = new Set(['href', 'title', 'class', 'data-lang', 'start']);

/** Fails unless every real tag and attribute in `html` is on the allow-lists and every link is http(s)/mailto. */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /<iframe/i);
  for (const [tag, name, rest] of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    assert.ok(ALLOWED_TAGS.has(name.toLowerCase()), `unexpected tag ${tag}`);
    // Walk the attributes one by one, so text inside a quoted value is never taken for an attribute.
    const attribute = /\s+([^\s="'>/]+)(?:="([^"]*)")?/y;
    let pos = 0;
    for (let m = attribute.exec(rest); m !== null; attribute.lastIndex = pos, m = attribute.exec(rest)) {
      const [, attr, value = ''] = m;
      assert.doesNotMatch(attr, /^on/i, `event handler in ${tag}`);
      assert.ok(ALLOWED_ATTRIBUTES.has(attr), `unexpected attribute ${attr} in ${tag}`);
      if (attr === 'href') assert.match(value, /^(https?:\/\/|mailto:)/, `unsafe href in ${tag}`);
      pos = attribute.lastIndex;
    }
    assert.match(rest.slice(pos), /^\s*$/, `unparsed attributes in ${tag}`);
  }
  assert.doesNotMatch(html, /href="\s*(javascript|data|vbscript|file):/i);
}

describe('renderMarkdown', () => {
  describe('hostile input renders inert', () => {
    const hostile: Record<string, string> = {
      'a script tag': '<script>alert(1)</script>',
      'an img with onerror': '<img src=x onerror=alert(1)>',
      'a javascript: link': '[x](javascript:alert(1))',
      'a mixed-case javascript: link': '[x](JaVaScRiPt:alert(1))',
      'an entity-encoded javascript: link': '[x](&#106;avascript:alert(1))',
      'a javascript: autolink': '<javascript:alert(1)>',
      'a javascript: reference': '[x][r]\n\n[r]: javascript:alert(1)',
      'a data: link': '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      'a data: image': '![x](data:image/png;base64,iVBORw0KGgo=)',
      'vbscript: and file: links': '[a](vbscript:msgbox) [b](file:///etc/passwd)',
      'a remote image': '![x](http://evil/x.png)',
      'a raw iframe': '<iframe src="http://evil/"></iframe>',
      'a raw anchor': '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
      'an attribute injection in a fence info string': '```"><script>alert(1)</script>\ncode\n```',
      'an event handler in a fence info string': '``` onmouseover=alert(1)\ncode\n```',
      'raw HTML inside a table': '| a |\n|---|\n| <img src=x onerror=alert(1)> |',
      'a title with quotes': '[x](http://a "t\\" onmouseover=\\"alert(1)")',
    };
    for (const [name, input] of Object.entries(hostile)) {
      it(name, () => assertInert(renderMarkdown(input)));
    }

    it('shows raw HTML as text rather than dropping it', () => {
      assert.equal(renderMarkdown('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    });

    it('leaves a rejected link as literal text', () => {
      assert.equal(renderMarkdown('[x](javascript:alert(1))'), '<p>[x](javascript:alert(1))</p>\n');
    });

    it('turns an image into a link to it, loading nothing', () => {
      assert.equal(renderMarkdown('![chart](http://evil/x.png)'),
        '<p><a class="image-link" href="http://evil/x.png" title="http://evil/x.png">chart</a></p>\n');
    });

    // A safe scheme later in the URL must not make an unsafe one at its start pass (an unanchored check would).
    const safeSchemeLater: Record<string, [string, string]> = {
      'an inline link': ['[x](javascript:alert(1)//http://x)', '<p>[x](javascript:alert(1)//http://x)</p>\n'],
      'a reference link': ['[x][r]\n\n[r]: javascript:alert(1)//https://x', '<p>[x][r]</p>\n<p>[r]: javascript:alert(1)//https://x</p>\n'],
      'an autolink': ['<javascript:alert(1)//http://x>', '<p>&lt;javascript:alert(1)//http://x&gt;</p>\n'],
      'an image': ['![x](javascript:alert(1)//http://x)', '<p>![x](javascript:alert(1)//http://x)</p>\n'],
      'a data: link': ['[x](data:text/html,mailto:a@b)', '<p>[x](data:text/html,mailto:a@b)</p>\n'],
    };
    for (const [name, [input, expected]] of Object.entries(safeSchemeLater)) {
      it(`leaves ${name} whose unsafe scheme is followed by a safe one as literal text`, () => {
        const html = renderMarkdown(input);
        assertInert(html);
        assert.equal(html, expected);
      });
    }

    it('gives a hostile fence info string no class at all', () => {
      assert.equal(renderMarkdown('```"><script>\ncode\n```'), '<pre class="code-block"><code>code\n</code></pre>\n');
    });
  });

  describe('the link_open href filter, the second layer behind validateLink', () => {
    // With the first layer switched off, every link reaches the renderer: the filter alone must hold.
    const md = createMarkdownRenderer();
    md.validateLink = () => true;

    it('drops an unsafe href and keeps the link text', () => {
      assert.equal(md.render('[x](javascript:alert(1))'), '<p><a>x</a></p>\n');
      assert.equal(md.render('[x](javascript:alert(1)//http://x)'), '<p><a>x</a></p>\n');
      assert.equal(md.render('<vbscript:msgbox>'), '<p><a>vbscript:msgbox</a></p>\n');
    });

    it('keeps http(s) and mailto hrefs', () => {
      assert.equal(md.render('[a](https://x.y/) [b](mailto:a@b.c)'), '<p><a href="https://x.y/">a</a> <a href="mailto:a@b.c">b</a></p>\n');
    });

    it('turns an unsafe image into plain text, not a link', () => {
      assert.equal(md.render('![chart](javascript:alert(1)//http://x)'), '<p><span class="image-link">chart</span></p>\n');
    });
  });

  describe('ordinary markdown', () => {
    it('keeps http(s) and mailto links', () => {
      assert.equal(renderMarkdown('[docs](https://example.com/a?b=1) and [me](mailto:a@b.c)'),
        '<p><a href="https://example.com/a?b=1">docs</a> and <a href="mailto:a@b.c">me</a></p>\n');
    });

    it('does not turn bare URLs into links', () => {
      assert.equal(renderMarkdown('see https://example.com'), '<p>see https://example.com</p>\n');
    });

    it('marks code blocks with their language for styling', () => {
      assert.equal(renderMarkdown('```python\nx = 1 < 2\n```'),
        '<pre class="code-block"><code class="language-python" data-lang="python">x = 1 &lt; 2\n</code></pre>\n');
    });

    it('styles indented code blocks like fenced ones', () => {
      assert.equal(renderMarkdown('Code:\n\n    if a < b: pass\n'), '<p>Code:</p>\n<pre class="code-block"><code>if a &lt; b: pass\n</code></pre>\n');
    });

    it('aligns table cells with classes, not inline styles the CSP would block', () => {
      const html = renderMarkdown('| a | b |\n|:-:|--:|\n| 1 | 2 |');
      assert.doesNotMatch(html, /style=/);
      assert.match(html, /<th class="align-center">a<\/th>/);
      assert.match(html, /<td class="align-right">2<\/td>/);
      assertInert(html);
    });
  });

  describe('streaming', () => {
    it('renders an unclosed code fence as code so far', () => {
      assert.equal(renderMarkdown('Look:\n\n```ts\nconst x ='),
        '<p>Look:</p>\n<pre class="code-block"><code class="language-ts" data-lang="ts">const x =</code></pre>\n');
    });

    it('renders half-written emphasis and links as text', () => {
      assert.equal(renderMarkdown('It **adds'), '<p>It **adds</p>\n');
      assert.equal(renderMarkdown('See [the docs](https://exa'), '<p>See [the docs](https://exa</p>\n');
    });

    it('renders every prefix of a document without throwing', () => {
      const doc = '# Title\n\nSome *text* with `code` and [a link](https://x.y).\n\n- one\n- two\n\n```js\nf(1)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
      for (let i = 0; i <= doc.length; i++) assertInert(renderMarkdown(doc.slice(0, i)));
    });
  });

  describe('size limits', () => {
    it('bounds a huge table in size and time, with a note', () => {
      const row = `| ${Array.from({ length: 8 }, (_, i) => `cell ${i}`).join(' | ')} |`;
      const table = [row, `|${'---|'.repeat(8)}`, ...Array.from({ length: 20_000 }, () => row)].join('\n');
      const started = Date.now();
      const html = renderMarkdown(table, { truncatedNote: 'Cut <here>' });
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
      assert.ok((html.match(/<tr>/g) ?? []).length <= 201);
      assert.ok(html.length < 200_000, `${html.length} chars`);
      assert.ok(html.endsWith('<p class="render-note">Cut &lt;here&gt;</p>\n'));
      assertInert(html);
    });

    it('bounds huge output and keeps whole blocks', () => {
      const paragraph = `${'"&<>'.repeat(2000)}\n\n`;
      const html = renderMarkdown(paragraph.repeat(200));
      assert.ok(html.length <= 512 * 1024 + 200, `${html.length} chars`);
      assert.match(html, /<p class="render-note">/);
      assert.equal((html.match(/<p>/g) ?? []).length, (html.match(/<\/p>/g) ?? []).length - 1);
    });

    it('survives deep nesting quickly', () => {
      const started = Date.now();
      assertInert(renderMarkdown(`${'> '.repeat(5000)}x\n${'- '.repeat(5000)}y\n${'['.repeat(20_000)}`));
      assert.ok(Date.now() - started < 2000);
    });

    it('adds no note to a short answer', () => {
      assert.doesNotMatch(renderMarkdown('short'), /render-note/);
    });
  });
});
