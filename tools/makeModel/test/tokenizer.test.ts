import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { preTokenize } from '../bpeTrainer';
import { TRAINING_CORPUS } from '../corpus';
import { fimDocument } from '../../bench/fimDocument';
import { QWEN_ADDED_TOKENS, QWEN_FIRST_ADDED_ID } from '../specialTokens';
import { planTokenizer, tokenizerConfigJson, tokenizerJson, type TokenizerOptions } from '../tokenizerFiles';
import { ensureTestModel } from '../modelCache';
import { loadTokenizer } from './loadModel';

const SAMPLES = [
  'def quicksort(arr):\n    return sorted(arr)  # done\n',
  'const x = { "a": [1, 2, 3] };\r\n\tif (x) {}',
  '中文解释：这个函数很快。日本語のテキスト、한국어 텍스트',
  'emoji 🙂👍🏽 family 👨‍👩‍👧 flags 🇯🇵, symbols ∑ ≤ → and café naïve',
  "  leading spaces, trailing spaces   \n\n\nblank lines and it's, we'll, I'M",
  '<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>',
];

describe('made tokenizer', () => {
  let tokenizer: PreTrainedTokenizer;
  let dir: string;

  before(async () => {
    dir = await ensureTestModel('random');
    tokenizer = await loadTokenizer(dir);
  });

  it('round-trips code, CJK, emoji and special tokens exactly', () => {
    for (const text of SAMPLES) {
      const ids = tokenizer.encode(text);
      assert.equal(tokenizer.decode(ids), text, JSON.stringify(text));
    }
  });

  it('learned merges: common code pieces become single tokens', () => {
    const ids = tokenizer.encode('def quicksort(arr):');
    assert.ok(ids.length < 'def quicksort(arr):'.length / 2, `${ids.length} tokens`);
    assert.equal(tokenizer.encode('：').length, 1, 'the full-width colon is one token');
  });

  it('splits the way transformers.js does what the trainer saw', () => {
    // The trainer's JavaScript split must agree with the Rust-syntax pattern in tokenizer.json.
    for (const piece of preTokenize(TRAINING_CORPUS).slice(0, 400)) {
      assert.equal(tokenizer.decode(tokenizer.encode(piece)), piece);
    }
    assert.deepEqual(tokenizer.tokenize('2024'), ['2', '0', '2', '4'], 'digits stay single');
    assert.deepEqual(tokenizer.encode("it's"), [...tokenizer.encode('it'), ...tokenizer.encode("'s")], 'contractions split off');
  });

  it("has Qwen2.5's added tokens in order, FIM ones among them, with Qwen's special flags", () => {
    const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as {
      added_tokens_decoder: Record<string, { content: string; special: boolean }>;
    };
    const added = Object.entries(config.added_tokens_decoder).map(([id, t]) => ({ id: Number(id), ...t }));
    assert.deepEqual(added.map((t) => t.content), QWEN_ADDED_TOKENS.map((t) => t.content));
    added.forEach((t, i) => assert.equal(t.id, added[0].id + i));
    assert.equal(added.find((t) => t.content === '<|fim_middle|>')?.special, false);
    assert.equal(added.find((t) => t.content === '<|im_end|>')?.special, true);
    for (const fim of ['<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>']) {
      const ids = tokenizer.encode(fim);
      assert.equal(ids.length, 1, fim);
      assert.equal(ids[0], added.find((t) => t.content === fim)?.id);
    }
  });

  it('renders ChatML ending in the assistant generation prompt', () => {
    const prompt = tokenizer.apply_chat_template([{ role: 'user', content: 'Hi' }], { tokenize: false, add_generation_prompt: true });
    assert.equal(prompt, '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
    const withSystem = tokenizer.apply_chat_template(
      [{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }], { tokenize: false, add_generation_prompt: false });
    assert.equal(withSystem, '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n');
  });

  it('skips special tokens but keeps non-special added ones when asked', () => {
    const ids = tokenizer.encode('<|im_start|>x<|fim_middle|>');
    assert.equal(tokenizer.decode(ids, { skip_special_tokens: true }), 'x<|fim_middle|>');
  });
});

describe('made tokenizer at Qwen\'s size', function () {
  this.timeout(60000);

  it('pads the merge table to Qwen\'s with merges no input reaches: every text encodes as without them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkling-merges-'));
    try {
      const load = async (name: string, options: TokenizerOptions) => {
        const plan = planTokenizer(options);
        const folder = join(dir, name);
        mkdirSync(folder);
        writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(tokenizerJson(plan)));
        writeFileSync(join(folder, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson(plan, 32768)));
        return { plan, tokenizer: await loadTokenizer(folder) };
      };
      const learned = await load('learned', { merges: 400, firstAddedId: QWEN_FIRST_ADDED_ID });
      const padded = await load('padded', { merges: 400, firstAddedId: QWEN_FIRST_ADDED_ID, totalMerges: QWEN_FIRST_ADDED_ID - 256 });
      assert.equal(padded.plan.merges.length, QWEN_FIRST_ADDED_ID - 256);
      assert.deepEqual(padded.plan.vocab, learned.plan.vocab, 'the same vocabulary');
      for (const text of [...SAMPLES, fimDocument.before, fimDocument.after, ' qa qb qaqb qab Ġqa']) {
        assert.deepEqual(padded.tokenizer.encode(text), learned.tokenizer.encode(text), JSON.stringify(text.slice(0, 40)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
