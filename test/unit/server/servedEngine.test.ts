// The whole path through each engine's dialect, with Inkling's own engine behind the stand-in: the
// successor model's quicksort body arrives as the completion and its markdown as the explanation,
// exactly as when the model runs inside the editor.
import * as assert from 'node:assert/strict';
import { CompletionService } from '../../../src/completion/completionService';
import { explain } from '../../../src/explain/explainSession';
import type { ModelEngine } from '../../../src/model/host/modelEngine';
import { ServerBackend } from '../../../src/model/server/serverBackend';
import { SUCCESSOR_EXPLAIN_TEXT, SUCCESSOR_EXPLAIN_TOKENS, SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT } from '../../../tools/makeModel/successorScript';
import { engineSource } from '../../support/engineSource';
import { startStandIn, type Dialect } from '../../support/inferenceServer';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { localLoad, newEngine } from '../model/engineFixture';
import { completionSettings, requestAt } from '../completion/fakes';

const greedy = { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1, maxNewTokens: 128 };

describe('served by each engine\'s dialect, the successor model through Inkling\'s engine', function () {
  this.timeout(60_000);
  let engine: ModelEngine;

  before(async () => {
    ({ engine } = newEngine());
    await engine.load(localLoad(await ensureTestModel('successor')));
  });
  after(() => engine.dispose());

  for (const dialect of ['vllm', 'tgi', 'llamacpp', 'ollama'] as Dialect[]) {
    it(`${dialect}: the completion is the quicksort body and the explanation the model's markdown, piece by piece`, async () => {
      const name = dialect === 'ollama' ? 'qwen2.5-coder:0.5b-instruct' : 'Qwen/Qwen2.5-Coder-0.5B-Instruct';
      const server = await startStandIn({ dialect, models: [name], apiKey: 'k', source: engineSource(engine) });
      const backend = new ServerBackend({ userAgent: 'Inkling/test', apiKey: () => 'k' });
      try {
        const settings = { url: server.url, model: name, promptTemplate: 'auto' as const };
        const completions = new CompletionService({ model: () => backend.ready('completion') });
        await backend.acquire('completion', settings);
        const request = requestAt(`${SUCCESSOR_FIM_PREFIX}‸\n\nprint(quicksort([3, 1, 2]))\n`, { languageId: 'python', path: 'sort.py', settings: completionSettings({ sampling: greedy }) });
        const result = await completions.provide(request, new AbortController().signal);
        assert.equal(result?.text, SUCCESSOR_FIM_TEXT);
        assert.equal(result?.stats.template, 'qwen');

        const pieces: string[] = [];
        const model = await backend.acquire('explain', settings);
        const outcome = await explain(model, { code: 'def quicksort(arr):\n    return arr', languageId: 'python', fileName: 'sort.py', locale: 'en', maxInputTokens: 512, sampling: { ...greedy, maxNewTokens: 256 } }, { onText: (piece) => pieces.push(piece) });
        assert.equal(outcome.prompt.kind, 'chat');
        assert.equal(outcome.result.text, SUCCESSOR_EXPLAIN_TEXT);
        assert.deepEqual(pieces, SUCCESSOR_EXPLAIN_TOKENS);
        assert.ok(server.requests.some((r) => r.path === '/v1/chat/completions'));
      } finally {
        backend.dispose();
        await server.close();
      }
    });
  }
});
