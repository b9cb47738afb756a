import * as assert from 'node:assert/strict';
import type { Dtype } from '../../../src/model/protocol';
import { defaultBenchOptions } from '../benchOptions';
import { pairedRatio, renderReport, valuesOf } from '../benchReport';
import type { BenchRun } from '../runBench';
import type { FimPrompt } from '../fimPrompts';
import type { KeystrokeSample } from '../fimTyping';
import type { RoundSample } from '../variantRound';

function keystroke(typed: string, keptTtftMs: number, coldTtftMs: number): KeystrokeSample {
  return { typed, promptTokens: 500 + typed.length, keptTtftMs, reusedPromptTokens: 340, coldTtftMs, coldReusedTokens: 0 };
}

const fimPrompt = (typed: string, sharedChars: number): FimPrompt => ({ typed, prompt: 'x'.repeat(900), sharedChars, counted: 510 });

function sample(variant: Dtype, coldTtftMs: number, extra: Partial<RoundSample> = {}): RoundSample {
  return {
    variant, loadWallMs: 2000, loadInProcessMs: 1500, rssAfterLoadMiB: 800, peakRssMiB: 900, promptTokens: 512,
    coldTtftMs, generatedTokens: 32, decodeTokensPerSecond: 16, coresObtained: 1.9, loopDelayMaxMs: 12, loopDelayP99Ms: 11, loopLateMaxMs: 5,
    extendedPromptTokens: 516, reuseTtftMs: 40, reusedPromptTokens: 511, coldExtendedTtftMs: 2000, coldExtendedReusedTokens: 0,
    keystrokes: [keystroke('r', 200, coldTtftMs / 2), keystroke('re', 100, coldTtftMs / 2)],
    ...extra,
  };
}

// The machine's load drifts between rounds: q4 takes 1.5× q8's time in two rounds and 1.2× in one.
// Paired ratios say 1.5×; dividing the medians (2400 / 2000) would say 1.2×.
function run(): BenchRun {
  const at = (one: number) => ({ at: new Date(0), loadAverage: [one, 1, 1] as [number, number, number] });
  return {
    options: { ...defaultBenchOptions, rounds: 3 },
    machine: { cores: 2, cpuModel: 'Test CPU', simd: ['avx2', 'fma'], memoryGiB: 24, node: 'v20', platform: 'linux-x64' },
    startedAt: new Date('2026-11-29T06:00:00Z'),
    durationMs: 120000,
    load: [at(0.5), at(3.5), at(1.2), at(2), at(0.9)],
    promptTokens: 512,
    fim: { prompts: [fimPrompt('', 0), fimPrompt('r', 600), fimPrompt('re', 601)], charsPerToken: 1.8 },
    samples: [
      [sample('q8', 1000), sample('q4', 1500, { reuseTtftMs: 60 })],
      [sample('q4', 6000), sample('q8', 4000)],
      [sample('q8', 2000), sample('q4', 2400)],
    ],
  };
}

describe('bench report', () => {
  it('collects one metric per variant across rounds', () => {
    assert.deepEqual(valuesOf(run(), 'q4', (s) => s.coldTtftMs), [1500, 6000, 2400]);
  });

  it('takes ratios within each round', () => {
    const ratio = pairedRatio(run(), 'q4', 'q8', (s) => s.coldTtftMs);
    assert.deepEqual(ratio, { median: 1.5, min: 1.2, max: 1.5, count: 3 });
  });

  it('prints medians with min–max, the q4/q8 ratio, cache reuse and the load', () => {
    const report = renderReport(run(), 'node out/tools/bench/engineBench.js --rounds 3');
    assert.match(report, /\| metric \| q8 \| q4 \| q4\/q8 \|/);
    assert.match(report, /\| cold prompt: time to first token \(ms\) \| 2000 \(1000–4000\) \| 2400 \(1500–6000\) \| 1\.50× \(1\.20×–1\.50×\) \|/);
    // A noise measure gets no ratio.
    assert.match(report, /\| cores the model process got while prompting and decoding \| 1\.9 \| 1\.9 \|  \|/);
    // Reuse against cold: 40/2000 in two rounds, 60/2000 in one.
    assert.match(report, /\| q4 \| 511 of 516 \| 40 \(40–60\) \| 2000 \| 0 \| 0\.02× \(0\.02×–0\.03×\) \|/);
    assert.match(report, /Load before: load average: 0\.50, 1\.00, 1\.00; busiest after a round: load average: 3\.50/);
    assert.match(report, /Machine: 2 cores \(Test CPU; avx2, fma\)/);
    assert.match(report, /Command: `node out\/tools\/bench\/engineBench\.js --rounds 3`/);
  });

  it('reports the FIM keystrokes: one value per round, paired ratios, and a row per keystroke', () => {
    const report = renderReport(run(), 'bench');
    // Each round's value is the median of its keystrokes ((200 + 100) / 2); cold follows the cold prompt.
    assert.match(report, /\| FIM keystroke mid-file: first token, kept cache \(ms\) \| 150 \| 150 \| 1\.00× \(1\.00×–1\.00×\) \|/);
    assert.match(report, /\| FIM keystroke: same prompt, cold cache \(ms\) \| 1000 \(500–2000\) \| 1200 \(750–3000\) \| 1\.50× \(1\.20×–1\.50×\) \|/);
    assert.match(report, /\| q8 \| "r" \| 501 \| 340 \| 161 \| 200 \| 1000 \(500–2000\) \| 0 \| 0\.20× \(0\.10×–0\.40×\) \|/);
    assert.match(report, /\| q4 \| all keystrokes \| 502 \(501–502\) \| 340 \| 162 \(161–162\) \| 150 \(100–200\) \| 1200 \(750–3000\) \| 0 \|/);
    assert.match(report, /"retu" typed one character per request/);
    assert.match(report, /contextTokens 512; the counter takes 1\.80 characters per token/);
    assert.match(report, /shares with the one before: 600 of 900, 601 of 900\./);
  });

  it('leaves the FIM section out when the run skipped it', () => {
    const skipped = { ...run(), fim: { prompts: [], charsPerToken: 1.8 } };
    skipped.samples = skipped.samples.map((round) => round.map((s) => ({ ...s, keystrokes: [] })));
    const report = renderReport(skipped, 'bench');
    assert.doesNotMatch(report, /Fill-in-the-middle typing/);
    assert.match(report, /\| FIM keystroke mid-file: first token, kept cache \(ms\) \| — \| — \| — \|/);
  });
});
