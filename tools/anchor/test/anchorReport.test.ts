import * as assert from 'node:assert/strict';
import { parseAnchorArgs, defaultAnchorOptions } from '../anchorOptions';
import { pairedRatio, renderAnchorReport } from '../anchorReport';
import type { EngineSample } from '../engineSample';
import type { AnchorRun } from '../runAnchor';

function sample(engine: EngineSample['engine'], ttftMs: number, decode: number): EngineSample {
  return { engine, loadMs: 1000, rssAfterLoadMiB: 700, peakRssMiB: 800, promptTokens: 512, ttftMs, generatedTokens: 32, decodeTokensPerSecond: decode, coresObtained: 2 };
}

const ready = { type: 'ready' as const, libraryMs: 700, modelMs: 600, contextMs: 400, rssMiB: 690, backend: 'libggml-cpu-zen4.so', systemInfo: 'CPU : AVX2 = 1', release: 'v0.5.0' };
const done = { type: 'done' as const, tokenizedTokens: 512, promptTokens: 512, ttftMs: 4000, generatedTokens: 32, totalMs: 5000, cpuSeconds: 10, peakRssMiB: 735 };

const run: AnchorRun = {
  options: { ...defaultAnchorOptions, rounds: 3 },
  machine: { cores: 2, cpuModel: 'Test CPU', memoryGiB: 24, simd: ['avx2'], node: 'v20', platform: 'linux-x64' },
  startedAt: new Date('2026-11-29T06:00:00Z'),
  durationMs: 90_000,
  load: [{ at: new Date(), loadAverage: [0.5, 0.5, 0.5] }, { at: new Date(), loadAverage: [2, 1, 1] }],
  promptTokens: 512,
  ggufBytes: 528 * 2 ** 20,
  // Round 2 ran llama.cpp first; a busy round slows both engines alike.
  rounds: [
    [sample('inkling', 500, 40), sample('llama.cpp', 4000, 30)],
    [sample('llama.cpp', 8000, 15), sample('inkling', 1000, 20)],
    [sample('inkling', 600, 42), sample('llama.cpp', 4000, 30)],
  ],
  llama: [{ ready, done }],
};

describe('anchor report', () => {
  it('pairs Inkling with llama.cpp within each round, whatever order they ran in', () => {
    const ttft = pairedRatio(run, (s) => s.ttftMs);
    assert.deepEqual(ttft && [ttft.median, ttft.min, ttft.max], [0.125, 0.125, 0.15]);
    const decode = pairedRatio(run, (s) => s.decodeTokensPerSecond);
    assert.deepEqual(decode && [decode.min, decode.max], [4 / 3, 1.4]);
  });

  it('renders medians, ratios, the backend and the token counts', () => {
    const text = renderAnchorReport(run, 'node out/tools/anchor/anchorBench.js');
    assert.match(text, /\| prompt: time to first token \(ms\) \| 600 \(500–1000\) \| 4000 \(4000–8000\) \| 0\.13× \(0\.13×–0\.15×\) \|/);
    assert.match(text, /\| decode \(tokens\/s, greedy\) \| 40 \(20–42\) \| 30 \(15–30\) \| 1\.33× \(1\.33×–1\.40×\) \|/);
    assert.match(text, /libggml-cpu-zen4\.so/);
    assert.match(text, /llama\.cpp tokenized the same text into 512 tokens and ran 512/);
    assert.match(text, /3 rounds, order alternating/);
    assert.match(text, /\| load: process start to ready \(ms\) \| 1000 \| 1000 \| 1\.00× \|/);
  });
});

describe('anchor options', () => {
  it('defaults to 5 rounds, 2 threads, 512 prompt tokens, 32 new tokens, q8 against Q8_0', () => {
    assert.deepEqual(parseAnchorArgs([]), { rounds: 5, threads: 2, promptTokens: 512, newTokens: 32, dtype: 'q8', ggufType: 'Q8_0' });
  });

  it('reads flags and rejects what it cannot run', () => {
    assert.deepEqual(parseAnchorArgs(['--rounds=3', '--threads', '1', '--gguf-type', 'Q4_0', '--dtype=q4']),
      { ...defaultAnchorOptions, rounds: 3, threads: 1, ggufType: 'Q4_0', dtype: 'q4' });
    assert.throws(() => parseAnchorArgs(['--gguf-type', 'Q4_K_M']), /--gguf-type must be one of/);
    assert.throws(() => parseAnchorArgs(['--new-tokens', '1']), /at least 2/);
    assert.throws(() => parseAnchorArgs(['--fast']), /Unknown option/);
  });
});
