import * as assert from 'node:assert/strict';
import { argmax, nucleus, sampleToken, seededRandom, topKCandidates, type TokenSampler } from '../../../src/model/process/sampling';

const greedy: TokenSampler = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
const plain: TokenSampler = { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 };

function frequencies(logits: number[], options: TokenSampler, draws: number, seed = 7): number[] {
  const random = seededRandom(seed);
  const counts = new Array<number>(logits.length).fill(0);
  for (let i = 0; i < draws; i++) counts[sampleToken(logits, options, [], random)]++;
  return counts.map((c) => c / draws);
}

function randomScores(length: number, random: () => number): Float32Array {
  return Float32Array.from({ length }, () => (random() - 0.5) * 20);
}

describe('sampling', () => {
  it('is greedy at temperature 0, whatever the random numbers', () => {
    const logits = [0.1, 3, -2, 2.9];
    for (const value of [0, 0.5, 0.999]) assert.equal(sampleToken(logits, greedy, [], () => value), 1);
  });

  it('repeats a seeded stream and varies between seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = Array.from({ length: 20 }, () => a());
    assert.deepEqual(Array.from({ length: 20 }, () => b()), first);
    assert.notDeepEqual(Array.from({ length: 20 }, () => c()), first);
    assert.ok(first.every((x) => x >= 0 && x < 1));
  });

  it('draws tokens in proportion to their probability at temperature 1', () => {
    const freq = frequencies([Math.log(0.7), Math.log(0.2), Math.log(0.1)], plain, 20000);
    assert.ok(Math.abs(freq[0] - 0.7) < 0.02, `p0 ${freq[0]}`);
    assert.ok(Math.abs(freq[1] - 0.2) < 0.02, `p1 ${freq[1]}`);
    assert.ok(Math.abs(freq[2] - 0.1) < 0.02, `p2 ${freq[2]}`);
  });

  it('flattens the distribution at a high temperature and sharpens it at a low one', () => {
    const logits = [1, 0];
    assert.ok(frequencies(logits, { ...plain, temperature: 100 }, 20000)[0] < 0.53);
    assert.ok(frequencies(logits, { ...plain, temperature: 0.05 }, 2000)[0] > 0.99);
  });

  it('keeps only the top k tokens', () => {
    const freq = frequencies([0, 0.1, 0.2, 0.3, 0.4], { ...plain, topK: 2 }, 5000);
    assert.equal(freq[0] + freq[1] + freq[2], 0);
    assert.ok(freq[3] > 0.3 && freq[4] > 0.3);
  });

  it('keeps only the nucleus of top-p probability mass', () => {
    const freq = frequencies([Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)], { ...plain, topP: 0.75 }, 5000);
    assert.equal(freq[2] + freq[3], 0);
    assert.ok(Math.abs(freq[0] - 0.625) < 0.03, `renormalised p0 ${freq[0]}`);
  });

  it('penalises tokens already in the context, positive and negative logits alike', () => {
    const penalty = { ...greedy, repetitionPenalty: 1.5 };
    assert.equal(sampleToken([2, 1.5], penalty, [], Math.random), 0);
    assert.equal(sampleToken([2, 1.5], penalty, [0], Math.random), 1);
    assert.equal(sampleToken([-1, -1.2], penalty, [0, 0, 0], Math.random), 1);
  });

  it('does not modify the logits it is given', () => {
    const logits = new Float32Array([1, 2, 3]);
    sampleToken(logits, { ...plain, repetitionPenalty: 2, topK: 2 }, [2], seededRandom(1));
    assert.deepEqual([...logits], [1, 2, 3]);
  });

  it('finds the same top k as a full sort', () => {
    const random = seededRandom(3);
    for (const k of [1, 5, 40]) {
      const scores = randomScores(5000, random);
      const expected = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]).slice(0, k);
      assert.deepEqual(topKCandidates(scores, k), expected);
    }
    assert.equal(argmax(randomScores(10, random).fill(1)), 0);
  });

  it('finds the same nucleus as a full sort over a large vocabulary', () => {
    const random = seededRandom(5);
    for (const topP of [0.1, 0.9, 0.999]) {
      const scores = randomScores(50000, random);
      const max = Math.max(...scores);
      const probs = Float64Array.from(scores, (s) => Math.exp(s - max));
      const sum = probs.reduce((a, b) => a + b, 0);
      probs.forEach((p, i) => (probs[i] = p / sum));
      const sorted = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]);
      const expected: number[] = [];
      let mass = 0;
      for (const id of sorted) {
        expected.push(id);
        mass += probs[id];
        if (mass >= topP) break;
      }
      assert.deepEqual(nucleus(Array.from(probs.keys()), probs, topP), expected);
    }
  });
});
