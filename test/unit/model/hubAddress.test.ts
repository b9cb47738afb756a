import * as assert from 'node:assert/strict';
import { checkHubUrl, mayCarryHubToken, repoIdProblem } from '../../../src/model/modelSource';
import { proxyFor } from '../../../src/model/process/download/proxySettings';

describe('hub addresses, repo ids and proxies', () => {
  it('accepts https hubs and mirrors, and http only on this machine, always ending in "/"', () => {
    assert.deepEqual(checkHubUrl(''), { ok: true, url: 'https://huggingface.co/' });
    assert.deepEqual(checkHubUrl(' https://hf-mirror.example/models '), { ok: true, url: 'https://hf-mirror.example/models/' });
    assert.deepEqual(checkHubUrl('http://127.0.0.1:8080'), { ok: true, url: 'http://127.0.0.1:8080/' });
    assert.deepEqual(checkHubUrl('http://localhost:9/'), { ok: true, url: 'http://localhost:9/' });
    assert.deepEqual(checkHubUrl('http://[::1]:9/'), { ok: true, url: 'http://[::1]:9/' });
  });

  const refused: Array<[string, string]> = [
    ['/home/me/hub', 'is not a web address'],
    ['hub.example', 'is not a web address'],
    ['http://hub.example/', 'uses http://, which is only allowed for this machine (localhost, 127.0.0.1, [::1])'],
    ['http://127.0.0.1.evil.example/', 'uses http://, which is only allowed for this machine (localhost, 127.0.0.1, [::1])'],
    ['ftp://hub.example/', 'uses ftp://, not https://'],
    ['file:///etc/', 'uses file://, not https://'],
    ['https://user:secret@hub.example/', 'contains a user name or password'],
    ['https://hub.example/?token=x', 'contains a query (?…) or a fragment (#…)'],
    ['https://hub.example/#x', 'contains a query (?…) or a fragment (#…)'],
    ['https://hub.example/?', 'contains a query (?…) or a fragment (#…)'],
  ];
  for (const [url, problem] of refused) {
    it(`refuses the hub address ${JSON.stringify(url)}: ${problem}`, () => {
      assert.deepEqual(checkHubUrl(url), { ok: false, problem });
    });
  }

  it('accepts the hub\'s repo ids, with or without an owner', () => {
    for (const id of ['onnx-community/Qwen2.5-Coder-0.5B-Instruct', 'gpt2', 'a/b', 'Org_1/model.v2-final']) assert.equal(repoIdProblem(id), undefined, id);
  });

  const badIds: Array<[string, string]> = [
    ['../../etc', 'it has more than one "/"'],
    ['org/../x', 'it has more than one "/"'],
    ['evil..name/x', 'it contains ".." or "--"'],
    ['org/na--me', 'it contains ".." or "--"'],
    ['org/.hidden', 'the owner and the name may only hold letters, digits, "_", "-" and "." (at most 96 each), beginning and ending with a letter or digit'],
    ['org/name.', 'the owner and the name may only hold letters, digits, "_", "-" and "." (at most 96 each), beginning and ending with a letter or digit'],
    ['org/na me', 'the owner and the name may only hold letters, digits, "_", "-" and "." (at most 96 each), beginning and ending with a letter or digit'],
    ['C:\\models\\x', 'the owner and the name may only hold letters, digits, "_", "-" and "." (at most 96 each), beginning and ending with a letter or digit'],
    ['org/', 'the owner and the name may only hold letters, digits, "_", "-" and "." (at most 96 each), beginning and ending with a letter or digit'],
    [`org/${'x'.repeat(97)}`, 'the owner and the name may only hold letters, digits, "_", "-" and "." (at most 96 each), beginning and ending with a letter or digit'],
    ['org/repo.git', 'it ends in .git or .ipynb'],
  ];
  for (const [id, problem] of badIds) {
    it(`refuses the repo id ${JSON.stringify(id.length > 40 ? `${id.slice(0, 20)}…` : id)}`, () => assert.equal(repoIdProblem(id), problem));
  }

  it('lets HF_TOKEN go only to the default hub over https', () => {
    assert.equal(mayCarryHubToken(new URL('https://huggingface.co/org/x/resolve/main/config.json')), true);
    assert.equal(mayCarryHubToken(new URL('http://huggingface.co/org/x')), false);
    assert.equal(mayCarryHubToken(new URL('https://hf-mirror.example/org/x')), false);
    assert.equal(mayCarryHubToken(new URL('https://cdn-lfs.huggingface.co/x')), false);
    assert.equal(mayCarryHubToken(new URL('https://huggingface.co.evil.example/x')), false);
  });

  it('uses VS Code\'s proxy, else the environment\'s, never for this machine or NO_PROXY hosts', () => {
    const hub = new URL('https://huggingface.co/x');
    assert.equal(proxyFor(hub, 'http://proxy.corp:3128', {})?.href, 'http://proxy.corp:3128/');
    assert.equal(proxyFor(hub, undefined, { HTTPS_PROXY: 'proxy.corp:8080' })?.href, 'http://proxy.corp:8080/');
    assert.equal(proxyFor(hub, undefined, { https_proxy: 'http://u:p@proxy.corp:1' })?.username, 'u');
    assert.equal(proxyFor(hub, '', {}), undefined);
    assert.equal(proxyFor(new URL('http://127.0.0.1:9/x'), 'http://proxy.corp:3128', {}), undefined);
    assert.equal(proxyFor(hub, 'http://proxy.corp:3128', { NO_PROXY: 'localhost,.huggingface.co' }), undefined);
    assert.equal(proxyFor(hub, 'http://proxy.corp:3128', { no_proxy: 'huggingface.co' }), undefined);
    assert.equal(proxyFor(hub, 'http://proxy.corp:3128', { NO_PROXY: '*' }), undefined);
    assert.notEqual(proxyFor(hub, 'http://proxy.corp:3128', { NO_PROXY: 'face.co' }), undefined);
    assert.throws(() => proxyFor(hub, 'socks5://proxy.corp:1080', {}), (e: Error & { facts?: { proxyProblem?: string } }) => e.facts?.proxyProblem === 'socks5:// proxies are not supported, only http://');
  });
});
