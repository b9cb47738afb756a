import * as assert from 'node:assert/strict';
import type { ModelEngine, EngineState } from '../../../src/model/host/modelEngine';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { SUCCESSOR_ALPHABET, SUCCESSOR_EXPLAIN_TEXT, SUCCESSOR_FIM_PREFIX, SUCCESSOR_FIM_TEXT } from '../../../tools/makeModel/successorScript';
import { localLoad, newEngine, request } from './engineFixture';

const fimPrompt = `<|fim_prefix|>${SUCCESSOR_FIM_PREFIX}<|fim_suffix|>\n\nprint(quicksort([3, 1, 2]))\n<|fim_middle|>`;

describe('ModelEngine with the successor model', function () {
  this.timeout(30000);
  let engine: ModelEngine;
  let folder: string;
  const states: EngineState[] = [];

  before(async () => {
    folder = await ensureTestModel('successor');
    ({ engine } = newEngine());
    engine.onDidChangeState((state) => states.push(state));
  });
  after(() => engine.dispose());

  it('loads, reporting progress and describing the model', async () => {
    const progress: string[] = [];
    const info = await engine.load(localLoad(folder), (p) => progress.push(`${p.status} ${p.file ?? ''}`.trim()));
    assert.equal(info.model, folder);
    assert.equal(info.modelType, 'qwen2');
    for (const token of ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|im_start|>']) assert.ok(info.specialTokens.includes(token), token);
    assert.ok(info.eosTokens.includes('<|endoftext|>') && info.eosTokens.includes('<|im_end|>'));
    assert.match(info.chatTemplate ?? '', /im_start/);
    assert.ok(progress.includes('loading onnx/model.onnx'), progress.join(', '));
    // A folder on disk is loaded, never "downloaded": only real downloads show the download notification.
    assert.deepEqual(progress.filter((p) => p.startsWith('download') || p.startsWith('progress')), []);
    assert.equal(progress.at(-1), 'ready');
    assert.deepEqual(states, ['loading', 'ready']);
    assert.equal(engine.info, info);
  });

  it('continues the alphabet greedily and ends at the end-of-text token', async () => {
    const result = await engine.generate(request('abc'));
    assert.equal(result.text, SUCCESSOR_ALPHABET.slice(3));
    assert.equal(result.finishReason, 'eos');
    assert.equal(result.generatedTokens, 23);
    assert.ok(result.promptTokens > 0 && result.totalMs >= result.timeToFirstTokenMs);
  });

  it('fills the middle with the exact quicksort body', async () => {
    const result = await engine.generate(request(fimPrompt));
    assert.equal(result.text, SUCCESSOR_FIM_TEXT);
    assert.equal(result.finishReason, 'eos');
  });

  it('explains after the chat template it applies', async () => {
    const prompt = await engine.chatPrompt([{ role: 'user', content: 'Explain quicksort.' }]);
    assert.ok(prompt.endsWith('<|im_start|>assistant\n'), prompt);
    const result = await engine.generate(request(prompt, { maxNewTokens: 50 }));
    assert.equal(result.text, SUCCESSOR_EXPLAIN_TEXT);
  });

  it('streams the tokens in order, and they add up to the result', async () => {
    const pieces: string[] = [];
    const seenStates: EngineState[] = [];
    const listener = engine.onDidChangeState((state) => seenStates.push(state));
    const result = await engine.generate(request('klm'), { onToken: (text) => pieces.push(text) });
    listener.dispose();
    assert.deepEqual(pieces, SUCCESSOR_ALPHABET.slice(13).split(''));
    assert.equal(pieces.join(''), result.text);
    assert.deepEqual(seenStates, ['generating', 'ready']);
  });

  it('ends before a stop string spread over several tokens, without streaming any of it', async () => {
    const pieces: string[] = [];
    const result = await engine.generate(request('abc', {}, { stop: ['zzz', 'ghi'] }), { onToken: (text) => pieces.push(text) });
    assert.equal(result.text, 'def');
    assert.equal(result.finishReason, 'stop');
    assert.equal(pieces.join(''), 'def');
  });

  it('stops at maxNewTokens', async () => {
    const result = await engine.generate(request('abc', { maxNewTokens: 4 }));
    assert.deepEqual([result.text, result.finishReason, result.generatedTokens], ['defg', 'length', 4]);
  });

  it('counts tokens with the model tokenizer', async () => {
    assert.equal(await engine.countTokens(''), 0);
    assert.equal(await engine.countTokens('<|fim_prefix|>'), 1);
    const long = await engine.countTokens('def quicksort(arr):\n    return arr\n');
    assert.ok(long > 3 && long < 30, String(long));
  });

  it('runs generations one at a time, in the order they were asked for', async () => {
    const order: string[] = [];
    const results = await Promise.all(['abc', 'uvw', '345'].map((prompt) =>
      engine.generate(request(prompt), { onToken: () => order.push(prompt) }).then((r) => r.text)));
    assert.deepEqual(results, ['defghijklmnopqrstuvwxyz', 'xyz', '6789']);
    assert.deepEqual(order, [...Array(23).fill('abc'), ...Array(3).fill('uvw'), ...Array(4).fill('345')]);
  });
});
