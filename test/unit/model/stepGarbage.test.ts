import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { modelProcessFlags } from '../../../src/model/host/modelProcessClient';
import { youngGenerationCollector } from '../../../src/model/process/stepGarbage';

describe('collecting each forward pass\'s garbage', () => {
  it('asks for a minor collection where gc is exposed, and for nothing where it is not', () => {
    const asked: unknown[] = [];
    const collect = youngGenerationCollector({ gc: (options: unknown) => asked.push(options) });
    assert.ok(collect);
    collect();
    assert.deepEqual(asked, [{ type: 'minor' }]);
    assert.equal(youngGenerationCollector({}), undefined);
    assert.equal(youngGenerationCollector({ gc: 'not a function' }), undefined);
  });

  it('the model process starts with the flags that expose gc, and they are accepted by this Node', () => {
    const probe = spawnSync(process.execPath, [...modelProcessFlags, '-e', 'process.exit(typeof gc === "function" ? 0 : 3)'], { encoding: 'utf8' });
    assert.equal(probe.status, 0, probe.stderr);
  });
});
