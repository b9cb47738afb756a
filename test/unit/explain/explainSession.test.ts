import * as assert from 'node:assert/strict';
import { explain, type ExplainRequest } from '../../../src/explain/explainSession';
import { chatThroughTemplate } from '../../../src/model/host/localChat';
import type { ChatMessage, GenerateRequest, LoadedModel } from '../../../src/model/protocol';
import { FakeGenerator, fakeModel, modelInfo } from '../completion/fakes';

const request = (overrides: Partial<ExplainRequest> = {}): ExplainRequest => ({
  code: Array.from({ length: 400 }, (_, i) => `const value${i} = compute(${i}, "some text");`).join('\n'),
  languageId: 'typescript',
  fileName: 'app.ts',
  locale: 'en',
  maxInputTokens: 2048,
  sampling: { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 200 },
  ...overrides,
});

describe('one explanation', () => {
  it('cuts the code so code, instructions and answer fit in the model\'s context', async () => {
    const generator = new FakeGenerator(() => 'It computes values.');
    const model = fakeModel(generator, modelInfo({ chatTemplate: '{{ messages }}', contextLength: 1000 }));
    const { prompt } = await explain(model, request());
    assert.equal(prompt.truncated, true);
    // 1000 - 200 new tokens - 256 for the instructions leaves 544 tokens (about 3 characters each) of code.
    const code = prompt.kind === 'chat' ? prompt.messages[1]!.content : '';
    const lines = code.split('\n').filter((line) => line.startsWith('const value'));
    assert.equal(lines.length, prompt.keptLines);
    assert.ok(lines.join('\n').length <= 544 * 3, `${lines.join('\n').length} characters of code`);
  });

  it('keeps the whole setting\'s budget when the model reads enough', async () => {
    const model = fakeModel(new FakeGenerator(() => 'ok'), modelInfo({ chatTemplate: '{{ messages }}', contextLength: 32768 }));
    const { prompt } = await explain(model, request({ code: 'x = 1' }));
    assert.equal(prompt.truncated, false);
  });

  it('Stop while the chat template renders ends the explanation as stopped, without generating', async () => {
    const generator = new FakeGenerator(() => 'never');
    const controller = new AbortController();
    let aborted = false;
    const chatPrompt = (_messages: ChatMessage[], signal?: AbortSignal) => new Promise<string>((_resolve, reject) => {
      signal?.addEventListener('abort', () => {
        aborted = true;
        reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
      });
    });
    const local = fakeModel(generator, modelInfo({ chatTemplate: '{{ messages }}' }));
    // A local model's conversation goes through its template, as the engine pool builds it.
    const model: LoadedModel = { ...local, chatPrompt, generateChat: chatThroughTemplate({ chatPrompt, generate: local.generate }) };
    setTimeout(() => controller.abort(), 20);
    const { result } = await explain(model, request(), { signal: controller.signal });
    assert.equal(aborted, true, 'the chat prompt never saw the abort');
    assert.equal(result.finishReason, 'cancelled');
    assert.deepEqual(generator.calls.map((c) => (c.request as GenerateRequest).prompt), []);
  });
});
