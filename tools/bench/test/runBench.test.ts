// Runs the whole benchmark on the tiny random model: the real model process, a short prompt.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../repoRoot';
import { defaultBenchOptions } from '../benchOptions';
import { runBench } from '../runBench';

describe('engine benchmark on the tiny model', function () {
  this.timeout(60000);

  it('measures each variant every round, alternating, and reuses the kept cache', async function () {
    const processEntry = join(repoRoot(), 'dist', 'modelProcess.js');
    assert.ok(existsSync(processEntry), `${processEntry} is missing: run "node esbuild.config.mjs --only=modelProcess,tests" first`);
    const options = { ...defaultBenchOptions, kind: 'random' as const, rounds: 2, promptTokens: 48, newTokens: 4, threads: 1 };
    const run = await runBench(options, processEntry);

    assert.equal(run.promptTokens, 48);
    assert.deepEqual(run.samples.map((round) => round.map((s) => s.variant)), [['q8', 'q4'], ['q4', 'q8']]);
    for (const s of run.samples.flat()) {
      assert.equal(s.promptTokens, 48);
      assert.ok(s.loadWallMs > 0 && s.loadInProcessMs > 0);
      assert.ok(s.extendedPromptTokens > s.promptTokens, 'the typed characters add tokens');
      // A merge across the old end may give back the last prompt token, no more.
      assert.ok(s.reusedPromptTokens >= s.promptTokens - 1, `reused ${s.reusedPromptTokens}`);
      assert.equal(s.coldExtendedReusedTokens, 0, 'the flush prompt emptied the cache');
      assert.ok(s.coresObtained !== undefined && s.coresObtained >= 0, 'the model process CPU time is read from /proc');
      assert.ok(s.rssAfterLoadMiB !== undefined && s.rssAfterLoadMiB > 0);
      assert.ok(s.loopLateMaxMs >= 0);
      assert.ok(s.supersede && s.supersede.firstTokenWallMs > 0, 'a keystroke was sent while the previous one generated');
      assert.ok(s.supersede.reusedPromptTokens > 0, 'the superseding keystroke found the cache of the one it replaced');
      // Greedy text is the same with prompt lookup, so both runs write as many tokens.
      for (const pair of [s.completion, s.repeat]) {
        assert.ok(pair, 'the completion after the last keystroke and the repeated text both ran');
        assert.ok(pair.plain.generatedTokens > 0);
        assert.equal(pair.lookup.generatedTokens, pair.plain.generatedTokens);
        assert.equal(pair.plain.draftedTokens, 0, 'the plain run drafts nothing');
        assert.ok(pair.plain.totalMs > 0 && pair.lookup.totalMs > 0);
      }
    }
    assert.equal(run.load.length, 3);
  });

  it('types mid-file with real FIM prompts: the kept cache serves the part before the cursor, never the suffix', async function () {
    const processEntry = join(repoRoot(), 'dist', 'modelProcess.js');
    const options = { ...defaultBenchOptions, kind: 'random' as const, rounds: 1, variants: ['q8' as const], promptTokens: 16, newTokens: 2, threads: 1 };
    const run = await runBench(options, processEntry);

    assert.deepEqual(run.fim.prompts.map((p) => p.typed), ['', 'r', 're', 'ret', 'retu']);
    assert.ok(run.fim.charsPerToken > 1 && run.fim.charsPerToken < 4, `calibrated to ${run.fim.charsPerToken} characters per token`);
    const [sample] = run.samples.flat();
    assert.deepEqual(sample.keystrokes.map((k) => k.typed), ['r', 're', 'ret', 'retu']);
    for (const [i, k] of sample.keystrokes.entries()) {
      // The budget is the extension's 512 tokens, counted with the calibrated estimate.
      assert.ok(k.promptTokens > 400 && k.promptTokens < 640, `prompt ${k.promptTokens} tokens`);
      const { prompt } = run.fim.prompts[i + 1];
      const suffixChars = prompt.length - prompt.indexOf('<|fim_suffix|>');
      // Most of the prompt comes from the cache, but the suffix (a third of the budget) is recomputed.
      assert.ok(k.reusedPromptTokens > k.promptTokens / 2, `reused ${k.reusedPromptTokens} of ${k.promptTokens}`);
      assert.ok(k.promptTokens - k.reusedPromptTokens > suffixChars / 8, `recomputed ${k.promptTokens - k.reusedPromptTokens} for ${suffixChars} suffix characters`);
      assert.equal(k.coldReusedTokens, 0, 'the flush prompt emptied the cache');
      assert.ok(k.keptTtftMs >= 0 && k.coldTtftMs > 0);
    }
  });

  it('skips the FIM step when nothing is to be typed', async function () {
    const processEntry = join(repoRoot(), 'dist', 'modelProcess.js');
    const options = { ...defaultBenchOptions, kind: 'random' as const, rounds: 1, variants: ['q4' as const], promptTokens: 16, newTokens: 2, threads: 1, fimTyped: '' };
    const run = await runBench(options, processEntry);
    assert.equal(run.fim.prompts.length, 1);
    assert.deepEqual(run.samples.flat()[0].keystrokes, []);
  });
});
