// What Inkling sends a server, per fill-in-the-middle family: the completion pipeline's own prompt —
// byte for byte the one a local model of that family gets — with the sampling settings as the
// OpenAI fields (plus top_k / repetition_penalty when they matter) and at most four stop strings;
// explanations as chat messages for chat models, the seed-style plain prompt for base models.
import * as assert from 'node:assert/strict';
import { CompletionService } from '../../../src/completion/completionService';
import { TEMPLATES, type TemplateId } from '../../../src/completion/templates';
import { explain } from '../../../src/explain/explainSession';
import { serverStops } from '../../../src/model/server/requestBodies';
import type { PromptTemplateSetting } from '../../../src/settings/settings';
import { completionSettings, FakeGenerator, fakeModel, modelInfo, requestAt } from '../completion/fakes';
import { scripted, served, type Served } from './serverSupport';

const sampling = { temperature: 0.2, topP: 0.9, topK: 20, repetitionPenalty: 1.1, maxNewTokens: 48 };
const document = 'def add(a, b):\n    ‸\n\nprint(add(1, 2))\n';

const families: Array<[string, PromptTemplateSetting, TemplateId, string[]]> = [
  ['Qwen/Qwen2.5-Coder-1.5B', 'auto', 'qwen', ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>']],
  ['bigcode/starcoder2-3b', 'auto', 'starcoder', ['<fim_prefix>', '<fim_suffix>', '<fim_middle>']],
  ['deepseek-ai/deepseek-coder-1.3b-base', 'auto', 'deepseek', ['<\uFF5Cfim\u2581begin\uFF5C>', '<\uFF5Cfim\u2581hole\uFF5C>', '<\uFF5Cfim\u2581end\uFF5C>']],
  // Code Llama is sent suffix-first, the order it was also trained in (fewer tokens recomputed per keystroke).
  ['codellama/CodeLlama-7b-hf', 'auto', 'codellama', ['<PRE> <SUF>', ' <MID> ']],
  ['codegemma:2b', 'auto', 'codegemma', ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>']],
  ['team-coder-v3', 'starcoder', 'starcoder', ['<fim_prefix>', '<fim_suffix>', '<fim_middle>']],
  ['gpt2-code', 'leftToRight', 'leftToRight', []],
];

describe('request bodies for a server', function () {
  this.timeout(20_000);
  let s: Served | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  for (const [name, setting, family, sentinels] of families) {
    it(`${name} (promptTemplate ${setting}): the ${family} prompt a local ${family} model gets, sampling as fields, at most 4 stops`, async () => {
      s = await served({ name, promptTemplate: setting, source: scripted(['return a + b']) });
      const request = requestAt(document, { languageId: 'python', path: 'calc.py', settings: completionSettings({ sampling }) });
      const result = await new CompletionService({ model: () => s!.model }).provide(request, new AbortController().signal);
      assert.equal(result?.text, 'return a + b');
      assert.equal(result?.stats.template, family);

      const local = new FakeGenerator(() => 'return a + b');
      const template = TEMPLATES[family];
      await new CompletionService({ model: () => fakeModel(local, modelInfo({ specialTokens: [...template.markers, ...template.stop], modelType: 'local' })) })
        .provide(request, new AbortController().signal);
      const localRequest = local.calls[0]!.request;

      const body = s.server.requests.find((r) => r.path === '/v1/completions')?.body;
      assert.ok(body, 'no /v1/completions request');
      assert.equal(body.prompt, localRequest.prompt);
      let at = 0;
      for (const sentinel of sentinels) {
        const found = (body.prompt as string).indexOf(sentinel, at);
        assert.ok(found >= at, `${JSON.stringify(sentinel)} missing or out of order in ${JSON.stringify(body.prompt)}`);
        at = found + sentinel.length;
      }
      if (family === 'leftToRight') assert.doesNotMatch(body.prompt as string, /print\(add/, 'the code after the cursor was sent');
      assert.deepEqual(
        { model: body.model, stream: body.stream, max_tokens: body.max_tokens, temperature: body.temperature, top_p: body.top_p, top_k: body.top_k, repetition_penalty: body.repetition_penalty },
        { model: name, stream: true, max_tokens: 48, temperature: 0.2, top_p: 0.9, top_k: 20, repetition_penalty: 1.1 },
      );
      assert.deepEqual(body.stop, serverStops(localRequest.stop).length ? serverStops(localRequest.stop) : undefined);
      assert.ok(((body.stop as string[] | undefined) ?? []).length <= 4);
    });
  }

  it('sends the template\'s end tokens as stops, never "\\n": where a line ends is the fit stages\' call, and they close the stream', async () => {
    s = await served({ name: 'Qwen/Qwen2.5-Coder-1.5B', source: scripted(['1, 2)']) });
    const request = requestAt('total = ‸\n', { languageId: 'python', settings: completionSettings({ sampling, multiline: 'never' }) });
    await new CompletionService({ model: () => s!.model }).provide(request, new AbortController().signal);
    const body = s.server.requests.find((r) => r.path === '/v1/completions')?.body;
    const stops = body?.stop as string[];
    assert.equal(stops[0], '<|endoftext|>');
    assert.ok(!stops.includes('\n'), JSON.stringify(stops));
  });

  it('greedy sampling sends temperature 0 and leaves out top_p, top_k and a neutral repetition penalty', async () => {
    s = await served({ source: scripted(['x']) });
    await s.model.generate({ prompt: 'p', sampling: { temperature: 0, topP: 0.9, topK: 40, repetitionPenalty: 1, maxNewTokens: 8 }, stop: [] });
    const body = s.server.requests.find((r) => r.path === '/v1/completions')?.body ?? {};
    assert.equal(body.temperature, 0);
    for (const field of ['top_p', 'top_k', 'repetition_penalty', 'stop']) assert.ok(!(field in body), `${field} was sent`);
  });

  it('an explanation from a chat model goes to /v1/chat/completions as the explain prompt\'s messages', async () => {
    s = await served({ name: 'Qwen/Qwen2.5-Coder-7B-Instruct', role: 'explain', source: scripted(['It ', 'adds.']) });
    const outcome = await explain(s.model, { code: 'def add(a, b):\n    return a + b', languageId: 'python', fileName: 'calc.py', locale: 'en', maxInputTokens: 512, sampling });
    assert.equal(outcome.result.text, 'It adds.');
    assert.equal(outcome.prompt.kind, 'chat');
    const body = s.server.requests.find((r) => r.path === '/v1/chat/completions')?.body;
    assert.deepEqual(body?.messages, outcome.prompt.kind === 'chat' ? outcome.prompt.messages : undefined);
    assert.ok(!('stop' in (body ?? {})));
  });

  it('an explanation from a base model sends the seed-style plain prompt to /v1/completions, with its stops', async () => {
    s = await served({ name: 'deepseek-coder-1.3b-base', role: 'explain', source: scripted(['It adds.']) });
    const outcome = await explain(s.model, { code: 'def add(a, b):\n    return a + b', languageId: 'python', fileName: 'calc.py', locale: 'zh-cn', maxInputTokens: 512, sampling });
    assert.equal(outcome.prompt.kind, 'plain');
    const body = s.server.requests.find((r) => r.path === '/v1/completions')?.body;
    assert.equal(body?.prompt, '请解释以下代码的功能：\ndef add(a, b):\n    return a + b\n解释：');
    assert.deepEqual(body?.stop, ['\n\n\n', '请解释以下代码', 'Explain what the following code']);
  });
});
