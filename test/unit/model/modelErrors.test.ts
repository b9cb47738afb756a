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
  it('blames a GPU provider that fails to start, and says to use the CPU', () => {
    const payload = classifyLoadError(new Error('no available backend found. ERR: [cuda] libcudart.so.12: cannot open shared object file'), { ...local, device: 'cuda' });
    assert.equal(payload.code, 'internal');
    assert.match(payload.message, /could not run the model \/models\/coder on cuda: no available backend found/);
    assert.match(payload.message, /Set inkling\.model\.device to cpu/);
  });

  it('says a file missing from a downloaded copy is missing, naming the setting', () => {
    const missing = named('ModelFileNotFoundError', 'Could not locate file: "/cache/org/coder/tokenizer.json".');
    const payload = classifyLoadError(missing, hub);
    assert.equal(payload.code, 'model-not-found');
    assert.equal(payload.message, 'Inkling could not find the model org/coder: a file it needs is missing from its downloaded copy. Check the inkling.model.id setting.');
  });

  it('tells the user what to delete when a downloaded model is damaged, and blames the hub once it was downloaded again', () => {
    const damaged = new Error('Load model from /cache/org/coder/onnx/model.onnx failed:Protobuf parsing failed.');
    const payload = classifyLoadError(damaged, hub);
    assert.equal(payload.code, 'model-corrupt');
    assert.equal(payload.message, 'The model org/coder is damaged and could not be loaded; delete /cache/org/coder (or run "Inkling: Clear Model Cache") and load it again.');
    assert.equal(classifyLoadError(damaged, { ...hub, redownloaded: true }).message,
      'The model org/coder is damaged and could not be loaded, even after Inkling deleted its cached copy and downloaded it again: the copy on the hub (https://hub.example/) may be broken. Choose another model or inkling.model.dtype.');
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

  it('passes on an error that already carries its payload', () => {
    const payload = { code: 'model-not-found' as const, message: 'named' };
    assert.equal(classifyLoadError(new PayloadError(payload), hub), payload);
  });
});
