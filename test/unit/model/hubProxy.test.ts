// Downloads through a proxy, as in a company network: the hub (over https, with a certificate for
// hub.test) is reachable only through an HTTP CONNECT proxy that knows the name, from the real model
// process, with VS Code's proxy setting or the environment's HTTPS_PROXY.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelEngine } from '../../../src/model/host/modelEngine';
import type { LoadOptions } from '../../../src/model/protocol';
import { startHub, type HubServer } from '../../support/hubServer';
import { startProxy, type ProxyServer } from '../../support/proxyServer';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { startTlsFront, type TlsFront } from '../../support/tlsFront';
import { processEntry } from './engineFixture';

const REPO = 'inkling-test/successor';

describe('downloading through a proxy', function () {
  this.timeout(60_000);
  let hub: HubServer;
  let front: TlsFront;
  let proxy: ProxyServer;
  let cacheDir: string;
  const engines: ModelEngine[] = [];
  const engine = (env: NodeJS.ProcessEnv = {}) => {
    const created = new ModelEngine({ processEntry: processEntry(), env: { NODE_EXTRA_CA_CERTS: front.certFile, HTTPS_PROXY: '', https_proxy: '', ...env } });
    engines.push(created);
    return created;
  };
  const load = (extra: Partial<LoadOptions> = {}): LoadOptions => ({
    model: REPO, dtype: 'fp32', device: 'cpu', threads: 1, cacheDir, remoteHost: `https://hub.test:${front.port}/`, ...extra,
  });

  before(async () => {
    hub = await startHub({ [REPO]: await ensureTestModel('successor') });
    front = await startTlsFront('hub.test', Number(new URL(hub.url).port));
    proxy = await startProxy({ tunnelTo: front.port });
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'inkling-proxy-'));
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));
  after(async () => {
    for (const e of engines) e.dispose();
    await proxy?.close();
    await front?.close();
    await hub?.close();
  });

  it('downloads over https through the proxy VS Code names (http.proxy)', async () => {
    const info = await engine().load(load({ proxy: proxy.url }));
    assert.equal(info.modelType, 'qwen2');
    assert.ok(proxy.connects.includes(`hub.test:${front.port}`), proxy.connects.join(', '));
    assert.ok(hub.requests.includes(`GET /${REPO}/resolve/main/config.json`));
  });

  it('uses the environment\'s HTTPS_PROXY when VS Code names none', async () => {
    const before = proxy.connects.length;
    const info = await engine({ HTTPS_PROXY: proxy.url }).load(load());
    assert.equal(info.modelType, 'qwen2');
    assert.ok(proxy.connects.length > before);
  });

  it('names the proxy that refused, and what to check', async () => {
    const refusing = await startProxy({ refuseWith: 403 });
    try {
      const error = await engine().load(load({ proxy: refusing.url })).then(() => assert.fail('loaded'), (e: Error & { code?: string }) => e);
      assert.equal(error.code, 'hub-unreachable');
      assert.equal(error.message, `Inkling could not download ${REPO} through the proxy ${refusing.url}: it answered HTTP 403. Check VS Code's http.proxy setting or the HTTPS_PROXY environment variable.`);
    } finally {
      await refusing.close();
    }
  });

  it('says a proxy that wants a password wants one', async () => {
    const asking = await startProxy({ refuseWith: 407 });
    try {
      const error = await engine().load(load({ proxy: asking.url })).then(() => assert.fail('loaded'), (e: Error) => e);
      assert.equal(error.message, `Inkling could not download ${REPO} through the proxy ${asking.url}: it answered HTTP 407 (it wants a user name and password). Check VS Code's http.proxy setting or the HTTPS_PROXY environment variable.`);
    } finally {
      await asking.close();
    }
  });
});
