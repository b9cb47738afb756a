import * as assert from 'node:assert/strict';
import { dtypeLabel, eventFrom, type CompletionEvent } from '../../../src/statistics/statisticsEvents';
import { completion, explanation } from './eventFixtures';

function completionFrom(raw: unknown): CompletionEvent {
  const event = eventFrom(raw);
  return event?.kind === 'completion' ? event : assert.fail(`not a completion: ${JSON.stringify(event)}`);
}

describe('statistics: events', () => {
  it('rebuilds a well-formed event exactly', () => {
    assert.deepEqual(eventFrom(completion()), completion());
    assert.deepEqual(eventFrom(explanation()), explanation());
    assert.deepEqual(eventFrom(JSON.parse(JSON.stringify(completion({ outcome: 'partial', partialBy: 'line', acceptedShare: 0.25 })))),
      completion({ outcome: 'partial', partialBy: 'line', acceptedShare: 0.25 }));
  });

  it('refuses what is not one of ours: unknown kinds, enums out of range, missing or negative times', () => {
    for (const bad of [
      null, 'completion', 42, {}, { ...completion(), kind: 'keystroke' }, { ...completion(), source: 'telemetry' },
      { ...completion(), outcome: 'maybe' }, { ...completion(), backend: 'cloud' }, { ...completion(), dtype: 'int3' },
      { ...completion(), at: -1 }, { ...completion(), at: 'today' }, { ...completion(), sinceKeystrokeMs: Number.NaN },
      { ...explanation(), outcome: 'perhaps' },
    ]) {
      assert.equal(eventFrom(bad), undefined, JSON.stringify(bad));
    }
  });

  it('keeps the share of a partial acceptance only, within 0–1', () => {
    assert.equal(completionFrom(completion({ outcome: 'partial', partialBy: 'word', acceptedShare: 7 })).acceptedShare, 1);
    assert.equal(completionFrom(completion({ outcome: 'dismissed', acceptedShare: 0.5 })).acceptedShare, 0);
    assert.equal(completionFrom(completion({ outcome: 'accepted', acceptedShare: 0.1 })).acceptedShare, 1);
    assert.equal(completionFrom(completion({ outcome: 'accepted', partialBy: 'word' })).partialBy, undefined);
  });

  it('drops optional measurements that are not measurements', () => {
    const event = completionFrom({ ...completion(), timeToFirstTokenMs: -3, generationMs: Infinity, promptTokens: 'many' });
    assert.equal('timeToFirstTokenMs' in event, false);
    assert.equal('generationMs' in event, false);
    assert.equal(event.promptTokens, 0);
  });

  it('names an unknown dtype "other" and an empty name "unknown"', () => {
    assert.equal(dtypeLabel('int4'), 'other');
    assert.equal(dtypeLabel('q4'), 'q4');
    assert.equal(eventFrom(completion({ languageId: ' \n ' }))?.languageId, 'unknown');
  });
});
