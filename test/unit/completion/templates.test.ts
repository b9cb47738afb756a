import * as assert from 'node:assert/strict';
import { TEMPLATES, detectTemplate, renderTemplate } from '../../../src/completion/templates';
import { QWEN_TOKENS } from './fakes';

const P = 'def add(a, b):\n    ';
const S = '\n\nprint(add(1, 2))\n';

describe('completion templates', () => {
  describe('each family renders its exact fill-in-the-middle prompt', () => {
    it('Qwen2.5-Coder: <|fim_prefix|>p<|fim_suffix|>s<|fim_middle|>', () => {
      assert.equal(renderTemplate(TEMPLATES.qwen, P, S), `<|fim_prefix|>${P}<|fim_suffix|>${S}<|fim_middle|>`);
    });

    it('StarCoder / StarCoder2: <fim_prefix>p<fim_suffix>s<fim_middle>', () => {
      assert.equal(renderTemplate(TEMPLATES.starcoder, P, S), `<fim_prefix>${P}<fim_suffix>${S}<fim_middle>`);
    });

    it('DeepSeek-Coder uses full-width bars (U+FF5C) and U+2581, not ASCII look-alikes', () => {
      const prompt = renderTemplate(TEMPLATES.deepseek, P, S);
      assert.equal(prompt, `<｜fim▁begin｜>${P}<｜fim▁hole｜>${S}<｜fim▁end｜>`);
      assert.equal(prompt.codePointAt(1), 0xff5c);
      assert.equal(prompt.codePointAt(5), 0x2581);
      assert.ok(!prompt.startsWith('<|fim'), 'no ASCII bar');
    });

    it('Code Llama keeps the trained spacing: "<PRE> p <SUF>s <MID>"', () => {
      assert.equal(renderTemplate(TEMPLATES.codellama, P, S), `<PRE> ${P} <SUF>${S} <MID>`);
    });

    it('CodeGemma: <|fim_prefix|>p<|fim_suffix|>s<|fim_middle|> with Gemma stop tokens', () => {
      assert.equal(renderTemplate(TEMPLATES.codegemma, P, S), `<|fim_prefix|>${P}<|fim_suffix|>${S}<|fim_middle|>`);
      assert.ok(TEMPLATES.codegemma.stop.includes('<|file_separator|>'));
      assert.ok(TEMPLATES.codegemma.stop.includes('<end_of_turn>'));
    });

    it('left-to-right sends only the prefix', () => {
      assert.equal(renderTemplate(TEMPLATES.leftToRight, P, S), P);
    });
  });

  it('every family stops on its end-of-text token', () => {
    assert.ok(TEMPLATES.qwen.stop.includes('<|endoftext|>') && TEMPLATES.qwen.stop.includes('<|file_sep|>'));
    assert.ok(TEMPLATES.starcoder.stop.includes('<|endoftext|>') && TEMPLATES.starcoder.stop.includes('<file_sep>'));
    assert.ok(TEMPLATES.deepseek.stop.includes('<｜end▁of▁sentence｜>') && TEMPLATES.deepseek.stop.includes('<|EOT|>'));
    assert.ok(TEMPLATES.codellama.stop.includes('<EOT>'));
    assert.ok(TEMPLATES.leftToRight.stop.includes('<|endoftext|>'));
  });

  it('placeholders inside the user\'s code stay literal', () => {
    const prompt = renderTemplate(TEMPLATES.qwen, 'const t = "{suffix}";', '"{prefix}"');
    assert.equal(prompt, '<|fim_prefix|>const t = "{suffix}";<|fim_suffix|>"{prefix}"<|fim_middle|>');
  });

  describe('detectTemplate', () => {
    it('picks Qwen from <|fim_*|> tokens on a qwen2 model and reports it can infill', () => {
      const d = detectTemplate({ specialTokens: QWEN_TOKENS, modelType: 'qwen2' }, 'auto');
      assert.equal(d.template.id, 'qwen');
      assert.equal(d.canInfill, true);
    });

    it('tells CodeGemma from Qwen by <|file_separator|> or model_type gemma', () => {
      const tokens = ['<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|file_separator|>', '<eos>'];
      assert.equal(detectTemplate({ specialTokens: tokens, modelType: 'gemma' }, 'auto').template.id, 'codegemma');
      assert.equal(detectTemplate({ specialTokens: tokens.slice(0, 3), modelType: 'gemma2' }, 'auto').template.id, 'codegemma');
    });

    it('picks DeepSeek, StarCoder and Code Llama (▁-prefixed sentinels) from their tokens', () => {
      assert.equal(detectTemplate({ specialTokens: ['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>'], modelType: 'llama' }, 'auto').template.id, 'deepseek');
      assert.equal(detectTemplate({ specialTokens: ['<|endoftext|>', '<fim_prefix>', '<fim_middle>', '<fim_suffix>'], modelType: 'starcoder2' }, 'auto').template.id, 'starcoder');
      assert.equal(detectTemplate({ specialTokens: ['<s>', '▁<PRE>', '▁<SUF>', '▁<MID>', '▁<EOT>'], modelType: 'llama' }, 'auto').template.id, 'codellama');
    });

    it('falls back to left-to-right for a GPT-2-style model and says it cannot infill', () => {
      const d = detectTemplate({ specialTokens: ['<|endoftext|>'], modelType: 'gpt2' }, 'auto');
      assert.equal(d.template.id, 'leftToRight');
      assert.equal(d.canInfill, false);
      assert.match(d.reason, /no fill-in-the-middle tokens/);
    });

    it('lets the setting override detection, flagging a format whose tokens the tokenizer lacks', () => {
      const d = detectTemplate({ specialTokens: QWEN_TOKENS, modelType: 'qwen2' }, 'starcoder');
      assert.equal(d.template.id, 'starcoder');
      assert.equal(d.canInfill, false);
      assert.equal(detectTemplate({ specialTokens: QWEN_TOKENS, modelType: 'qwen2' }, 'leftToRight').template.id, 'leftToRight');
    });
  });
});
