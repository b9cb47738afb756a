// Runs the whole benchmark on the tiny random model: the real model process, a short prompt.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';
import { defaultBenchOptions } from '../../bench/benchOptions';
import { runBench } from '../../bench/runBench';

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
    }
    assert.equal(run.load.length, 3);
  });
});
