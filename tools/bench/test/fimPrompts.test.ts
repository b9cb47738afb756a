import * as assert from 'node:assert/strict';
import { fimDocument, fimTyped } from '../fimDocument';
import { calibratedCounter, defaultContextTokens, typingPrompts } from '../fimPrompts';

const counter = calibratedCounter(2);

describe('bench fill-in-the-middle prompts', () => {
  it('uses the extension\'s default budget of 512 tokens', () => {
    assert.equal(defaultContextTokens, 512);
  });

  it('builds one Qwen FIM prompt before typing and one per keystroke, the cursor mid-file', () => {
    const prompts = typingPrompts(fimDocument, 'retu', 512, counter);
    assert.deepEqual(prompts.map((p) => p.typed), ['', 'r', 're', 'ret', 'retu']);
    for (const { prompt, typed, counted } of prompts) {
      assert.match(prompt, /^<\|fim_prefix\|>\/\/ src\/inventory\/stockReport\.ts\n/);
      // The typed text ends the prefix and code follows the cursor in the suffix.
      assert.ok(prompt.includes(`const merged = mergeLines(lines);\n  ${typed}<|fim_suffix|>\n}\n`), prompt);
      assert.match(prompt, /The SKUs whose quantity is below[^]*<\|fim_middle\|>$/);
      assert.ok(counted <= 512 && counted > 400, `counted ${counted}`);
    }
  });

  it('cuts both sides of a file longer than the budget, as the extension would', () => {
    const [first] = typingPrompts(fimDocument, '', 512, counter);
    assert.ok(!first.prompt.includes('import { readFile }'), 'the top of the file is beyond the prefix budget');
    assert.ok(!first.prompt.includes('renderReport'), 'the end of the file is beyond the suffix budget');
  });

  it('changes each prompt only from the cursor on, so a kept cache can serve the part before it', () => {
    const prompts = typingPrompts(fimDocument, fimTyped, 512, counter);
    assert.equal(prompts[0].sharedChars, 0);
    for (const [k, p] of prompts.entries()) {
      if (k === 0) continue;
      const cursor = p.prompt.indexOf('<|fim_suffix|>') - 1;
      assert.equal(p.sharedChars, cursor, `keystroke ${k} shares everything up to the new character`);
    }
  });

  it('refuses a counter ratio that is not positive', () => {
    assert.throws(() => calibratedCounter(0), /positive/);
  });
});
