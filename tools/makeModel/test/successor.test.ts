import { strict as assert } from 'node:assert';
import { Tensor } from '@huggingface/transformers';
import {
  SUCCESSOR_ALPHABET, SUCCESSOR_EXPLAIN_TEXT, SUCCESSOR_EXPLAIN_TOKENS, SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT,
  SUCCESSOR_BOOK, SUCCESSOR_FIM_TOKENS, SUCCESSOR_HOSTILE_PAYLOAD, successorContinuation,
} from '../successorScript';
import { successorTable } from '../successorWeights';
import { tokenizerPlanFor } from '../recipes';
import { ensureTestModel } from '../modelCache';
import type { TestModelDtype } from '../modelCache';
import { greedyIds, loadModel } from './loadModel';
import type { Loaded } from './loadModel';

const FIM_PROMPT = `<|fim_prefix|>${SUCCESSOR_FIM_PREFIX}<|fim_suffix|>\n\nprint(quicksort([3, 1, 2]))\n<|fim_middle|>`;

describe('successor script', () => {
  it('spells out the documented continuations', () => {
    assert.equal(successorContinuation('abc'), 'defghijklmnopqrstuvwxyz');
    assert.equal(successorContinuation('7'), '89');
    assert.equal(successorContinuation('<|fim_middle|>'), SUCCESSOR_FIM_TEXT);
    for (const last of ['\n', ':', '：', '\n\n']) assert.equal(successorContinuation(last), SUCCESSOR_EXPLAIN_TEXT);
    for (const last of ['z', '9', '<|im_end|>', 'X', ')', '']) assert.equal(successorContinuation(last), '');
  });

  it('completes the quicksort body as valid, indented Python', () => {
    const lines = (SUCCESSOR_FIM_PREFIX + SUCCESSOR_FIM_TEXT).split('\n');
    assert.equal(lines[0], 'def quicksort(arr):');
    assert.ok(lines.slice(1).every((l) => /^( {4}| {8})\S/.test(l)), lines.join('\n'));
    assert.ok(SUCCESSOR_FIM_TOKENS.length >= 4 && SUCCESSOR_EXPLAIN_TOKENS.length >= 4, 'streaming needs several tokens');
    assert.ok(SUCCESSOR_EXPLAIN_TEXT.includes(SUCCESSOR_HOSTILE_PAYLOAD));
    assert.match(SUCCESSOR_EXPLAIN_TEXT, /`[^`]+`/);
  });
});

for (const dtype of ['fp32', 'q8', 'q4'] as TestModelDtype[]) {
  describe(`successor model (${dtype})`, () => {
    let loaded: Loaded;

    before(async () => {
      loaded = await loadModel(await ensureTestModel('successor', dtype), dtype);
    });
    after(async () => {
      await loaded?.model.dispose();
    });

    const text = (ids: number[]) => loaded.tokenizer.decode(ids, { skip_special_tokens: true });

    it('continues the alphabet and stops at <|endoftext|>', async () => {
      const ids = await greedyIds(loaded, 'abc', 40);
      assert.equal(text(ids), SUCCESSOR_ALPHABET.slice(3));
      assert.equal(ids.length, 24, '23 letters, then the end token');
      assert.equal(loaded.tokenizer.decode(ids.slice(-1)), '<|endoftext|>');
      assert.equal(text(await greedyIds(loaded, 'count 3', 20)), '456789');
    });

    it('fills the middle with the quicksort body, token by token', async () => {
      const ids = await greedyIds(loaded, FIM_PROMPT, 40);
      assert.equal(text(ids), SUCCESSOR_FIM_TEXT);
      const pieces = ids.slice(0, -1).map((id) => loaded.tokenizer.decode([id], { skip_special_tokens: true }));
      assert.deepEqual(pieces, SUCCESSOR_FIM_TOKENS, 'each token decodes to its literal piece');
    });

    it('explains after the chat template and after base-model explain prompts', async () => {
      const chat = loaded.tokenizer.apply_chat_template(
        [{ role: 'user', content: `Explain:\n${SUCCESSOR_FIM_PREFIX}${SUCCESSOR_FIM_TEXT}` }],
        { tokenize: false, add_generation_prompt: true },
      ) as string;
      assert.ok(chat.endsWith('<|im_start|>assistant\n'));
      for (const prompt of [chat, 'Code: x = 1\nExplanation:', 'Explanation:\n', '代码：x = 1\n解释：']) {
        const ids = await greedyIds(loaded, prompt, 40);
        assert.equal(text(ids), SUCCESSOR_EXPLAIN_TEXT, JSON.stringify(prompt));
        const pieces = ids.map((id) => loaded.tokenizer.decode([id], { skip_special_tokens: true }));
        assert.equal(pieces.join(''), SUCCESSOR_EXPLAIN_TEXT, 'per-token decoding concatenates to the text');
      }
    });

    it('follows the successor table for every token, with a wide margin', async () => {
      const table = successorTable(tokenizerPlanFor('successor'), SUCCESSOR_BOOK);
      const n = table.length;
      const ids = new Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), [n, 1]);
      const mask = new Tensor('int64', new BigInt64Array(n).fill(1n), [n, 1]);
      const { logits } = (await loaded.model({ input_ids: ids, attention_mask: mask })) as { logits: Tensor };
      const vocab = logits.dims[2];
      const data = logits.data as Float32Array;
      let smallestLead = Infinity;
      for (let id = 0; id < n; id++) {
        const row = data.subarray(id * vocab, (id + 1) * vocab);
        let best = 0;
        for (let j = 1; j < vocab; j++) if (row[j] > row[best]) best = j;
        assert.equal(best, table[id], `successor of token ${id}`);
        const runnerUp = Math.max(...row.filter((_, j) => j !== best));
        smallestLead = Math.min(smallestLead, row[best] - runnerUp);
      }
      assert.ok(smallestLead > 10, `smallest logit lead ${smallestLead}`);
    });
  });
}
