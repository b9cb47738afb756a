import * as assert from 'node:assert/strict';
import { classifyLoadError, PayloadError, type LoadContext } from '../../../src/model/process/modelErrors';

const hub: LoadContext = { model: 'org/coder', source: { kind: 'hub', repo: 'org/coder' }, remoteHost: 'https://hub.example/', cachedFolder: '/cache/org/coder' };
const local: LoadContext = { model: '/models/coder', source: { kind: 'local', folder: '/models/coder' }, remoteHost: 'https://hub.example/' };

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('classifyLoadError', () => {
  it('calls a refused or unresolved connection to the hub unreachable', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT']) {
      const error = new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
      const payload = classifyLoadError(error, hub);
      assert.equal(payload.code, 'hub-unreachable', code);
      assert.match(payload.message, /hub\.example/);
      assert.match(payload.detail ?? '', new RegExp(`Caused by: Error: ${code}`));
    }
  });

  it('blames a GPU provider that fails to start, and says to use the CPU', () => {
    const payload = classifyLoadError(new Error('no available backend found. ERR: [cuda] libcudart.so.12: cannot open shared object file'), { ...local, device: 'cuda' });
    assert.equal(payload.code, 'internal');
    assert.match(payload.message, /could not run the model \/models\/coder on cuda: no available backend found/);
    assert.match(payload.message, /Set inkling\.model\.device to cpu/);
  });

  it('calls a server error from the hub unreachable, but a 404 not found', () => {
    const serverError = new Error('Internal server error error occurred while trying to load file: "https://hub.example/org/coder/resolve/main/config.json".');
    assert.equal(classifyLoadError(serverError, hub).code, 'hub-unreachable');
    const missing = named('ModelFileNotFoundError', 'Could not locate file: "https://hub.example/org/coder/resolve/main/config.json".');
    const payload = classifyLoadError(missing, hub);
    assert.equal(payload.code, 'model-not-found');
    assert.match(payload.message, /org\/coder.*inkling\.model\.id/s);
  });

  it('tells the user what to delete when a downloaded model is damaged', () => {
    const payload = classifyLoadError(new Error('Load model from /cache/org/coder/onnx/model.onnx failed:Protobuf parsing failed.'), hub);
    assert.equal(payload.code, 'model-corrupt');
    assert.match(payload.message, /delete \/cache\/org\/coder and download it again/);
    const json = classifyLoadError(new SyntaxError('Unexpected end of JSON input'), local);
    assert.equal(json.code, 'model-corrupt');
    assert.match(json.message, /\/models\/coder/);
  });

  it('keeps unknown failures as internal, with one line in the message and the stack in detail', () => {
    const error = new Error('std::bad_alloc\nsecond line');
    const payload = classifyLoadError(error, local);
    assert.equal(payload.code, 'internal');
    assert.match(payload.message, /std::bad_alloc/);
    assert.doesNotMatch(payload.message, /second line|\n/);
    assert.ok(payload.detail?.includes(error.stack ?? '-'));
  });

  it('never calls a local folder unreachable', () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
    assert.notEqual(classifyLoadError(error, local).code, 'hub-unreachable');
  });

  it('passes on an error that already carries its payload', () => {
    const payload = { code: 'model-not-found' as const, message: 'named' };
    assert.equal(classifyLoadError(new PayloadError(payload), hub), payload);
  });
});
