import * as assert from 'node:assert/strict';
import { defaultBenchOptions, parseBenchArgs } from '../benchOptions';

describe('bench options', () => {
  it('defaults to 5 rounds of q8 and q4 with a 512-token prompt and 32 new tokens', () => {
    const options = parseBenchArgs([]);
    assert.deepEqual(options, defaultBenchOptions);
    assert.equal(options.rounds, 5);
    assert.deepEqual(options.variants, ['q8', 'q4']);
    assert.equal(options.promptTokens, 512);
    assert.equal(options.newTokens, 32);
  });

  it('reads flags in both "--flag value" and "--flag=value" forms', () => {
    const options = parseBenchArgs(['--rounds', '3', '--variants=q4,fp32,q8', '--threads=1', '--prompt-tokens', '256', '--new-tokens', '8', '--kind', 'random']);
    assert.equal(options.rounds, 3);
    assert.deepEqual(options.variants, ['q4', 'fp32', 'q8']);
    assert.equal(options.threads, 1);
    assert.equal(options.promptTokens, 256);
    assert.equal(options.newTokens, 8);
    assert.equal(options.kind, 'random');
  });

  it('rejects what it cannot run, naming the flag', () => {
    assert.throws(() => parseBenchArgs(['--rounds', '0']), /--rounds must be a positive integer/);
    assert.throws(() => parseBenchArgs(['--rounds']), /--rounds needs a value/);
    assert.throws(() => parseBenchArgs(['--variants', 'q8,int3']), /--variants must be one of/);
    assert.throws(() => parseBenchArgs(['--variants', 'q8,q8']), /repeats/);
    assert.throws(() => parseBenchArgs(['--new-tokens', '1']), /at least 2/);
    assert.throws(() => parseBenchArgs(['--fast']), /Unknown option --fast/);
  });

  it('does not share the default variant list with the options it returns', () => {
    parseBenchArgs([]).variants.push('fp32');
    assert.deepEqual(defaultBenchOptions.variants, ['q8', 'q4']);
  });
});
