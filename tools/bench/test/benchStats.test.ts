import * as assert from 'node:assert/strict';
import { formatNumber, formatRatio, formatSummary, markdownTable, ratioOf, summarize } from '../benchStats';

describe('bench statistics', () => {
  it('takes the median of odd and even counts, ignoring what was not measured', () => {
    assert.deepEqual(summarize([30, 10, 20]), { median: 20, min: 10, max: 30, count: 3 });
    assert.deepEqual(summarize([4, NaN, 1, 3, 2]), { median: 2.5, min: 1, max: 4, count: 4 });
    assert.equal(summarize([NaN]), undefined);
    assert.equal(summarize([]), undefined);
  });

  it('is not pulled by one slow round the way a mean would be', () => {
    assert.equal(summarize([100, 101, 99, 102, 5000])?.median, 101);
  });

  it('divides medians, refusing a zero or missing side', () => {
    assert.equal(ratioOf(summarize([3]), summarize([2])), 1.5);
    assert.equal(ratioOf(summarize([3]), summarize([0])), undefined);
    assert.equal(ratioOf(undefined, summarize([2])), undefined);
  });

  it('formats medians with their spread, and ratios', () => {
    assert.equal(formatNumber(1234.4), '1234');
    assert.equal(formatNumber(16.94), '16.9');
    assert.equal(formatSummary(summarize([1880, 1950, 2210])), '1950 (1880–2210)');
    assert.equal(formatSummary(summarize([7, 7])), '7');
    assert.equal(formatSummary(undefined), '—');
    assert.equal(formatRatio(0.6543), '0.65×');
  });

  it('writes a markdown table whose cells cannot break a row', () => {
    assert.equal(markdownTable(['a', 'b'], [['1', 'x|y']]), '| a | b |\n| --- | --- |\n| 1 | x\\|y |');
  });
});
