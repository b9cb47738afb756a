// Model folders written to hurt: sizes in config.json that would make the process allocate without
// end, a layer count that does not match the ONNX graph, a context shorter than the prompt, and chat
// templates that loop, grow or break. Each is refused with a message that names what is wrong.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import type { ModelEngine } from '../../../src/model/host/modelEngine';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { localLoad, newEngine, request } from './engineFixture';

type Failure = Error & { code?: string };

describe('hostile model folders', function () {
  this.timeout(60_000);
  let good: string;
  let scratch: string;
  let engine: ModelEngine;
  let count = 0;

  before(async () => {
    good = await ensureTestModel('successor');
    scratch = mkdtempSync(join(tmpdir(), 'inkling-hostile-'));
    ({ engine } = newEngine());
  });
  after(() => {
    engine.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A copy of the successor model with its config.json (or tokenizer_config.json) changed. */
  function variant(change: { config?: Record<string, unknown>; tokenizer?: Record<string, unknown> }): string {
    const folder = join(scratch, `m${++count}`);
    cpSync(good, folder, { recursive: true });
    const edit = (file: string, fields?: Record<string, unknown>) => {
      if (!fields) return;
      const json = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) delete json[key];
        else json[key] = value;
      }
      writeFileSync(join(folder, file), JSON.stringify(json));
    };
    edit('config.json', change.config);
    edit('tokenizer_config.json', change.tokenizer);
    return folder;
  }
  const loadFailure = (folder: string) => engine.load(localLoad(folder)).then(() => assert.fail('loaded'), (e: Failure) => e);

  const badSizes: Array<[Record<string, unknown>, string, string?]> = [
    [{ num_hidden_layers: 1e9 }, 'its config.json says num_hidden_layers is 1000000000, but it must be a whole number from 1 to 512'],
    [{ hidden_size: -64 }, 'its config.json says hidden_size is -64, but it must be a whole number from 1 to 65,536'],
    [{ vocab_size: 6.5 }, 'its config.json says vocab_size is 6.5, but it must be a whole number from 1 to 2,097,152'],
    [{ num_attention_heads: '4' }, 'its config.json says num_attention_heads is "4", but it must be a whole number from 1 to 1,024'],
    [{ max_position_embeddings: 0 }, 'its config.json says max_position_embeddings is 0, but it must be a whole number from 1 to 4,194,304'],
    [{ hidden_size: undefined }, 'its config.json has no hidden_size', 'no hidden_size'],
    [{ num_key_value_heads: 8 }, 'its config.json has more key/value heads (8) than attention heads (4)'],
  ];
  for (const [config, why, title] of badSizes) {
    it(`refuses ${title ?? JSON.stringify(config)} in config.json before allocating anything`, async () => {
      const folder = variant({ config });
      const error = await loadFailure(folder);
      assert.equal(error.code, 'invalid-request');
      assert.equal(error.message, `The model ${folder} cannot be loaded: ${why}. It is damaged or not a model Inkling can run; choose another model.`);
    });
  }

  it('refuses a layer count that does not match the ONNX graph', async () => {
    const folder = variant({ config: { num_hidden_layers: 3 } });
    const error = await loadFailure(folder);
    assert.equal(error.message, `The model ${folder} cannot be loaded: its config.json says 3 layers, but onnx/model.onnx has 2: the files do not belong together. It is damaged or not a model Inkling can run; choose another model.`);
  });

  it('keeps prompt and new tokens within max_position_embeddings', async () => {
    const folder = variant({ config: { max_position_embeddings: 20 } });
    const info = await engine.load(localLoad(folder));
    assert.equal(info.contextLength, 20);
    // Unbounded, "abc" continues with the 23 letters to z.
    const result = await engine.generate(request('abc', { maxNewTokens: 500 }));
    assert.equal(result.finishReason, 'length');
    assert.equal(result.promptTokens + result.generatedTokens, 20);
    const long = 'a'.repeat(200);
    const error = await engine.generate(request(long)).then(() => assert.fail('generated'), (e: Failure) => e);
    assert.equal(error.code, 'invalid-request');
    assert.equal(error.message, 'The prompt has 200 tokens, but the model reads at most 20 (max_position_embeddings in its config.json), so nothing was generated. Ask for less context: lower inkling.completion.contextTokens or inkling.explain.maxInputTokens.');
  });

  describe('chat templates', () => {
    const messages = [{ role: 'user' as const, content: 'Explain x = 1' }];
    const template = async (chat_template: string) => {
      const folder = variant({ tokenizer: { chat_template } });
      await engine.load(localLoad(folder));
      return { folder, prompt: engine.chatPrompt(messages) };
    };

    it('renders the model\'s own template exactly as before', async () => {
      await engine.load(localLoad(good));
      const tokenizer = await AutoTokenizer.from_pretrained(good, { local_files_only: true });
      const expected = tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true });
      assert.equal(await engine.chatPrompt(messages), expected);
      assert.match(String(expected), /<\|im_start\|>user\nExplain x = 1<\|im_end\|>\n<\|im_start\|>assistant\n$/);
    });

    it('stops a template that never ends, and says so', async () => {
      const { folder, prompt } = await template('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}');
      const started = Date.now();
      const error = await prompt.then(() => assert.fail('rendered'), (e: Failure) => e);
      assert.ok(Date.now() - started < 15_000, `${Date.now() - started} ms`);
      assert.equal(error.code, 'invalid-request');
      assert.equal(error.message, `The chat template of the model ${folder} did not finish within 5 s, so it cannot be used for explanations; choose another model for inkling.explain.model.`);
    });

    it('refuses a template that renders a prompt of millions of characters', async () => {
      // Few steps, much text: it finishes well within the time limit, even on a busy machine.
      const { folder, prompt } = await template(`{% for i in range(1500) %}${'x'.repeat(1000)}{% endfor %}`);
      const error = await prompt.then(() => assert.fail('rendered'), (e: Failure) => e);
      assert.equal(error.message, `The chat template of the model ${folder} produced a prompt of 1500000 characters, more than the 1,000,000 allowed, so it cannot be used for explanations; choose another model for inkling.explain.model.`);
    });

    it('names a template that does not parse', async () => {
      const { folder, prompt } = await template('{% for %}');
      const error = await prompt.then(() => assert.fail('rendered'), (e: Failure) => e);
      assert.match(error.message, new RegExp(`^The chat template of the model ${folder.replace(/[/.-]/g, '\\$&')} failed: .+, so it cannot be used for explanations; choose another model for inkling\\.explain\\.model\\.$`));
    });
  });
});
