import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelEngine } from '../../../src/model/host/modelEngine';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { localLoad, newEngine, request } from './engineFixture';

type Failure = Error & { code?: string; detail?: string };

function failure(promise: Promise<unknown>): Promise<Failure> {
  return promise.then(() => assert.fail('expected a failure'), (error: Failure) => error);
}

const noStack = /\n\s+at |\.ts:\d+|\.js:\d+/;

describe('model load failures', function () {
  this.timeout(30000);
  let engine: ModelEngine;
  let good: string;
  let scratch: string;

  before(async () => {
    good = await ensureTestModel('successor');
    scratch = mkdtempSync(join(tmpdir(), 'inkling-broken-'));
    ({ engine } = newEngine());
  });
  after(() => {
    engine.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  function copyOfGood(name: string): string {
    const folder = join(scratch, name);
    cpSync(good, folder, { recursive: true });
    return folder;
  }

  it('names a missing model folder and the setting to check', async () => {
    const folder = join(scratch, 'nowhere');
    const error = await failure(engine.load(localLoad(folder)));
    assert.equal(error.code, 'model-not-found');
    assert.ok(error.message.includes(folder), error.message);
    assert.match(error.message, /inkling\.model\.id/);
    assert.equal(engine.state, 'error');
  });

  it('names the file a model folder lacks', async () => {
    const error = await failure(engine.load(localLoad(good, { dtype: 'q4' })));
    assert.equal(error.code, 'model-not-found');
    assert.match(error.message, /onnx\/model_q4\.onnx is missing/);
    assert.match(error.message, /it has fp32 weights, so set inkling\.model\.dtype to fp32/);
  });

  it('calls a truncated ONNX file damaged, naming the model, with the stack only in detail', async () => {
    const folder = copyOfGood('truncated');
    const onnx = join(folder, 'onnx', 'model.onnx');
    truncateSync(onnx, Math.floor(statSync(onnx).size / 3));
    const error = await failure(engine.load(localLoad(folder)));
    assert.equal(error.code, 'model-corrupt');
    assert.ok(error.message.includes(folder), error.message);
    assert.match(error.message, /damaged/);
    assert.doesNotMatch(error.message, noStack);
    assert.ok(error.detail && error.detail.length > 0);
  });

  it('calls a garbage ONNX file damaged too', async () => {
    const folder = copyOfGood('garbage');
    writeFileSync(join(folder, 'onnx', 'model.onnx'), Buffer.from('this is not a protobuf '.repeat(100)));
    const error = await failure(engine.load(localLoad(folder)));
    assert.equal(error.code, 'model-corrupt');
    assert.doesNotMatch(error.message, noStack);
  });

  it('calls an unreadable tokenizer.json damaged', async () => {
    const folder = copyOfGood('bad-tokenizer');
    writeFileSync(join(folder, 'tokenizer.json'), '{"model": ');
    const error = await failure(engine.load(localLoad(folder)));
    assert.equal(error.code, 'model-corrupt');
  });

  it('refuses to generate before any model has loaded', async () => {
    const { engine: empty } = newEngine();
    try {
      const error = await failure(empty.generate(request('abc')));
      assert.equal(error.code, 'invalid-request');
    } finally {
      empty.dispose();
    }
  });

  it('loads a good model in the same engine after failures, and says when it has no chat template', async () => {
    const folder = copyOfGood('no-template');
    const configFile = join(folder, 'tokenizer_config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    delete config.chat_template;
    writeFileSync(configFile, JSON.stringify(config));
    const info = await engine.load(localLoad(folder));
    assert.equal(info.chatTemplate, undefined);
    assert.equal(engine.state, 'ready');
    const error = await failure(engine.chatPrompt([{ role: 'user', content: 'hi' }]));
    assert.equal(error.code, 'invalid-request');
    assert.match(error.message, /chat template/);
    assert.equal((await engine.generate(request('abc', { maxNewTokens: 3 }))).text, 'def');
  });
});
