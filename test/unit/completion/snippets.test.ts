import * as assert from 'node:assert/strict';
import { formatAsComment } from '../../../src/languages/commentSyntax';
import { formatSnippet, selectSnippets } from '../../../src/completion/snippets';

const around = 'const order = createOrder(customer, basket);\nconst total = orderTotal(order, taxRate);\n';

const orders = [
  'import { db } from "./db";',
  ...Array.from({ length: 40 }, (_, i) => `const unrelated${i} = ${i};`),
  'export function createOrder(customer, basket) {',
  '  return { customer, basket, taxRate: defaultTaxRate };',
  '}',
  'export function orderTotal(order, taxRate) {',
  '  return order.basket.sum * (1 + taxRate);',
  '}',
].join('\n');

describe('snippets from open editors', () => {
  it('picks the window of another file most similar to the code at the cursor', () => {
    const docs = [
      { path: 'src/orders.ts', languageId: 'typescript', text: orders },
      { path: 'src/colors.ts', languageId: 'typescript', text: 'export const red = "#f00";\nexport const blue = "#00f";\n' },
      { path: 'src/app.ts', languageId: 'typescript', text: around },
    ];
    const picked = selectSnippets(around, docs, 'src/app.ts', { windowLines: 10 });
    assert.equal(picked.length, 1, 'the dissimilar file and the current file are left out');
    assert.equal(picked[0]?.path, 'src/orders.ts');
    assert.match(picked[0]?.text ?? '', /export function orderTotal\(order, taxRate\)/);
    assert.doesNotMatch(picked[0]?.text ?? '', /unrelated0 /);
  });

  it('skips binary and oversized editors, and returns at most maxSnippets', () => {
    const docs = [
      { path: 'bin.dat', languageId: 'plaintext', text: `createOrder\u0000\u0000${around}` },
      { path: 'big.ts', languageId: 'typescript', text: around.repeat(20_000) },
      { path: 'a.ts', languageId: 'typescript', text: around },
      { path: 'b.ts', languageId: 'typescript', text: around },
    ];
    const picked = selectSnippets(around, docs, 'src/app.ts', { maxSnippets: 1 });
    assert.deepEqual(picked.map((s) => s.path), ['a.ts']);
  });

  it('formats a snippet as comments in the current document\'s language', () => {
    const snippet = { path: 'lib/util.py', text: 'def twice(x):\n    return 2 * x', score: 1 };
    assert.equal(formatSnippet(snippet, 'python'), '# Related code in lib/util.py:\n# def twice(x):\n#     return 2 * x\n');
    assert.equal(formatSnippet(snippet, 'plaintext'), undefined);
  });

  it('writes block comments where a language has only those, never letting the text close them early', () => {
    assert.equal(formatAsComment('a --> b', 'html'), '<!--\na - -> b\n-->');
    assert.equal(formatAsComment('x\n\ny', 'rust', '    '), '    // x\n    //\n    // y');
  });
});
