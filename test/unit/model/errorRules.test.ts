// Each rule of the error wording on its own, with the inputs that reach only that rule: a missing file
// known by its error's name, a JSON error whose text names no damage, a failure on the CPU, a multi-line
// error, an abort by name. (modelErrors.test.ts covers the common cases.)
import * as assert from 'node:assert/strict';
import { EngineError } from '../../../src/model/host/engineError';
import { isAbortError, userMessageOf } from '../../../src/model/host/userMessage';
import { classifyLoadError, type LoadContext } from '../../../src/model/process/modelErrors';

const hub: LoadContext = { model: 'org/coder', source: { kind: 'hub', repo: 'org/coder' }, remoteHost: 'https://hub.example/', cachedFolder: '/cache/org/coder' };
const local: LoadContext = { model: '/models/coder', source: { kind: 'local', folder: '/models/coder' }, remoteHost: 'https://hub.example/' };

function jsonError(text: string): SyntaxError {
  try {
    JSON.parse(text);
  } catch (error) {
    return error as SyntaxError;
  }
  throw new Error(`${text} parsed`);
}

describe('error wording, rule by rule', () => {
  it('calls a missing file not found by the error\'s name alone, whatever its message', () => {
    const error = new Error('model_quantized.onnx: no such file');
    error.name = 'ModelFileNotFoundError';
    assert.equal(classifyLoadError(error, local).code, 'model-not-found');
  });

  it('calls a config.json with garbage in it damaged, whatever the parser\'s words', () => {
    const error = jsonError('{"model_type": }');
    assert.doesNotMatch(error.message, /corrupt|truncat|unexpected end|not a valid/i, 'pick a message only the SyntaxError rule catches');
    const payload = classifyLoadError(error, hub);
    assert.equal(payload.code, 'model-corrupt');
    assert.match(payload.message, /delete \/cache\/org\/coder\b/);
  });

  it('does not tell a user whose model failed on the CPU to switch to the CPU', () => {
    const payload = classifyLoadError(new Error('std::bad_alloc'), { ...local, device: 'cpu' });
    assert.equal(payload.message, 'Inkling could not load the model /models/coder: std::bad_alloc. See the Inkling log for details.');
  });

  it('puts one line of an unexpected error in the message and the stack in the detail', () => {
    const error = new Error('Cannot read properties of undefined (reading \'dims\')\n    at decode (decodeLoop.js:10:5)');
    const { message, detail } = userMessageOf(error, 'org/coder');
    assert.equal(message, 'Inkling hit an unexpected problem with the model org/coder: Cannot read properties of undefined (reading \'dims\'). See the Inkling log for details.');
    assert.equal(detail, error.stack);
  });

  it('cuts a very long one-line error to 200 characters', () => {
    const { message } = userMessageOf(new Error('x'.repeat(1000)));
    assert.equal(message, `Inkling hit an unexpected problem: ${'x'.repeat(197)}…. See the Inkling log for details.`);
  });

  it('passes on an engine error\'s own words', () => {
    assert.deepEqual(userMessageOf(new EngineError('deadline', 'Took too long.', 'log only')), { message: 'Took too long.', detail: 'log only' });
  });

  it('knows an abort by its name or by its code, and nothing else', () => {
    const byName = new Error('The operation was aborted');
    byName.name = 'AbortError';
    assert.equal(isAbortError(byName), true);
    assert.equal(isAbortError(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' })), true);
    assert.equal(isAbortError(new Error('AbortError')), false);
    assert.equal(isAbortError('AbortError'), false);
  });
});
