import * as assert from 'node:assert/strict';
import type { Dtype } from '../../../src/model/protocol';
import { defaultAnchorOptions } from '../../anchor/anchorOptions';
import type { EngineSample } from '../../anchor/engineSample';
import type { AnchorRun } from '../../anchor/runAnchor';
import { defaultBenchOptions } from '../benchOptions';
import { quickFigures, quickLine, renderQuickSection, type QuickInputs } from '../quickSummary';
import type { BenchRun } from '../runBench';
import type { CompletionSample, RoundSample } from '../variantRound';

function completion(decode: number, totalMs: number): CompletionSample {
  return { generatedTokens: 30, totalMs, decodeTokensPerSecond: decode, effectiveTokensPerSecond: 30000 / totalMs, forwardSteps: 31, draftedTokens: 0, acceptedDraftTokens: 0 };
}

function sample(variant: Dtype, decode: number, loopLateMaxMs: number): RoundSample {
  return {
    variant, loadWallMs: 2000, loadInProcessMs: 1500, promptTokens: 512, coldTtftMs: 500, generatedTokens: 1, decodeTokensPerSecond: NaN,
    loopDelayMaxMs: 12, loopDelayP99Ms: 11, loopLateMaxMs, extendedPromptTokens: 516, reuseTtftMs: 30, reusedPromptTokens: 511,
    coldExtendedTtftMs: 500, coldExtendedReusedTokens: 0,
    keystrokes: [{ typed: 'r', promptTokens: 440, keptTtftMs: 100, reusedPromptTokens: 316, coldTtftMs: 400, coldReusedTokens: 0 }],
    completion: { plain: completion(decode, 1000), lookup: completion(decode, 800) },
    repeat: { plain: completion(decode, 300), lookup: completion(decode, 100) },
  };
}

function engine(engineName: EngineSample['engine'], ttftMs: number, decode: number): EngineSample {
  return { engine: engineName, loadMs: 1000, rssAfterLoadMiB: 700, peakRssMiB: 800, promptTokens: 512, ttftMs, generatedTokens: 32, decodeTokensPerSecond: decode, coresObtained: 2 };
}

function inputs(): QuickInputs {
  const at = { at: new Date(0), loadAverage: [1, 1, 1] as [number, number, number] };
  const machine = { cores: 2, cpuModel: 'Test CPU', simd: ['avx2'], memoryGiB: 24, node: 'v20', platform: 'linux-x64' };
  const run: BenchRun = {
    options: { ...defaultBenchOptions, rounds: 2, quick: true }, machine, startedAt: new Date(0), durationMs: 1000, load: [at, at, at], promptTokens: 512,
    fim: { prompts: [], charsPerToken: 1.7 },
    // Round 2 is busier: both variants slow down, the paired q4/q8 ratio stays 1.2.
    samples: [[sample('q8', 40, 7), sample('q4', 48, 31)], [sample('q4', 24, 4), sample('q8', 20, 9)]],
  };
  const anchor: AnchorRun = {
    options: { ...defaultAnchorOptions, rounds: 2 }, machine, startedAt: new Date(0), durationMs: 1000, load: [at], promptTokens: 512, ggufBytes: 1,
    rounds: [[engine('inkling', 450, 40), engine('llama.cpp', 1500, 32)], [engine('llama.cpp', 3000, 16), engine('inkling', 900, 20)]],
    llama: [],
  };
  // Ceiling 50 tokens/s in round 1 (25 GB/s ÷ 500 MB), 40 in round 2.
  return {
    run, anchor, bandwidth: [25e9, 20e9], weights: { q8: { total: 630e6, gathered: 130e6, perToken: 500e6 }, q4: { total: 850e6, gathered: 545e6, perToken: 305e6 } },
    activation: { totalMs: { median: 42.4, min: 40, max: 50, count: 5 }, requireMs: { median: 30, min: 29, max: 31, count: 5 }, activateMs: { median: 12, min: 11, max: 19, count: 5 }, faked: [] },
    pauseRatio: undefined,
  };
}

describe('quick summary', () => {
  it('ends with the one line, ratios per round, n/a for what did not run', () => {
    const line = quickLine(quickFigures(inputs()));
    assert.equal(line, 'pause_p50_vs_naive=n/a fim_warm/cold=0.25 decode_vs_ceiling=0.65 q4_vs_q8=1.20 spec_speedup=1.25 ' +
      'ttft_vs_llama=0.30 decode_vs_llama=1.25 loop_max_ms=31 activation_ms=42');
  });

  it('says for each target whether this run met it, with the numbers behind it', () => {
    const text = renderQuickSection(inputs(), quickFigures(inputs()));
    assert.match(text, /\| FIM keystroke, kept cache ≤ 0\.2 × cold \| 0\.25 \| missed \|/);
    assert.match(text, /\| decode ≥ 0\.6 × the bandwidth ceiling \(q8\) \| 0\.65 \| met \| 30 tokens\/s vs 45 \(22\.5 GB\/s ÷ 500 MB a token\) \|/);
    assert.match(text, /\| pause → ghost text p50 ≤ 0\.5 × naive \| n\/a \| not measured \|/);
    assert.match(text, /\| activation ≤ 50 ms \| 42 \| met \| load 30 \+ activate\(\) 12 ms/);
    assert.match(text, /\| host event loop never delayed > 50 ms \| 31 \| met \|/);
  });
});
