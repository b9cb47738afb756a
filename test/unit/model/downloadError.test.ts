import * as assert from 'node:assert/strict';
import { formatBytes } from '../../../src/model/process/download/downloadError';

describe('sizes in download messages', () => {
  it('are written as people read them', () => {
    assert.equal(formatBytes(512), '512 bytes');
    assert.equal(formatBytes(1_000), '1 kB');
    assert.equal(formatBytes(999_499), '999 kB');
    assert.equal(formatBytes(1_933_000), '2 MB');
    assert.equal(formatBytes(639_000_000), '639 MB');
    assert.equal(formatBytes(1_960_000_000), '2.0 GB');
  });
});
