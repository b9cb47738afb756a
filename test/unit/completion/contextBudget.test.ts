import * as assert from 'node:assert/strict';
import { loggerFrom } from '../../../src/base/logger';
import { CompletionService } from '../../../src/completion/completionService';
import { promptBudget } from '../../../src/model/protocol';
import { FakeGenerator, completionSettings, fakeModel, modelInfo, requestAt } from './fakes';

describe('the completion prompt within the model\'s context', () => {
  it('budgets the prompt so that it and the new tokens fit in max_position_embeddings', async () => {
    const generator = new FakeGenerator(() => 'x');
    const model = fakeModel(generator, modelInfo({ contextLength: 300 }));
    const logs: string[] = [];
    const service = new CompletionService({ model: () => model, tokenCounter: { count: (text) => Math.ceil(text.length / 4) }, log: loggerFrom((_level, message) => logs.push(message)) });
    const long = Array.from({ length: 2000 }, (_, i) => `let v${i} = ${i};`).join('\n');
    const settings = completionSettings({ contextTokens: 4096, sampling: { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 64 } });
    await service.provide(requestAt(`function total() {\n${long}\n  return ‸\n}\n`, { settings }), new AbortController().signal);
    service.dispose();
    assert.ok(generator.calls.length > 0, logs.join('\n'));
    const prompt = generator.calls[0]!.request.prompt;
    assert.ok(Math.ceil(prompt.length / 4) <= 300 - 64, `a prompt of about ${Math.ceil(prompt.length / 4)} tokens`);
    assert.ok(prompt.length > 500, 'the prompt lost everything');
  });

  it('computes the budget from the context length, the new tokens and a reserve', () => {
    assert.equal(promptBudget(512, {}, 96), 512);
    assert.equal(promptBudget(512, { contextLength: 32768 }, 96), 512);
    assert.equal(promptBudget(4096, { contextLength: 2048 }, 96), 1952);
    assert.equal(promptBudget(2048, { contextLength: 2048 }, 512, 256), 1280);
    assert.equal(promptBudget(2048, { contextLength: 100 }, 512), 1);
  });
});
