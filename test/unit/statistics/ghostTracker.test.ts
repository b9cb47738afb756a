import * as assert from 'node:assert/strict';
import { GhostTracker, type CompletionDraft, type ShownGhost } from '../../../src/statistics/ghostTracker';
import type { CompletionEvent } from '../../../src/statistics/statisticsEvents';
import { completion } from './eventFixtures';

const DOC = 'file:///work/sort.py';
const BODY = 'if len(arr) <= 1:\n        return arr\n';

function draft(): CompletionDraft {
  const { outcome: _o, acceptedShare: _s, partialBy: _p, ...rest } = completion();
  return rest;
}

describe('statistics: following a ghost text to its end', () => {
  let recorded: CompletionEvent[];
  let tracker: GhostTracker;
  const ghost = (over: Partial<ShownGhost> = {}): ShownGhost => ({ documentKey: DOC, offset: 100, text: BODY, replaceLength: 0, draft: draft(), ...over });
  const outcomes = () => recorded.map((e) => [e.outcome, e.partialBy, e.acceptedShare]);

  beforeEach(() => {
    recorded = [];
    tracker = new GhostTracker((event) => recorded.push(event));
  });

  it('Tab: the whole text inserted at the cursor is an acceptance, recorded at once', () => {
    tracker.shown(ghost());
    tracker.edited(DOC, [{ offset: 100, removed: 0, inserted: BODY }]);
    assert.deepEqual(outcomes(), [['accepted', undefined, 1]]);
  });

  it('Tab over the closers the item replaces is an acceptance too', () => {
    tracker.shown(ghost({ text: 'x + 1)', replaceLength: 1 }));
    tracker.edited(DOC, [{ offset: 100, removed: 1, inserted: 'x + 1)' }]);
    assert.deepEqual(outcomes(), [['accepted', undefined, 1]]);
  });

  it('the item\'s command after an edit VS Code reshaped still counts as accepted', () => {
    const id = tracker.shown(ghost());
    tracker.edited(DOC, [{ offset: 100, removed: 0, inserted: BODY.replace(/ {8}/, '\t\t') }]);
    tracker.accepted(id);
    tracker.flush();
    assert.deepEqual(outcomes(), [['accepted', undefined, 1]]);
  });

  it('a preview that grows into the whole completion at its place is one ghost text: its id, its timing, the whole text', () => {
    const first = 'if len(arr) <= 1:';
    const id = tracker.shown(ghost({ text: first, draft: { ...draft(), sinceKeystrokeMs: 420, multiline: false, shownTokens: 6 } }));
    const grown = tracker.shown(ghost({ draft: { ...draft(), sinceKeystrokeMs: 1900, multiline: true, shownTokens: 11 } }));
    assert.equal(grown, id);
    tracker.edited(DOC, [{ offset: 100, removed: 0, inserted: BODY }]);
    assert.deepEqual(outcomes(), [['accepted', undefined, 1]]);
    assert.deepEqual([recorded[0].sinceKeystrokeMs, recorded[0].multiline, recorded[0].shownTokens], [420, true, 11]);
  });

  it('the command alone (no edit seen yet) is an acceptance', () => {
    const id = tracker.shown(ghost());
    tracker.accepted(id);
    tracker.accepted(id);
    assert.deepEqual(outcomes(), [['accepted', undefined, 1]]);
  });

  it('accept word, then a request elsewhere: partly accepted, by word, with the share taken', () => {
    tracker.shown(ghost());
    tracker.edited(DOC, [{ offset: 100, removed: 0, inserted: 'if ' }]);
    tracker.edited(DOC, [{ offset: 103, removed: 0, inserted: 'len(' }]);
    assert.deepEqual(recorded, [], 'still showing the rest');
    tracker.requested(DOC, 400);
    tracker.flush();
    assert.deepEqual(outcomes(), [['partial', 'word', 7 / BODY.length]]);
  });

  it('accept line takes the first line; Tab then takes the rest: accepted', () => {
    tracker.shown(ghost());
    tracker.edited(DOC, [{ offset: 100, removed: 0, inserted: 'if len(arr) <= 1:\n' }]);
    tracker.edited(DOC, [{ offset: 118, removed: 0, inserted: '        return arr\n' }]);
    assert.deepEqual(outcomes(), [['accepted', undefined, 1]]);
  });

  it('accept line, then Escape and typing something else: partly accepted, by line', () => {
    tracker.shown(ghost());
    tracker.edited(DOC, [{ offset: 100, removed: 0, inserted: 'if len(arr) <= 1:' }]);
    tracker.edited(DOC, [{ offset: 117, removed: 0, inserted: '#' }]);
    tracker.flush();
    assert.deepEqual(outcomes().map(([o, p]) => [o, p]), [['partial', 'line']]);
  });

  it('dismissed: a request at another place, typing something else, another editor, or shown elsewhere', () => {
    tracker.shown(ghost());
    tracker.requested(DOC, 101);
    tracker.shown(ghost());
    tracker.edited(DOC, [{ offset: 100, removed: 0, inserted: 'w' }]);
    tracker.shown(ghost());
    tracker.leave();
    tracker.shown(ghost());
    tracker.shown(ghost({ documentKey: 'file:///other.py' }));
    tracker.flush();
    assert.deepEqual(outcomes(), Array.from({ length: 5 }, () => ['dismissed', undefined, 0]));
  });

  it('typing along the ghost text keeps it one ghost text, and the same text shown again continues it', () => {
    const first = tracker.shown(ghost());
    tracker.edited(DOC, [{ offset: 100, removed: 0, inserted: 'i' }]);
    tracker.requested(DOC, 101);
    const again = tracker.shown(ghost({ offset: 101, text: BODY.slice(1) }));
    assert.equal(again, first);
    tracker.edited(DOC, [{ offset: 101, removed: 0, inserted: BODY.slice(1) }]);
    assert.deepEqual(outcomes(), [['accepted', undefined, 1]]);
  });

  it('typing along and then leaving is a dismissal: typing is not an accept gesture', () => {
    tracker.shown(ghost());
    tracker.edited(DOC, [{ offset: 100, removed: 0, inserted: 'i' }]);
    tracker.edited(DOC, [{ offset: 101, removed: 0, inserted: 'f' }]);
    tracker.leave();
    tracker.flush();
    assert.deepEqual(outcomes(), [['dismissed', undefined, 0]]);
  });

  it('a request at the ghost text\'s own place (VS Code asking again) does not end it', () => {
    tracker.shown(ghost());
    tracker.requested(DOC, 100);
    assert.equal(tracker.shown(ghost()), 1);
    tracker.flush();
    assert.equal(recorded.length, 1);
  });

  it('edits in other documents leave it alone; several edits at once end it', () => {
    tracker.shown(ghost());
    tracker.edited('file:///other.py', [{ offset: 0, removed: 0, inserted: 'x' }]);
    assert.equal(recorded.length, 0);
    tracker.edited(DOC, [{ offset: 100, removed: 0, inserted: 'if' }, { offset: 300, removed: 0, inserted: 'if' }]);
    tracker.flush();
    assert.deepEqual(outcomes(), [['dismissed', undefined, 0]]);
  });

  it('records a dismissal after a short grace even when nothing else happens', async () => {
    tracker.shown(ghost());
    tracker.leave();
    assert.equal(recorded.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.deepEqual(outcomes(), [['dismissed', undefined, 0]]);
  });
});
