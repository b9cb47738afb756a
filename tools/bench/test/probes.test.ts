import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTestModel } from '../../makeModel/modelCache';
import { repoRoot } from '../../repoRoot';
import { activationChildEntry, measureActivation } from '../activationProbe';
import { measureReadBandwidth } from '../bandwidthProbe';
import { weightBytes } from '../weightBytes';

describe('bench probes', function () {
  this.timeout(60000);

  it('counts the weights a decoding step reads: all but a table only gathered from', async () => {
    // The successor model is exported like the hub's files: an int8 embedding beside an untied lm_head.
    const hub = weightBytes(await ensureTestModel('successor', 'q8'), 'q8');
    assert.ok(hub.gathered > 0, 'the embedding table is gathered from');
    assert.equal(hub.perToken, hub.total - hub.gathered);
    // The random model ties one table to both ends: its output layer reads all of it every step.
    const tied = weightBytes(await ensureTestModel('random', 'q8'), 'q8');
    assert.equal(tied.gathered, 0);
    assert.equal(tied.perToken, tied.total);
  });

  it('measures a read bandwidth from buffers scanned on every thread at once', async () => {
    const bytesPerSecond = await measureReadBandwidth({ threads: 2, bytes: 8 * 2 ** 20, passes: 2 });
    assert.ok(bytesPerSecond > 1e8 && bytesPerSecond < 1e13, `${bytesPerSecond} B/s`);
  });

  it('times the extension\'s activation against a vscode stub that fakes nothing activate() touches', async () => {
    const root = repoRoot();
    assert.ok(existsSync(join(root, 'dist', 'extension.js')), 'dist/extension.js is missing: run "node esbuild.config.mjs" first');
    const result = await measureActivation(root, activationChildEntry(join(root, 'out', 'tools', 'bench')), 1, { 'inkling.model.id': await ensureTestModel('successor', 'q8') });
    assert.ok(result.totalMs && result.totalMs.median > 0);
    assert.ok(result.requireMs && result.activateMs);
    assert.deepEqual(result.faked, []);
  });
});
