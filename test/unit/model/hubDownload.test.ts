import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelEngine } from '../../../src/model/host/modelEngine';
import type { LoadOptions, LoadProgress } from '../../../src/model/protocol';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { repoRoot } from '../../../tools/repoRoot';
import { SUCCESSOR_ALPHABET } from '../../../tools/makeModel/successorScript';
import { closedPort, sha256, startHub, type HubServer } from '../../support/hubServer';
import { mountTinyDisk } from '../../support/tinyDisk';
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

  it('refuses a model id that is not a repo id before any request, saying so', async () => {
    const before = hub.requests.length;
    const error = await engine.load(hubLoad('evil..name/x')).then(() => assert.fail('loaded'), (e: Failure) => e);
    assert.equal(error.code, 'model-not-found');
    assert.equal(error.message, 'Inkling cannot use the model "evil..name/x": it is neither an absolute path to a model folder nor a Hugging Face repo id such as onnx-community/Qwen2.5-Coder-0.5B-Instruct (it contains ".." or "--"). Nothing was downloaded. Check the inkling.model.id setting.');
    const windowsPath = await engine.load(hubLoad('C:\\models\\coder')).then(() => assert.fail('loaded'), (e: Failure) => e);
    assert.equal(windowsPath.message, 'Inkling cannot use the model "C:\\models\\coder": it is neither an absolute path to a model folder nor a Hugging Face repo id such as onnx-community/Qwen2.5-Coder-0.5B-Instruct (the owner and the name may only hold letters, digits, "_", "-" and "." (at most 96 each), beginning and ending with a letter or digit). Nothing was downloaded. Check the inkling.model.id setting.');
    assert.equal(hub.requests.length, before, 'a request was made');
    assert.deepEqual(readdirSync(cacheDir).filter((name) => name !== 'inkling-test'), [], 'something was written into the cache');
  });

  it('refuses an http hub address that is not this machine before any request', async () => {
    const error = await engine.load(hubLoad('inkling-test/successor', { remoteHost: 'http://hub.example/' })).then(() => assert.fail('loaded'), (e: Failure) => e);
    assert.equal(error.code, 'hub-unreachable');
    assert.equal(error.message, 'The hub address in inkling.model.hubUrl ("http://hub.example/") uses http://, which is only allowed for this machine (localhost, 127.0.0.1, [::1]). Use an https:// address such as https://huggingface.co/, or leave the setting empty. Nothing was downloaded.');
  });

  it('deletes a cached model that turns out damaged when opened, and downloads it once more', async () => {
    const repairCache = mkdtempSync(join(tmpdir(), 'inkling-hub-repair-'));
    const fresh = newEngine().engine;
    try {
      await fresh.load(hubLoad('inkling-test/successor', { cacheDir: repairCache }));
      const onnx = join(repairCache, 'inkling-test', 'successor', 'onnx', 'model.onnx');
      // Same size, so only opening it shows the damage: the protobuf header is gone.
      const fd = openSync(onnx, 'r+');
      writeSync(fd, Buffer.alloc(256, 0xff), 0, 256, 0);
      closeSync(fd);
      const gets = () => hub.requests.filter((r) => r === 'GET /cdn/inkling-test/successor/onnx/model.onnx').length;
      const before = gets();
      const second = newEngine().engine;
      try {
        assert.equal((await second.load(hubLoad('inkling-test/successor', { cacheDir: repairCache }))).modelType, 'qwen2');
        assert.equal((await second.generate(request('abc'))).text, SUCCESSOR_ALPHABET.slice(3));
      } finally {
        second.dispose();
      }
      assert.equal(gets(), before + 1, 'the damaged file was not fetched again');
      assert.equal(sha256(readFileSync(onnx)), sha256(readFileSync(join(await ensureTestModel('successor'), 'onnx', 'model.onnx'))));
    } finally {
      fresh.dispose();
      rmSync(repairCache, { recursive: true, force: true });
    }
  });

  it('shares one download between two model processes loading the same model at once', async () => {
    const slow = await startHub({ 'inkling-test/successor': await ensureTestModel('successor') }, { chunkDelayMs: 40 });
    const shared = mkdtempSync(join(tmpdir(), 'inkling-hub-shared-'));
    const [a, b] = [newEngine().engine, newEngine().engine];
    try {
      const load = (e: ModelEngine) => e.load(hubLoad('inkling-test/successor', { cacheDir: shared, remoteHost: slow.url }));
      const [infoA, infoB] = await Promise.all([load(a), load(b)]);
      assert.equal(infoA.modelType, 'qwen2');
      assert.equal(infoB.modelType, 'qwen2');
      assert.equal(slow.requests.filter((r) => r === 'GET /cdn/inkling-test/successor/onnx/model.onnx').length, 1, slow.requests.join('\n'));
    } finally {
      a.dispose();
      b.dispose();
      await slow.close();
      rmSync(shared, { recursive: true, force: true });
    }
  });

  describe('cancelled mid-download', () => {
    let slow: HubServer;
    let cache: string;
    before(async () => {
      slow = await startHub({ 'inkling-test/successor': await ensureTestModel('successor') }, { chunkDelayMs: 100 });
    });
    beforeEach(() => {
      cache = mkdtempSync(join(tmpdir(), 'inkling-hub-cancel-'));
    });
    afterEach(() => rmSync(cache, { recursive: true, force: true }));
    after(async () => slow.close());

    const leftovers = () => {
      const found: string[] = [];
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory()) walk(join(dir, entry.name));
          else if (/\.partial|\.tmp\.|inkling-tmp|inkling-lock/.test(entry.name)) found.push(entry.name);
        }
      };
      walk(cache);
      return found;
    };

    it('stops when the user cancels, says so, and leaves no partial file; the process loads the next model', async () => {
      const { engine: cancelling } = newEngine();
      try {
        const pending = cancelling.load(hubLoad('inkling-test/successor', { cacheDir: cache, remoteHost: slow.url }), (p) => {
          if (p.status === 'download' && p.file === 'onnx/model.onnx') cancelling.cancelLoad();
        });
        const error = await pending.then(() => assert.fail('loaded'), (e: Failure) => e);
        assert.equal(error.code, 'cancelled');
        assert.equal(error.message, 'The download of inkling-test/successor was cancelled.');
        assert.deepEqual(leftovers(), []);
        assert.ok(!existsSync(join(cache, 'inkling-test', 'successor', 'onnx', 'model.onnx')));
        assert.equal((await cancelling.load(localLoadOf(await ensureTestModel('successor')))).modelType, 'qwen2');
      } finally {
        cancelling.dispose();
      }
    });

    it('cleans up when the engine is disposed mid-download (the setting changed)', async () => {
      const { engine: leaving } = newEngine();
      let resolveStarted: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (resolveStarted = resolve));
      const pending = leaving.load(hubLoad('inkling-test/successor', { cacheDir: cache, remoteHost: slow.url }), (p) => {
        if (p.status === 'download' && p.file === 'onnx/model.onnx') resolveStarted();
      });
      pending.catch(() => undefined);
      await started;
      const pid = leaving.pid!;
      leaving.dispose();
      for (const end = Date.now() + 5000; Date.now() < end && alive(pid);) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(!alive(pid), 'the model process is still running');
      assert.deepEqual(leftovers(), []);
    });
  });

  it('names a cache folder it cannot write to (a read-only disk), without a crash', async function () {
    const readOnly = mountTinyDisk(64, { readOnly: true });
    // Mounting needs root; elsewhere this is skipped.
    if (!readOnly) this.skip();
    try {
      const cache = join(readOnly.path, 'models');
      const error = await engine.load(hubLoad('inkling-test/successor', { cacheDir: cache })).then(() => assert.fail('loaded'), (e: Failure) => e);
      assert.equal(error.code, 'storage');
      assert.equal(error.message, `Inkling cannot write to ${cache} (EROFS) to download inkling-test/successor. Make that folder writable, or use a model folder on this machine: run "Inkling: Select Model…" and choose "Use a local model folder…" (a folder with config.json, tokenizer.json and onnx/).`);
    } finally {
      readOnly.unmount();
    }
  });

  describe('on a full disk (a 256 kB tmpfs)', () => {
    let disk: ReturnType<typeof mountTinyDisk>;
    before(function () {
      disk = mountTinyDisk(256);
      // Mounting needs root; everywhere else these two are skipped, with the reason in the report.
      if (!disk) this.skip();
    });
    after(() => disk?.unmount());

    it('says there is not enough space before downloading the weights', async () => {
      const cache = join(disk!.path, 'precheck');
      const gets = () => hub.requests.filter((r) => r.startsWith('GET /cdn/')).length;
      const before = gets();
      const error = await engine.load(hubLoad('inkling-test/successor', { cacheDir: cache })).then(() => assert.fail('loaded'), (e: Failure) => e);
      assert.equal(error.code, 'storage');
      const model = await ensureTestModel('successor');
      const needed = ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model.onnx'].reduce((sum, f) => sum + statSync(join(model, f)).size, 0);
      assert.match(error.message, new RegExp(`^There is not enough free space in ${cache.replace(/[/.-]/g, '\\$&')} to download inkling-test/successor: it needs ${needed >= 1e6 ? `${Math.round(needed / 1e6)} MB` : `${Math.round(needed / 1e3)} kB`}, \\d+ kB are free\\. Free some space, or remove models with "Inkling: Clear Model Cache"\\.$`));
      assert.equal(gets(), before, 'the weights were requested anyway');
      rmSync(cache, { recursive: true, force: true });
    });

    it('survives ENOSPC mid-file in the model process, names the folder, keeps nothing half-written', async () => {
      // A mirror that publishes no size: only writing shows the disk is full.
      hub.setFaults([{ file: 'onnx/model.onnx', kind: 'no-length' }]);
      const cache = join(disk!.path, 'midfile');
      try {
        const error = await engine.load(hubLoad('inkling-test/successor', { cacheDir: cache })).then(() => assert.fail('loaded'), (e: Failure) => e);
        const pid = engine.pid;
        assert.equal(error.code, 'storage');
        assert.equal(error.message, `The disk holding ${cache} is full, so onnx/model.onnx of inkling-test/successor could not be saved; nothing half-written was kept. Free some space, or remove models with "Inkling: Clear Model Cache".`);
        assert.ok(!existsSync(join(cache, 'inkling-test', 'successor', 'onnx', 'model.onnx.partial')), 'the partial file stayed');
        // The same process lives on and loads the next model.
        assert.equal((await engine.load(localLoadOf(await ensureTestModel('successor')))).modelType, 'qwen2');
        assert.equal(engine.pid, pid);
      } finally {
        hub.setFaults([]);
        rmSync(cache, { recursive: true, force: true });
      }
    });
  });
});

function localLoadOf(folder: string): LoadOptions {
  return { model: folder, dtype: 'fp32', device: 'cpu', threads: 1, localOnly: true };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
