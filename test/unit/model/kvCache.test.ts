import * as assert from 'node:assert/strict';
import { Tensor } from '@huggingface/transformers';
import { commonPrefixLength, KvCache, truncateSequence, type PastKeyValues } from '../../../src/model/process/kvCache';

// [batch 1, heads 2, sequence, headDim 3] where each value encodes (head, position, dim).
function kv(sequence: number): Tensor {
  const data = new Float32Array(2 * sequence * 3);
  for (let h = 0; h < 2; h++) for (let p = 0; p < sequence; p++) for (let d = 0; d < 3; d++) data[(h * sequence + p) * 3 + d] = h * 100 + p * 10 + d;
  return new Tensor('float32', data, [1, 2, sequence, 3]);
}

function past(sequence: number): PastKeyValues {
  return { 'past_key_values.0.key': kv(sequence), 'past_key_values.0.value': kv(sequence) };
}

describe('kvCache', () => {
  it('measures the shared prefix of two token lists', () => {
    assert.equal(commonPrefixLength([1, 2, 3], [1, 2, 4]), 2);
    assert.equal(commonPrefixLength([1, 2], [1, 2, 3]), 2);
    assert.equal(commonPrefixLength([], [1]), 0);
    assert.equal(commonPrefixLength([5], [1]), 0);
  });

  it('cuts a cache tensor back to its first positions in every head', () => {
    const cut = truncateSequence(kv(4), 2);
    assert.deepEqual(cut.dims, [1, 2, 2, 3]);
    assert.deepEqual([...(cut.data as Float32Array)], [...(kv(2).data as Float32Array)]);
  });

  it('hands over the whole cache when the prompt extends the cached tokens', () => {
    const cache = new KvCache();
    const kept = past(3);
    cache.keep([1, 2, 3], kept);
    const { past: reused, reused: count } = cache.take([1, 2, 3, 4, 5]);
    assert.equal(count, 3);
    assert.equal(reused, kept);
    assert.deepEqual(cache.take([1, 2, 3, 4]), { reused: 0 }, 'a cache is handed over only once');
  });

  it('trims the cache to the shared prefix when the prompt diverges', () => {
    const cache = new KvCache();
    cache.keep([1, 2, 3, 4], past(4));
    const { past: reused, reused: count } = cache.take([1, 2, 9]);
    assert.equal(count, 2);
    assert.deepEqual(reused?.['past_key_values.0.key'].dims, [1, 2, 2, 3]);
  });

  it('leaves the last prompt token to run when the prompt is all cached', () => {
    const cache = new KvCache();
    cache.keep([1, 2, 3, 4], past(4));
    assert.equal(cache.take([1, 2, 3]).reused, 2);
  });

  it('reuses nothing when the first token differs', () => {
    const cache = new KvCache();
    cache.keep([1, 2], past(2));
    assert.deepEqual(cache.take([7, 2, 3]), { reused: 0 });
  });
});
