import * as assert from 'node:assert/strict';
import { RetrySchedule } from '../../../src/model/host/retrySchedule';

describe('retry schedule for failed model loads', () => {
  it('waits 2 s, 5 s, 15 s, then 60 s after each failure in a row, and is due again after each wait', () => {
    let now = 1_000_000;
    const schedule = new RetrySchedule(undefined, () => now);
    assert.equal(schedule.due, true, 'a first load is never held back');
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const at = schedule.failed();
      waits.push(at - now);
      assert.equal(schedule.due, false);
      now = at - 1;
      assert.equal(schedule.due, false, 'not a millisecond early');
      now = at;
      assert.equal(schedule.due, true);
    }
    assert.deepEqual(waits, [2_000, 5_000, 15_000, 60_000, 60_000]);
  });

  it('starts over after a reset (a success, a changed setting, a changed folder, the Retry button)', () => {
    const now = 0;
    const schedule = new RetrySchedule(undefined, () => now);
    schedule.failed();
    schedule.failed();
    schedule.reset();
    assert.equal(schedule.due, true);
    assert.equal(schedule.nextAt, undefined);
    assert.equal(schedule.failed() - now, 2_000);
  });
});
