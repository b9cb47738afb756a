// The mid-file layouts without a model: what each leaves the kept KV cache to serve.
import * as assert from 'node:assert/strict';
import { calibratedCounter } from '../fimPrompts';
import { LAYOUTS, layoutPrompts, promptChurn, SLACKS, slackLayout } from '../midFile';

describe('mid-file prompt layouts', () => {
  const counter = calibratedCounter(1.7);
  const churn = LAYOUTS.map((layout) => promptChurn(layoutPrompts(layout, counter, 512)));
  const byName = (part: string) => churn[LAYOUTS.findIndex((l) => l.name.includes(part))];
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

  it('prefix-first: each keystroke changes the prompt from the cursor on, the suffix included', () => {
    const before = byName('moving start');
    assert.ok(median(before.changedChars) > 150, `${median(before.changedChars)} characters changed per keystroke`);
  });

  it('a smaller suffix share changes proportionally less', () => {
    const full = median(byName('suffix 0.3, kept').changedChars);
    const small = median(byName('suffix 0.15, kept').changedChars);
    assert.ok(small < full * 0.6, `${small} vs ${full} characters`);
  });

  it('keeping the prefix start recomputes the whole prompt on far fewer keystrokes', () => {
    const moving = byName('moving start').restarts;
    const kept = byName('suffix 0.3, kept').restarts;
    assert.ok(moving >= 5, `${moving} restarts with the moving start`);
    assert.ok(kept * 3 <= moving, `${kept} restarts with the kept start, ${moving} without`);
  });

  it('suffix first changes only the last few characters of most keystrokes', () => {
    const spm = byName('SPM');
    assert.ok(median(spm.changedChars) < 40, `${median(spm.changedChars)} characters changed per keystroke`);
  });

  it('a larger prefix slack moves the window less often, with shorter prompts', () => {
    const [usual, roomiest] = [SLACKS[0], SLACKS[SLACKS.length - 1]].map((slack) => layoutPrompts(slackLayout(slack), counter, 512));
    assert.ok(promptChurn(roomiest).restarts < promptChurn(usual).restarts, `${promptChurn(roomiest).restarts} vs ${promptChurn(usual).restarts} moves`);
    const mean = (prompts: string[]) => prompts.reduce((a, p) => a + counter.count(p), 0) / prompts.length;
    assert.ok(mean(roomiest) < mean(usual), `${mean(roomiest)} vs ${mean(usual)} tokens a prompt`);
  });
});
