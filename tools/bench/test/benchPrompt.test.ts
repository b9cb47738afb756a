import * as assert from 'node:assert/strict';
import { cacheFlushPrompt, cutToTokens, sourceText } from '../benchPrompt';

// A stand-in tokenizer: one token per two characters, rounded up.
const countPairs = async (text: string): Promise<number> => Math.ceil(text.length / 2);

describe('bench prompt', () => {
  it('makes the same source text every time, as long as asked', () => {
    const text = sourceText(5000);
    assert.ok(text.length >= 5000);
    assert.equal(sourceText(5000), text);
    assert.match(text, /^\/\/ /);
  });

  it('cuts the text to the longest prefix with the asked token count', async () => {
    const { prompt, tokens } = await cutToTokens(sourceText(2000), 512, countPairs);
    assert.equal(tokens, 512);
    assert.equal(prompt.length, 1024);
  });

  it('refuses a text too short for the count', async () => {
    await assert.rejects(cutToTokens('short', 512, countPairs), /fewer than 512 tokens/);
  });

  it('flushes the cache with a prompt whose first character differs from the benchmark prompt', () => {
    assert.notEqual(cacheFlushPrompt[0], sourceText(10)[0]);
  });
});
