import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchFolder } from '../../../src/model/host/folderWatch';

/** Resolves on the watcher's next report; fails after `ms`. */
function nextReport(arm: (report: () => void) => void, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no report within ${ms} ms: ${what}`)), ms);
    arm(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('watching a model folder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'inkling-watch-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reports once when a folder that did not exist is created with files in it (two levels down)', async () => {
    const folder = join(root, 'models', 'mine');
    let reports = 0;
    let onReport: () => void = () => undefined;
    const watch = watchFolder(folder, () => {
      reports++;
      onReport();
    }, 100);
    try {
      const reported = nextReport((r) => (onReport = r), 5_000, 'folder created');
      const source = join(root, 'source');
      mkdirSync(join(source, 'onnx'), { recursive: true });
      writeFileSync(join(source, 'config.json'), '{}');
      writeFileSync(join(source, 'onnx', 'model.onnx'), 'x');
      mkdirSync(join(root, 'models'));
      cpSync(source, folder, { recursive: true });
      await reported;
      assert.equal(reports, 1, 'a burst of writes is one report');
    } finally {
      watch.dispose();
    }
  });

  it('reports a file written deep inside an existing folder, and nothing after dispose', async () => {
    const folder = join(root, 'model');
    mkdirSync(join(folder, 'onnx'), { recursive: true });
    let reports = 0;
    let onReport: () => void = () => undefined;
    const watch = watchFolder(folder, () => {
      reports++;
      onReport();
    }, 100);
    const reported = nextReport((r) => (onReport = r), 5_000, 'file written');
    writeFileSync(join(folder, 'onnx', 'model_quantized.onnx'), 'y');
    await reported;
    watch.dispose();
    writeFileSync(join(folder, 'onnx', 'model.onnx'), 'z');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(reports, 1);
  });
});
