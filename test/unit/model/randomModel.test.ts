import * as assert from 'node:assert/strict';
import type { ModelEngine } from '../../../src/model/host/modelEngine';
import type { GenerateResult } from '../../../src/model/protocol';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { localLoad, newEngine, request } from './engineFixture';

// The random model's every output depends on the whole context, unlike the successor model's,
// so it shows sampling at work and that a reused key/value cache changes nothing.
describe('ModelEngine with the random model', function () {
  this.timeout(30000);
  let engine: ModelEngine;

  before(async () => {
    const folder = await ensureTestModel('random');
    ({ engine } = newEngine());
    await engine.load(localLoad(folder));
  });
  after(() => engine.dispose());

  const sample = (seed?: number): Promise<string> =>
    engine.generate(request('def main():\n', { temperature: 1, topP: 1, topK: 0, maxNewTokens: 24, seed })).then((r) => r.text);

  it('samples differently from greedy, and differently each time without a seed', async () => {
    const greedy = (await engine.generate(request('def main():\n', { maxNewTokens: 24 }))).text;
    const draws = [await sample(), await sample(), await sample()];
    assert.ok(draws.some((text) => text !== greedy), 'sampling at temperature 1 never left the greedy path');
    assert.equal(new Set(draws).size, 3, 'unseeded draws repeated');
  });

  it('repeats a seeded sample exactly, and a different seed gives a different one', async () => {
    const first = await sample(1234);
    assert.equal(await sample(1234), first);
    assert.notEqual(await sample(99), first);
  });

  // Seeded sampling, not greedy: a draw moves with any change in the probabilities, while greedy
  // output of random weights often hangs on the last token alone.
  const sampled = { temperature: 1, topP: 1, topK: 0, seed: 7, maxNewTokens: 40 };

  // Runs a prompt after one whose first token differs, so the cache cannot help it.
  const fresh = async (prompt: string): Promise<GenerateResult> => {
    await engine.generate(request('zebra', { maxNewTokens: 1 }));
    const result = await engine.generate(request(prompt, sampled));
    assert.equal(result.reusedPromptTokens, 0);
    return result;
  };

  it('reuses the kept key/value cache for a longer prompt, with the same output as without it', async () => {
    const base = 'function add(a, b) {\n  return';
    const first = await engine.generate(request(base, sampled));
    const extended = `${base}${first.text.slice(0, 10)} // note\n`;
    const reused = await engine.generate(request(extended, sampled));
    const recomputed = await fresh(extended);
    assert.ok(reused.reusedPromptTokens >= first.promptTokens - 1, `reused ${reused.reusedPromptTokens} of ${reused.promptTokens}`);
    assert.ok(reused.reusedPromptTokens < reused.promptTokens);
    assert.equal(reused.text, recomputed.text);
    assert.equal(reused.generatedTokens, recomputed.generatedTokens);
  });

  it('cuts the cache back to the shared prefix when the prompt changes midway, with the same output', async () => {
    const head = 'class Stack:\n    def push(self, item):\n        self.items.append(item)\n';
    await engine.generate(request(`${head}    def pop(self):\n`, sampled));
    const changed = `${head}    def peek(self):\n`;
    const reused = await engine.generate(request(changed, sampled));
    const recomputed = await fresh(changed);
    const headTokens = await engine.countTokens(head);
    assert.ok(reused.reusedPromptTokens >= headTokens - 1 && reused.reusedPromptTokens < reused.promptTokens,
      `reused ${reused.reusedPromptTokens}, head ${headTokens}, prompt ${reused.promptTokens}`);
    assert.equal(reused.text, recomputed.text);
  });

  it('serves a repeated prompt from the cache but for its last token', async () => {
    const prompt = 'SELECT * FROM users WHERE';
    const first = await engine.generate(request(prompt, sampled));
    const again = await engine.generate(request(prompt, sampled));
    assert.equal(again.reusedPromptTokens, again.promptTokens - 1);
    assert.equal(again.text, first.text);
  });
});
