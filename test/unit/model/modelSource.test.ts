import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingModelFiles, onnxFileFor, resolveModelSource } from '../../../src/model/modelSource';

describe('modelSource', () => {
  it('treats paths as local folders and anything else as a hub repo', () => {
    assert.deepEqual(resolveModelSource('/models/tiny'), { kind: 'local', folder: '/models/tiny' });
    assert.deepEqual(resolveModelSource('~/models/tiny'), { kind: 'local', folder: join(homedir(), 'models/tiny') });
    assert.deepEqual(resolveModelSource('./tiny', '/work'), { kind: 'local', folder: '/work/tiny' });
    assert.deepEqual(resolveModelSource('../tiny', '/work/a'), { kind: 'local', folder: '/work/tiny' });
    assert.deepEqual(resolveModelSource('onnx-community/Qwen2.5-Coder-0.5B-Instruct'), { kind: 'hub', repo: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct' });
    assert.deepEqual(resolveModelSource(' org/name '), { kind: 'hub', repo: 'org/name' });
  });

  it('maps each dtype to the file transformers.js loads', () => {
    assert.equal(onnxFileFor('fp32'), 'onnx/model.onnx');
    assert.equal(onnxFileFor('fp16'), 'onnx/model_fp16.onnx');
    assert.equal(onnxFileFor('q8'), 'onnx/model_quantized.onnx');
    assert.equal(onnxFileFor('q4'), 'onnx/model_q4.onnx');
  });

  it('names the files a local folder lacks', () => {
    const folder = mkdtempSync(join(tmpdir(), 'inkling-source-'));
    try {
      assert.deepEqual(missingModelFiles(join(folder, 'absent'), 'fp32'), ['.']);
      assert.deepEqual(missingModelFiles(folder, 'q8'), ['config.json', 'tokenizer.json', 'onnx/model_quantized.onnx']);
      writeFileSync(join(folder, 'config.json'), '{}');
      writeFileSync(join(folder, 'tokenizer.json'), '{}');
      mkdirSync(join(folder, 'onnx'));
      writeFileSync(join(folder, 'onnx', 'model_quantized.onnx'), '');
      assert.deepEqual(missingModelFiles(folder, 'q8'), []);
      assert.deepEqual(missingModelFiles(folder, 'q4'), ['onnx/model_q4.onnx']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
