import * as assert from 'node:assert/strict';
import { devicesFor } from '../../../src/model/host/devices';

describe('devices', () => {
  it('offers the CPU everywhere, CUDA on Linux x64 and DirectML on Windows only', () => {
    assert.deepEqual(devicesFor('linux', 'x64'), ['cpu', 'cuda']);
    assert.deepEqual(devicesFor('linux', 'arm64'), ['cpu']);
    assert.deepEqual(devicesFor('win32', 'x64'), ['cpu', 'dml']);
    assert.deepEqual(devicesFor('darwin', 'arm64'), ['cpu']);
  });
});
