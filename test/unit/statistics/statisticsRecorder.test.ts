import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loggerFrom } from '../../../src/base/logger';
import type { StatisticsEvent } from '../../../src/statistics/statisticsEvents';
import { StatisticsFile, headerLine } from '../../../src/statistics/statisticsFile';
import { StatisticsRecorder, type RecorderOptions } from '../../../src/statistics/statisticsRecorder';
import { T0, completion, explanation } from './eventFixtures';

const CODE = 'def quicksort(arr):\n    if len(arr) <= 1:\n        return arr';

describe('statistics recorder', () => {
  let dir: string;
  let path: string;
  let logs: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkling-stats-'));
    path = join(dir, 'globalStorage', 'statistics.ndjson');
    logs = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const recorder = (options: RecorderOptions = {}) => {
    const log = loggerFrom((level, message) => logs.push(`${level}: ${message}`));
    return new StatisticsRecorder({ store: new StatisticsFile(path, log), log, flushDelayMs: 10_000, ...options });
  };
  const fileLines = () => readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const ats = (events: readonly StatisticsEvent[]) => events.map((e) => e.at);

  it('keeps only the newest `limit` events, in memory and on disk', async () => {
    const r = recorder({ limit: 5 });
    await r.loaded;
    for (let i = 0; i < 12; i++) r.record(completion({ at: T0 + i }));
    assert.deepEqual(ats(r.events), [7, 8, 9, 10, 11].map((i) => T0 + i));
    await r.dispose();
    const again = recorder({ limit: 5 });
    await again.loaded;
    assert.deepEqual(ats(again.events), [7, 8, 9, 10, 11].map((i) => T0 + i));
  });

  it('appends new events to the file and rewrites it only once it holds twice the limit', async () => {
    const r = recorder({ limit: 3 });
    await r.loaded;
    r.record(completion({ at: T0 + 1 }));
    await r.flush();
    assert.equal(fileLines()[0], headerLine(), 'the first write makes the file, header first');
    for (let i = 2; i <= 6; i++) {
      r.record(completion({ at: T0 + i }));
      await r.flush();
    }
    assert.equal(fileLines().length, 1 + 6, 'appended up to twice the limit');
    r.record(completion({ at: T0 + 7 }));
    await r.flush();
    assert.deepEqual(fileLines().slice(1).map((line) => (JSON.parse(line) as StatisticsEvent).at), [5, 6, 7].map((i) => T0 + i));
  });

  it('writes off the typing path: recording touches no file until the flush delay has passed', async () => {
    const r = recorder({ flushDelayMs: 30 });
    await r.loaded;
    r.record(completion());
    assert.equal(existsSync(path), false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(fileLines().length, 2);
    await r.dispose();
  });

  it('never stores code: fields beyond the event\'s own are dropped, names are one capped line', async () => {
    const r = recorder();
    await r.loaded;
    const sneaky = { ...completion(), text: CODE, prompt: CODE, insertText: CODE, document: { text: CODE } } as unknown as StatisticsEvent;
    assert.equal(r.record(sneaky), true);
    r.record(completion({ languageId: CODE.repeat(3), model: CODE.repeat(20) }));
    r.record({ ...explanation(), code: CODE } as unknown as StatisticsEvent);
    await r.flush();
    const stored = readFileSync(path, 'utf8');
    // The code's lines never appear as lines, escaped or not; only the named fields do.
    for (const line of [CODE, JSON.stringify(CODE).slice(1, -1), 'arr):\\n', 'insertText', '"text"', '"prompt"', '"code"', '"document"']) {
      assert.equal(stored.includes(line), false, `the file holds ${JSON.stringify(line)}`);
    }
    const withCode = r.events[1]!;
    assert.equal(withCode.languageId.length, 64);
    assert.ok(!/\n/.test(withCode.languageId) && !/\n/.test(withCode.model));
    assert.equal(withCode.model.length, 256);
    for (const event of r.events) {
      for (const [key, value] of Object.entries(event)) {
        assert.ok(['number', 'boolean'].includes(typeof value) || (typeof value === 'string' && value.length <= 256 && !value.includes('\n')), `${key} = ${JSON.stringify(value)}`);
      }
    }
  });

  it('records nothing while turned off, and keeps what it had', async () => {
    const r = recorder({ enabled: false });
    await r.loaded;
    assert.equal(r.record(completion()), false);
    assert.equal(r.events.length, 0);
    r.setEnabled(true);
    assert.equal(r.record(completion()), true);
    r.setEnabled(false);
    assert.equal(r.record(completion({ at: T0 + 1 })), false);
    assert.deepEqual(ats(r.events), [T0]);
    await r.flush();
    assert.equal(fileLines().length, 2);
  });

  it('tells its listeners about records, resets and the switch', async () => {
    const r = recorder();
    await r.loaded;
    let calls = 0;
    const subscription = r.onDidChange(() => calls++);
    r.record(completion());
    r.setEnabled(false);
    await r.reset();
    subscription.dispose();
    r.setEnabled(true);
    assert.equal(calls, 3);
  });

  it('reset deletes every event, in memory and in the file, including ones not yet written', async () => {
    const r = recorder();
    await r.loaded;
    r.record(completion());
    await r.flush();
    r.record(completion({ at: T0 + 1 }));
    await r.reset();
    assert.equal(r.events.length, 0);
    assert.deepEqual(fileLines(), [headerLine()]);
    await r.flush();
    const again = recorder();
    await again.loaded;
    assert.equal(again.events.length, 0);
  });

  it('reads a file from before alongside events recorded while it was being read', async () => {
    const first = recorder();
    await first.loaded;
    first.record(completion({ at: T0 }));
    await first.dispose();
    const second = recorder();
    second.record(completion({ at: T0 + 5 }));
    await second.loaded;
    assert.deepEqual(ats(second.events), [T0, T0 + 5]);
    await second.dispose();
    assert.equal(fileLines().length, 3);
  });

  describe('a corrupt or foreign file', () => {
    const write = (text: string) => {
      mkdirSync(join(dir, 'globalStorage'), { recursive: true });
      writeFileSync(path, text);
    };

    it('ignores a file that is not ours, says so in the log, and replaces it on the next write', async () => {
      write('{"some":"other tool"}\n{"kind":"completion"}\n');
      const r = recorder();
      await r.loaded;
      assert.equal(r.events.length, 0);
      assert.ok(logs.some((l) => l.startsWith('warn: statistics:') && l.includes('not an Inkling statistics file')), logs.join('\n'));
      r.record(completion());
      await r.flush();
      assert.equal(fileLines()[0], headerLine());
      assert.equal(fileLines().length, 2);
    });

    it('keeps the readable events of a file cut short mid-line, and rewrites it whole', async () => {
      const good = JSON.stringify(completion({ at: T0 + 1 }));
      write(`${headerLine()}\n${good}\nnot json\n${JSON.stringify({ kind: 'completion', at: -1 })}\n${good.slice(0, 40)}`);
      const r = recorder();
      await r.loaded;
      assert.deepEqual(ats(r.events), [T0 + 1]);
      assert.ok(logs.some((l) => l.includes('ignored 3 unreadable line(s)')), logs.join('\n'));
      r.record(completion({ at: T0 + 2 }));
      await r.flush();
      assert.deepEqual(fileLines().slice(1).map((line) => (JSON.parse(line) as StatisticsEvent).at), [T0 + 1, T0 + 2]);
    });

    it('starts empty when the file is binary garbage or not a file at all, and never throws', async () => {
      write('\u0000\u00ff\u0001garbage');
      const garbage = recorder();
      await garbage.loaded;
      assert.equal(garbage.events.length, 0);

      rmSync(path);
      mkdirSync(path, { recursive: true });
      const folder = recorder();
      await folder.loaded;
      assert.equal(folder.events.length, 0);
      assert.ok(logs.some((l) => l.includes('could not read')), logs.join('\n'));
      folder.record(completion());
      await folder.flush();
      assert.ok(logs.some((l) => l.includes('could not write the statistics file')), logs.join('\n'));
      assert.equal(folder.events.length, 1, 'the event stays in memory');
    });
  });
});
