// Two gaps in the completion unit tests, found by `npm run test:mutation` and the test audit (issue 15).
// They live in a file of their own while src/completion and its tests are being rewritten elsewhere.
import * as assert from 'node:assert/strict';
import { cacheKey } from '../../../src/completion/completionCache';
import { detectTemplate } from '../../../src/completion/templates';

describe('completion cache key', () => {
  it('is the settings, the mode and the SHA-1 of the whole prompt: fixed for a request, short for any prompt', () => {
    // sha1("p"), computed outside the project: `printf p | sha1sum`.
    assert.equal(cacheKey('m1', 'single', 'p'), 'm1|single|516b9783fca517eecbd1d064da2d165310b19759');
    const long = `def f():\n${'    x = 1\n'.repeat(10_000)}`;
    assert.equal(cacheKey('m1', 'single', long).length, 'm1|single|'.length + 40);
    assert.notEqual(cacheKey('m1', 'single', long), cacheKey('m1', 'single', `${long.slice(0, -1)}2`), 'the last character counts too');
  });
});

describe('template detection', () => {
  it('tells CodeGemma from Qwen by its <|file_separator|> token alone, when model_type names neither', () => {
    const tokens = ['<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|file_separator|>'];
    assert.equal(detectTemplate({ specialTokens: tokens, modelType: '' }, 'auto').template.id, 'codegemma');
    assert.equal(detectTemplate({ specialTokens: tokens.slice(0, 3), modelType: '' }, 'auto').template.id, 'qwen');
  });
});
