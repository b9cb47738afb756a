import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheBusyError, listCachedModels, removeCachedModel } from '../../../src/model/cache/cachedModels';
import { lockFileFor, modelFolder } from '../../../src/model/cache/cacheLayout';
import { acquireLock, liveHolder, tryLock } from '../../../src/model/cache/folderLock';

describe('the model cache on disk', () => {
  let cacheDir: string;
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'inkling-cache-'));
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  const model = (repo: string, bytes: number) => {
    const folder = join(cacheDir, ...repo.split('/'));
    mkdirSync(join(folder, 'onnx'), { recursive: true });
    writeFileSync(join(folder, 'config.json'), '{}');
    writeFileSync(join(folder, 'onnx', 'model.onnx'), Buffer.alloc(bytes - 2));
    return folder;
  };

  it('builds cache folders only from valid repo ids', () => {
    assert.equal(modelFolder('/c', 'org/name'), join('/c', 'org', 'name'));
    assert.throws(() => modelFolder('/c', '../escape'), /Not a hub repo id/);
    assert.throws(() => modelFolder('/c', 'org/..'), /Not a hub repo id/);
  });

  it('lists cached models with their sizes, largest first, and bare names too', async () => {
    model('org/small', 1000);
    model('org/large', 5000);
    model('gpt2', 3000);
    const listed = await listCachedModels(cacheDir);
    assert.deepEqual(listed.map((m) => [m.repo, m.bytes, m.busy]), [['org/large', 5000, false], ['gpt2', 3000, false], ['org/small', 1000, false]]);
  });

  it('removes a chosen model and its empty owner folder, but not one being downloaded', async () => {
    model('org/a', 100);
    const busy = model('other/b', 100);
    const lock = await acquireLock(lockFileFor(busy));
    try {
      assert.equal((await listCachedModels(cacheDir)).find((m) => m.repo === 'other/b')?.busy, true);
      await removeCachedModel(cacheDir, 'org/a');
      assert.deepEqual(readdirSync(cacheDir), ['other']);
      await assert.rejects(removeCachedModel(cacheDir, 'other/b'), (e: Error) => e instanceof CacheBusyError && e.message === 'other/b is being downloaded by another window');
      assert.ok(existsSync(busy));
    } finally {
      await lock.release();
    }
    await removeCachedModel(cacheDir, 'other/b');
    assert.deepEqual(readdirSync(cacheDir), []);
  });

  it('hands the lock to the next process only when the holder releases it', async () => {
    const path = join(cacheDir, 'x.inkling-lock');
    const first = await acquireLock(path);
    let second = false;
    const waiting = acquireLock(path, { pollMs: 20 }).then((held) => {
      second = true;
      return held;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(second, false);
    await first.release();
    await (await waiting).release();
    assert.equal(second, true);
  });

  it('breaks a lock whose process is gone, and one nobody touched for the stale time', async () => {
    const path = join(cacheDir, 'y.inkling-lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(path, JSON.stringify({ pid: Number(dead), host: hostname(), nonce: 'gone' }));
    assert.equal(await liveHolder(path), undefined);
    const held = await tryLock(path);
    assert.ok(held, 'the dead process\'s lock was not broken');
    await held.release();

    writeFileSync(path, JSON.stringify({ pid: 1, host: 'another-machine', nonce: 'far' }));
    assert.ok(await liveHolder(path, 60_000), 'a fresh lock from another machine counts as held');
    const old = new Date(Date.now() - 120_000);
    utimesSync(path, old, old);
    const taken = await tryLock(path, { staleMs: 60_000 });
    assert.ok(taken, 'an untouched lock was not broken');
    await taken.release();
    assert.ok(!existsSync(path));
  });

  it('stops waiting for a lock when cancelled', async () => {
    const path = join(cacheDir, 'z.inkling-lock');
    const held = await acquireLock(path);
    const controller = new AbortController();
    const waiting = acquireLock(path, { signal: controller.signal, pollMs: 20 });
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    await held.release();
  });
});
