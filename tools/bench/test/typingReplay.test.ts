// The replay and its metrics against a model that takes known times, so what a pause measures is
// known: the real model runs in runTyping.test.ts.
import * as assert from 'node:assert/strict';
import { CompletionService, type PipelineSwitches } from '../../../src/completion/completionService';
import type { GenerationRecord } from '../../../src/completion/generation';
import type { GenerateHandlers, GenerateRequest, GenerateResult, LoadedModel } from '../../../src/model/protocol';
import { readSettings } from '../../../src/settings/settings';
import { PATHS } from '../typingEngines';
import { measureReplay } from '../typingMetrics';
import { replayTrace, type PauseMode } from '../typingReplay';
import type { Keystroke, TypingTrace } from '../typingTrace';

/** Answers every prompt with `pieces`, the first after `firstMs`, then one every `stepMs`; stops a step after an abort. */
function timedModel(pieces: readonly string[], firstMs: number, stepMs: number): LoadedModel {
  const generate = (request: GenerateRequest, handlers: GenerateHandlers = {}): Promise<GenerateResult> => new Promise((resolve) => {
    const started = performance.now();
    let sent = 0;
    const step = () => {
      const done = handlers.signal?.aborted || sent === pieces.length;
      if (done) {
        resolve({ text: pieces.slice(0, sent).join(''), finishReason: handlers.signal?.aborted ? 'cancelled' : 'eos', promptTokens: 100, generatedTokens: sent,
          timeToFirstTokenMs: firstMs, totalMs: performance.now() - started, reusedPromptTokens: 0 });
        return;
      }
      handlers.onToken?.(pieces[sent++]);
      setTimeout(step, stepMs);
    };
    setTimeout(step, firstMs);
    void request;
  });
  return {
    info: { model: 'timed', dtype: 'q8', device: 'cpu', specialTokens: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|endoftext|>'], modelType: 'qwen2', eosTokens: ['<|endoftext|>'], loadMs: 1 },
    generate,
    countTokens: async (text) => Math.ceil(text.length / 4),
    chatPrompt: async () => '',
    generateChat: (messages, request, handlers) => generate({ ...request, prompt: messages.map((m) => m.content).join('\n') }, handlers),
  };
}

const text = (chars: string, gap: number): Keystroke[] => [...chars].map((char) => ({ key: { kind: 'text', char }, gapAfterMs: gap }));
/** `const total = ` typed briskly, a 400 ms pause, then `1;` and a last pause. */
const trace: TypingTrace = {
  seed: 1,
  keystrokes: [...text('const total =', 40), { key: { kind: 'text', char: ' ' }, gapAfterMs: 400 }, ...text('1', 40), { key: { kind: 'text', char: ';' }, gapAfterMs: 400 }],
};
const document = { path: 'src/sum.ts', languageId: 'typescript', before: 'export function f() {\n  ', after: '\n}\n' };

async function replay(switches: PipelineSwitches, mode: PauseMode, model: LoadedModel) {
  const settings = { ...readSettings(() => undefined).settings.completion, debounceMs: 200 };
  const records: GenerationRecord[] = [];
  let started = 0;
  const service = new CompletionService({ model: () => model, switches, onGenerationEnd: (r) => records.push(r), orphanGraceMs: 50 });
  service.onDidStartGeneration(() => started++);
  const log = await replayTrace({ trace, document, service, settings, mode, waitCapMs: 2000, busy: () => records.length < started });
  service.dispose();
  return measureReplay(log, records);
}

describe('typing replay', function () {
  this.timeout(20000);

  it('measures a pause from its last keystroke to the ghost text, and counts it as shown within the pause', async () => {
    // 60 ms to the first piece, a one-line completion decided at its line end after 4 pieces.
    const metrics = await replay(PATHS.inkling.switches, 'asTyped', timedModel(['sum', '(a', ', b);', '\n', 'more', 'more'], 60, 10));
    assert.equal(metrics.pauses.length, 2);
    const [first] = metrics.pauses;
    assert.ok(first.shownInPause, `latency ${first.latencyMs} ms`);
    // The debounce (200 ms, nothing measured yet) + 60 ms + 3 steps, give or take the timers.
    assert.ok(first.latencyMs >= 260 && first.latencyMs < 400, `latency ${first.latencyMs} ms`);
    assert.equal(metrics.generations.stoppedEarly >= 1, true, 'the fit stages stopped the model at the line end');
    assert.equal(metrics.sources.generated >= 1, true);
  });

  it('counts a suggestion that comes after the pause as not shown, and the generation the next key cancelled', async () => {
    const slow = timedModel(['sum', '(a', ', b);'], 500, 10);
    const metrics = await replay(PATHS.naive.switches, 'asTyped', slow);
    const [first] = metrics.pauses;
    assert.equal(first.shownInPause, false);
    assert.equal(first.latencyMs, Infinity);
    assert.ok(metrics.generations.superseded >= 1, 'the keystroke after the pause cancelled it');
    assert.ok(metrics.stopAfterCancelMs.length >= 1);
  });

  it('in waiting mode, waits for the late suggestion and times it', async () => {
    const slow = timedModel(['sum', '(a', ', b);'], 500, 10);
    const metrics = await replay(PATHS.naive.switches, 'waiting', slow);
    const [first] = metrics.pauses;
    assert.equal(first.shownInPause, false, 'later than the recorded 400 ms pause');
    assert.ok(first.latencyMs >= 700 && first.latencyMs < 1500, `latency ${first.latencyMs} ms: 200 ms debounce + 500 ms + steps`);
  });

  it('without early stop the suggestion waits for the model to end, and the tokens after the decision are thrown away', async () => {
    const pieces = ['sum', '(a', ', b);', '\n', ...Array.from({ length: 20 }, (_, i) => `x${i}`)];
    const early = await replay({ ...PATHS.naive.switches, earlyStop: true }, 'waiting', timedModel(pieces, 40, 15));
    const late = await replay(PATHS.naive.switches, 'waiting', timedModel(pieces, 40, 15));
    assert.ok(late.pauses[0].latencyMs - early.pauses[0].latencyMs > 200, `${early.pauses[0].latencyMs} vs ${late.pauses[0].latencyMs} ms`);
    assert.ok(late.tokens.afterDecision >= 20, `${late.tokens.afterDecision} tokens after the decision`);
    assert.ok(early.tokens.afterDecision <= 2 * early.generations.stoppedEarly, `${early.tokens.afterDecision} tokens after the decision`);
  });
});
