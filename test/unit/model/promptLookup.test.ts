import * as assert from 'node:assert/strict';
import { chooseTokens } from '../../../src/model/process/decodeLoop';
import { draftTokens } from '../../../src/model/process/promptLookup';
import { seededRandom } from '../../../src/model/process/sampling';

const options = { maxDraft: 4, maxNgram: 3, minNgram: 2 };
const greedy = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, maxNewTokens: 64 };

/** Logits rows over a vocabulary of `size` where `best[i]` wins row i by a wide margin. */
function rows(best: number[], size = 8): Float32Array[] {
  return best.map((id) => Float32Array.from({ length: size }, (_, i) => (i === id ? 10 : 0)));
}

describe('prompt-lookup drafting', () => {
  it('drafts what followed the latest earlier occurrence of the last tokens', () => {
    // "a b c d e ... a b" → after the latest "a b" came "x y".
    assert.deepEqual(draftTokens([1, 2, 3, 4, 5, 9, 1, 2, 7, 8, 6, 1, 2], 10, options), [7, 8, 6, 1]);
  });

  it('prefers the longest n-gram that matches', () => {
    // The bigram "5 6" occurs twice; only the earlier occurrence also matches the trigram "4 5 6".
    assert.deepEqual(draftTokens([4, 5, 6, 10, 11, 0, 5, 6, 20, 21, 4, 5, 6], 2, options), [10, 11]);
  });

  it('drafts nothing when the context never repeated its last tokens, or a single token only', () => {
    assert.deepEqual(draftTokens([1, 2, 3, 4, 5], 8, options), []);
    assert.deepEqual(draftTokens([7, 1, 2, 3, 7], 8, options), [], 'one token is below the shortest n-gram');
  });

  it('never drafts more than the limit or the option allows', () => {
    const context = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2];
    assert.deepEqual(draftTokens(context, 2, options), [3, 4]);
    assert.deepEqual(draftTokens(context, 100, options), [3, 4, 5, 6]);
    assert.deepEqual(draftTokens(context, 0, options), []);
  });
});

describe('checking drafted tokens', () => {
  it('keeps the drafts greedy decoding agrees with, then adds the model\'s own next token', () => {
    assert.deepEqual(chooseTokens(rows([3, 4, 5]), [3, 4], greedy, [], Math.random), { tokens: [3, 4, 5], accepted: 2 });
    assert.deepEqual(chooseTokens(rows([3, 6, 5]), [3, 4], greedy, [], Math.random), { tokens: [3, 6], accepted: 1 });
    assert.deepEqual(chooseTokens(rows([2, 4, 5]), [3, 4], greedy, [], Math.random), { tokens: [2], accepted: 0 });
    assert.deepEqual(chooseTokens(rows([1]), [], greedy, [], Math.random), { tokens: [1], accepted: 0 });
  });

  it('lets the repetition penalty see the drafts accepted before each position, and leaves the context as it was', () => {
    // Row 1 prefers 3 narrowly over 6; once the accepted draft 3 is in the context, the penalty flips it.
    const close = [Float32Array.from([0, 0, 0, 10, 0, 0, 0, 0]), Float32Array.from([0, 0, 0, 5, 0, 0, 4.9, 0]), Float32Array.from({ length: 8 })];
    const context = [1];
    const result = chooseTokens(close, [3, 3], { ...greedy, repetitionPenalty: 1.5 }, context, Math.random);
    assert.deepEqual(result, { tokens: [3, 6], accepted: 1 });
    assert.deepEqual(context, [1]);
  });

  it('samples the same distribution with drafts as without them', () => {
    // Two positions over three tokens; the draft is token 0 at the first position.
    const first = Float32Array.from([Math.log(0.5), Math.log(0.3), Math.log(0.2)]);
    const second = Float32Array.from([Math.log(0.1), Math.log(0.6), Math.log(0.3)]);
    const sampling = { ...greedy, temperature: 1 };
    const random = seededRandom(11);
    const firstCounts = [0, 0, 0];
    const pairCounts = new Map<string, number>();
    const draws = 40000;
    for (let i = 0; i < draws; i++) {
      const { tokens } = chooseTokens([first, second], [0], sampling, [], random);
      firstCounts[tokens[0]]++;
      if (tokens[0] === 0) pairCounts.set(`0,${tokens[1]}`, (pairCounts.get(`0,${tokens[1]}`) ?? 0) + 1);
    }
    const near = (value: number, expected: number, what: string) => assert.ok(Math.abs(value - expected) < 0.012, `${what}: ${value} vs ${expected}`);
    near(firstCounts[0] / draws, 0.5, 'p(first = draft)');
    near(firstCounts[1] / draws, 0.3, 'p(first = 1)');
    near(firstCounts[2] / draws, 0.2, 'p(first = 2)');
    near((pairCounts.get('0,1') ?? 0) / draws, 0.5 * 0.6, 'p(draft, then 1)');
    near((pairCounts.get('0,2') ?? 0) / draws, 0.5 * 0.3, 'p(draft, then 2)');
  });
});
