import * as assert from 'node:assert/strict';
import { fitCompletion } from '../../../src/completion/fitCompletion';
import { BENCH_FIM_TEXT } from '../../makeModel/benchScript';
import { typedFunction, typingDocument } from '../typingDocument';
import { TypingEditor } from '../typingEditor';
import { GAP_MS, PAUSE_MS, PAUSE_THRESHOLD_MS, recordTrace, summarizeTrace } from '../typingTrace';

describe('typing trace', () => {
  const trace = recordTrace(typedFunction);

  it('is the same for the same seed and differs for another', () => {
    assert.deepEqual(recordTrace(typedFunction), trace);
    assert.notDeepEqual(recordTrace(typedFunction, 7).keystrokes.map((k) => k.gapAfterMs), trace.keystrokes.map((k) => k.gapAfterMs));
  });

  it('has human gaps inside bursts and pauses where people think, about a minute of typing', () => {
    const gaps = trace.keystrokes.map((k) => k.gapAfterMs);
    const pauses = gaps.filter((g) => g >= PAUSE_THRESHOLD_MS);
    const bursts = gaps.filter((g) => g < PAUSE_THRESHOLD_MS);
    // A typo is noticed a little later than a normal gap (up to 280 ms) before Backspace fixes it.
    assert.ok(bursts.every((g) => g >= GAP_MS.min && g <= 280), `burst gaps ${Math.min(...bursts)}–${Math.max(...bursts)} ms`);
    assert.ok(pauses.every((g) => g <= PAUSE_MS.max));
    const summary = summarizeTrace(trace);
    assert.ok(summary.pauses >= 25 && summary.pauses <= 60, `${summary.pauses} pauses`);
    assert.ok(summary.longPauses >= 20, `${summary.longPauses} pauses of 400 ms or more`);
    assert.ok(summary.typos >= 1, 'at least one slip fixed with Backspace');
    assert.ok(summary.durationMs > 40_000 && summary.durationMs < 90_000, `${summary.durationMs} ms`);
    const newLinePauses = trace.keystrokes.filter((k) => k.key.kind === 'enter' && k.gapAfterMs >= PAUSE_THRESHOLD_MS).length;
    assert.ok(newLinePauses >= 5, `${newLinePauses} pauses at the start of a line`);
  });

  it('types exactly the function into the file, the editor adding the indentation', () => {
    const editor = new TypingEditor(typingDocument.before, typingDocument.after);
    for (const { key } of trace.keystrokes) editor.press(key);
    assert.equal(editor.text, typingDocument.before + typedFunction + typingDocument.after);
    const lines = editor.text.split('\n').length;
    assert.ok(lines >= 280 && lines <= 320, `${lines} lines`);
  });

  it('types the same function with auto-closed brackets, some of them still after the cursor at pauses', () => {
    const editor = new TypingEditor(typingDocument.before, typingDocument.after, { autoClose: true });
    let autoClosedAtPauses = 0;
    for (const { key, gapAfterMs } of trace.keystrokes) {
      editor.press(key);
      if (gapAfterMs >= PAUSE_THRESHOLD_MS && /^[)\]}]/.test(editor.text.slice(editor.offset))) autoClosedAtPauses++;
    }
    assert.equal(editor.text, typingDocument.before + typedFunction + typingDocument.after);
    assert.ok(autoClosedAtPauses >= 3, `${autoClosedAtPauses} pauses with an auto-closed closer after the cursor`);
  });

  it('auto-closes brackets as VS Code does: typed over, deleted with their opener, moved below at Enter', () => {
    const editor = new TypingEditor('', '\n', { autoClose: true });
    const type = (text: string) => { for (const char of text) editor.press({ kind: 'text', char }); };
    type('f([');
    assert.equal(editor.text, 'f([])\n');
    type('1]');
    assert.deepEqual([editor.text, editor.offset], ['f([1])\n', 5]);
    type('(');
    editor.press({ kind: 'backspace' });
    assert.equal(editor.text, 'f([1])\n', 'Backspace after an opener takes its closer');
    editor.press({ kind: 'enter' });
    assert.deepEqual([editor.text, editor.offset], ['f([1]\n\n)\n', 6], 'Enter between ( and ): the ) on a line below');
    type('{');
    editor.press({ kind: 'enter' });
    assert.equal(editor.text, 'f([1]\n{\n  \n}\n)\n');
    editor.press({ kind: 'enter' });
    type('}');
    assert.equal(editor.text, 'f([1]\n{\n\n}\n)\n', 'the } typed first on its line is the one waiting below');
  });

  it('pauses mostly where the scripted completion can show: the bench measures latency, not the fit refusing', () => {
    const editor = new TypingEditor(typingDocument.before, typingDocument.after);
    let pauses = 0;
    let fits = 0;
    for (const { key, gapAfterMs } of trace.keystrokes) {
      editor.press(key);
      if (gapAfterMs < PAUSE_THRESHOLD_MS) continue;
      pauses++;
      const edit = fitCompletion({
        before: editor.text.slice(0, editor.offset), after: editor.text.slice(editor.offset), languageId: 'typescript',
        trigger: 'automatic', indentation: { insertSpaces: true, tabSize: 2 }, modelOutput: BENCH_FIM_TEXT,
      });
      if (edit?.insertText) fits++;
    }
    // The rest fall inside the block the typist types along the suggestion (typed-ahead serves those).
    assert.ok(fits >= pauses * 0.7, `${fits} of ${pauses} pauses`);
  });
});
