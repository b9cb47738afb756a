import * as assert from 'node:assert/strict';
import { histogram, median, percentile } from '../../../src/statistics/quantiles';
import { modelLabel, summarize, tokensPerSecond } from '../../../src/statistics/statisticsSummary';
import { T0, completion, explanation } from './eventFixtures';

const HOUR = 3_600_000;

describe('statistics: percentiles and bins', () => {
  it('interpolates between the nearest ranks', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(hundred, 50), 50.5);
    assert.ok(Math.abs(percentile(hundred, 95)! - 95.05) < 1e-9);
    assert.equal(percentile(hundred, 0), 1);
    assert.equal(percentile(hundred, 100), 100);
    assert.equal(percentile([], 50), undefined);
  });

  it('bins latencies in round widths up to the slowest values, counting outliers in the last bin', () => {
    const h = histogram([0, 40, 60, 110, 120, 190]);
    assert.equal(h.binWidth, 10);
    assert.equal(h.counts.length, 20);
    assert.deepEqual(h.counts.flatMap((n, i) => (n ? [[i, n]] : [])), [[0, 1], [4, 1], [6, 1], [11, 1], [12, 1], [19, 1]]);
    assert.equal(h.overflow, 0);
    // One cold start among 200 quick answers does not squash them into one bar.
    const skewed = histogram([...Array.from({ length: 200 }, () => 100), 10_000]);
    assert.equal(skewed.binWidth, 10);
    assert.equal(skewed.counts.length, 11);
    assert.equal(skewed.counts[10], 201);
    assert.equal(skewed.overflow, 1);
    assert.deepEqual(histogram([]).counts, []);
  });
});

describe('statistics: the summary', () => {
  it('rates acceptance per language and per model: accepted and partly accepted over shown', () => {
    const events = [
      completion({ languageId: 'python', outcome: 'accepted' }),
      completion({ languageId: 'python', outcome: 'partial', partialBy: 'word', acceptedShare: 0.4 }),
      completion({ languageId: 'python', outcome: 'dismissed', acceptedShare: 0 }),
      completion({ languageId: 'python', outcome: 'dismissed', acceptedShare: 0 }),
      completion({ languageId: 'go', outcome: 'accepted', dtype: 'q4' }),
      explanation(),
    ];
    const s = summarize(events, 0);
    assert.deepEqual(s.completions, { shown: 5, accepted: 2, partial: 1, dismissed: 2, rate: 0.6 });
    assert.deepEqual(s.byLanguage.map((r) => [r.label, r.shown, r.accepted, r.partial, r.dismissed, r.rate]), [['python', 4, 1, 1, 2, 0.5], ['go', 1, 1, 0, 0, 1]]);
    assert.deepEqual(s.byModel.map((r) => [r.label, r.shown, r.rate]), [['Qwen2.5-Coder-0.5B-Instruct · q8', 4, 0.5], ['Qwen2.5-Coder-0.5B-Instruct · q4', 1, 1]]);
    assert.equal(s.events, 6);
  });

  it('gives p50 and p95 of the time from the last keystroke to the ghost text', () => {
    const events = Array.from({ length: 20 }, (_, i) => completion({ sinceKeystrokeMs: (i + 1) * 10, providerMs: 5 }));
    const { latency } = summarize(events, 0);
    assert.equal(latency.count, 20);
    assert.equal(latency.p50, 105);
    assert.equal(latency.p95, 190.5);
    assert.equal(latency.histogram.counts.reduce((a, b) => a + b, 0), 20);
  });

  it('measures decoding speed after the first token, only where the model ran', () => {
    assert.equal(tokensPerSecond(completion({ decodedTokens: 17, timeToFirstTokenMs: 80, generationMs: 480 })), 40);
    assert.equal(tokensPerSecond(completion({ source: 'cache' })), undefined);
    assert.equal(tokensPerSecond(completion({ decodedTokens: 1 })), undefined);
    assert.equal(tokensPerSecond(completion({ generationMs: undefined })), undefined);
    assert.equal(tokensPerSecond(explanation()), 40);
  });

  it('draws speed over time per model, oldest first', () => {
    const s = summarize([
      completion({ at: T0 + 2 * HOUR, dtype: 'q4', generationMs: 280 }),
      completion({ at: T0 + HOUR }),
      explanation({ at: T0 }),
      completion({ at: T0 + 3 * HOUR, source: 'typedAhead' }),
    ], 0);
    assert.deepEqual(s.speed.map((series) => [series.label, series.points]), [
      ['Qwen2.5-Coder-0.5B-Instruct · q4', [[T0 + 2 * HOUR, 80]]],
      ['Qwen2.5-Coder-0.5B-Instruct · q8', [[T0, 40], [T0 + HOUR, 40]]],
    ]);
  });

  it('counts cache reuse: completions answered without generating, and prompt tokens from the KV cache', () => {
    const s = summarize([
      completion({ source: 'generated', promptTokens: 400, reusedPromptTokens: 300 }),
      completion({ source: 'generated', promptTokens: 600, reusedPromptTokens: 0 }),
      completion({ source: 'cache', promptTokens: 500, reusedPromptTokens: 0 }),
      completion({ source: 'typedAhead' }),
      completion({ source: 'inflight' }),
    ], 0);
    assert.deepEqual(s.cache, { completions: 5, cache: 1, typedAhead: 1, inflight: 1, generated: 2, promptTokens: 1000, reusedPromptTokens: 300 });
  });

  it('puts two models side by side when both were used', () => {
    const s = summarize([
      completion({ sinceKeystrokeMs: 100 }), completion({ sinceKeystrokeMs: 300, outcome: 'dismissed', acceptedShare: 0 }),
      completion({ model: '/home/me/models/coder-1.5b/', dtype: 'q4', sinceKeystrokeMs: 900, generationMs: 1_680 }),
      explanation({ model: '/home/me/models/coder-1.5b/', dtype: 'q4' }),
    ], 0);
    assert.deepEqual(s.models.map((m) => [m.label, m.completions.shown, m.completions.rate, m.latencyP50, m.tokensPerSecondP50, m.explanations]), [
      ['Qwen2.5-Coder-0.5B-Instruct · q8', 2, 0.5, 200, 40, 0],
      // Its completion decodes at 10 tokens/s, its explanation at 40.
      ['coder-1.5b · q4', 1, 1, 900, 25, 1],
    ]);
  });

  it('sums up explanations: how they ended, time to first text, speed', () => {
    const s = summarize([
      explanation({ timeToFirstTextMs: 800 }),
      explanation({ outcome: 'stopped', timeToFirstTextMs: 1_000, decodedTokens: 41, generationMs: 1_700 }),
      explanation({ outcome: 'failed', timeToFirstTextMs: undefined, decodedTokens: 0, generationMs: undefined, timeToFirstTokenMs: undefined }),
      explanation({ outcome: 'length' }),
    ], 0);
    assert.deepEqual(s.explanations, { count: 4, finished: 1, length: 1, stopped: 1, failed: 1, timeToFirstTextP50: 900, tokensPerSecondP50: 40 });
  });

  it('counts today from local midnight for the status bar', () => {
    const midnight = T0 + HOUR;
    const s = summarize([
      completion({ at: midnight - 1, outcome: 'dismissed', acceptedShare: 0, sinceKeystrokeMs: 5_000 }),
      completion({ at: midnight, sinceKeystrokeMs: 200 }),
      completion({ at: midnight + HOUR, sinceKeystrokeMs: 400, outcome: 'dismissed', acceptedShare: 0 }),
    ], midnight);
    assert.deepEqual(s.today, { completions: 2, rate: 0.5, latencyP50: 300 });
  });

  it('is empty, not broken, with no events', () => {
    const s = summarize([], 0);
    assert.deepEqual([s.events, s.since, s.completions.rate, s.latency.p50, s.today.rate, s.models.length, s.speed.length], [0, undefined, undefined, undefined, undefined, 0, 0]);
  });

  it('labels a model by its last path or repo segment, its weights and a server backend', () => {
    assert.equal(modelLabel({ model: 'onnx-community/Qwen2.5-Coder-1.5B', dtype: 'q4', backend: 'local' }), 'Qwen2.5-Coder-1.5B · q4');
    assert.equal(modelLabel({ model: 'C:\\models\\tiny\\', dtype: 'fp32', backend: 'local' }), 'tiny · fp32');
    assert.equal(modelLabel({ model: 'qwen2.5-coder:1.5b', dtype: 'other', backend: 'server' }), 'qwen2.5-coder:1.5b · other · server');
  });
});
