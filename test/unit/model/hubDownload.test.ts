import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelEngine } from '../../../src/model/host/modelEngine';
import type { LoadOptions, LoadProgress } from '../../../src/model/protocol';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { repoRoot } from '../../../tools/repoRoot';
import { SUCCESSOR_ALPHABET } from '../../../tools/makeModel/successorScript';
import { closedPort, startHub, type HubServer } from '../../support/hubServer';
import { newEngine, request } from './engineFixture';

type Failure = Error & { code?: string; detail?: string };

describe('downloading a model from the hub', function () {
  this.timeout(30000);
  let hub: HubServer;
  let cacheDir: string;
  let engine: ModelEngine;

  const hubLoad = (model: string, extra: Partial<LoadOptions> = {}): LoadOptions =>
    ({ model, dtype: 'fp32', device: 'cpu', threads: 1, cacheDir, remoteHost: hub.url, ...extra });

  before(async () => {
    hub = await startHub({ 'inkling-test/successor': await ensureTestModel('successor') });
    cacheDir = mkdtempSync(join(tmpdir(), 'inkling-hub-cache-'));
    ({ engine } = newEngine());
  });
  after(async () => {
    engine.dispose();
    await hub.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('downloads into the cache folder with progress, then generates', async () => {
    const progress: LoadProgress[] = [];
    const info = await engine.load(hubLoad('inkling-test/successor'), (p) => progress.push(p));
    assert.equal(info.model, 'inkling-test/successor');
    for (const file of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) {
      assert.ok(hub.requests.includes(`GET /inkling-test/successor/resolve/main/${file}`), `${file} not requested: ${hub.requests.join(', ')}`);
      assert.ok(existsSync(join(cacheDir, 'inkling-test', 'successor', file)), `${file} not in the cache folder`);
    }
    assert.ok(progress.some((p) => p.file === 'onnx/model.onnx' && p.percent === 100), 'no download progress for the model file');
    const insideInstall = join(repoRoot(), 'node_modules', '@huggingface', 'transformers', '.cache');
    assert.ok(!existsSync(insideInstall) || !readdirSync(insideInstall).includes('inkling-test'), 'files landed in node_modules');
    assert.equal((await engine.generate(request('abc'))).text, SUCCESSOR_ALPHABET.slice(3));
  });

  it('loads the cached copy with downloads turned off and the hub gone', async () => {
    const offline = newEngine().engine;
    try {
      const info = await offline.load(hubLoad('inkling-test/successor', { localOnly: true, remoteHost: `http://127.0.0.1:${await closedPort()}/` }));
      assert.equal(info.modelType, 'qwen2');
    } finally {
      offline.dispose();
    }
  });

  it('says a model the hub does not have was not found', async () => {
    const error = await engine.load(hubLoad('inkling-test/absent')).then(() => assert.fail('loaded'), (e: Failure) => e);
    assert.equal(error.code, 'model-not-found');
    assert.match(error.message, /inkling-test\/absent/);
    assert.match(error.message, /inkling\.model\.id/);
  });

  it('says the hub is unreachable when nothing listens', async () => {
    const remoteHost = `http://127.0.0.1:${await closedPort()}/`;
    const error = await engine.load(hubLoad('inkling-test/elsewhere', { remoteHost })).then(() => assert.fail('loaded'), (e: Failure) => e);
    assert.equal(error.code, 'hub-unreachable');
    assert.ok(error.message.includes(remoteHost), error.message);
    assert.match(error.detail ?? '', /ECONNREFUSED|fetch failed/);
  });

  it('says an uncached model is not downloaded when downloads are off', async () => {
    const error = await engine.load(hubLoad('inkling-test/other', { localOnly: true })).then(() => assert.fail('loaded'), (e: Failure) => e);
    assert.equal(error.code, 'model-not-found');
    assert.match(error.message, /not been downloaded/);
  });
});
