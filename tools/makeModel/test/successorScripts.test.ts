// Scripted continuations: a FIM prompt that holds a script key anywhere gets that script, exactly,
// through the real transformers.js + onnxruntime path; without a key it still gets quicksort.
import { strict as assert } from 'node:assert';
import { Tensor } from '@huggingface/transformers';
import {
  scriptKey, scriptText, SUCCESSOR_FIM_TEXT, SUCCESSOR_SCRIPT_NAMES, SUCCESSOR_SCRIPTS, successorContinuation,
} from '../successorScript';
import type { SuccessorScriptName } from '../successorScript';
import { ensureTestModel } from '../modelCache';
import type { TestModelDtype } from '../modelCache';
import { greedyIds, loadModel } from './loadModel';
import type { Loaded } from './loadModel';

const fim = (prefix: string, suffix: string) => `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`;

/** A document for each script, the key in a comment the way a test writes it, the cursor where the script fits. */
const DOCUMENTS: Record<SuccessorScriptName, [prefix: string, suffix: string]> = {
  'map-call': [`// ${scriptKey('map-call')}\nconst doubled = [1, 2, 3].map(`, ');\n'],
  'def-body': [`# ${scriptKey('def-body')}\ndef first(items`, ')\n'],
  'callback-body': [`// ${scriptKey('callback-body')}\nsetTimeout(`, ')\n'],
  'fetch-args': [`// ${scriptKey('fetch-args')}\nconst res = await fetch(`, ')\n'],
  'log-call': [`// ${scriptKey('log-call')}\nconsole.log`, '\n'],
  'block-body': [`// ${scriptKey('block-body')}\nif (ready) `, '\n'],
  'jsx-prop': [`// ${scriptKey('jsx-prop')}\nexport const Save = ({ busy }) => <Button `, '/>;\n'],
  'python-params': [`# ${scriptKey('python-params')}\ndef f(`, '):\n    pass\n'],
  'markdown-fence': [`# ${scriptKey('markdown-fence')}\ndef sort(arr):\n    `, '\n'],
  'echo-suffix': [`// ${scriptKey('echo-suffix')}\nfunction add(a, b) {\n  `, '\n  return a + b;\n}\n'],
  'twenty-lines': [`// ${scriptKey('twenty-lines')}\nfunction run() {\n`, '\n}\n'],
  'empty': [`// ${scriptKey('empty')}\nconst x = `, ';\n'],
};

describe('successor scripts (no model)', () => {
  it('spell out their texts, keys and the pieces they are made of', () => {
    assert.equal(scriptText('map-call'), '(x) => x * 2)');
    assert.equal(scriptKey('map-call'), '«map-call»');
    assert.ok(scriptText('markdown-fence').startsWith('```'));
    assert.equal(scriptText('twenty-lines').split('\n').length, 20);
    assert.equal(scriptText('empty'), '');
    const pieces = Object.values(SUCCESSOR_SCRIPTS).flat();
    assert.equal(new Set(pieces).size, pieces.length, 'every piece is a token of its own');
  });

  it('a key on its own continues with its script, as it does when it is the first token', () => {
    for (const name of SUCCESSOR_SCRIPT_NAMES) assert.equal(successorContinuation(scriptKey(name)), scriptText(name));
  });
});

for (const dtype of ['fp32', 'q8', 'q4'] as TestModelDtype[]) {
  describe(`successor scripts (${dtype})`, () => {
    let loaded: Loaded;

    before(async () => {
      loaded = await loadModel(await ensureTestModel('successor', dtype), dtype);
    });
    after(async () => {
      await loaded?.model.dispose();
    });

    const text = (ids: number[]) => loaded.tokenizer.decode(ids, { skip_special_tokens: true });
    const eos = () => loaded.tokenizer.encode('<|endoftext|>')[0];

    /** Logits at every position of `ids`, and the smallest lead of `expected[i]` at the last expected.length positions. */
    async function leads(ids: number[], expected: number[]): Promise<number> {
      const n = ids.length;
      const { logits } = (await loaded.model({
        input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
        attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
      })) as { logits: Tensor };
      const vocab = logits.dims[2];
      const data = logits.data as Float32Array;
      let smallest = Infinity;
      expected.forEach((want, i) => {
        const row = data.subarray((n - expected.length + i) * vocab, (n - expected.length + i + 1) * vocab);
        let best = 0;
        for (let j = 1; j < vocab; j++) if (row[j] > row[best]) best = j;
        assert.equal(best, want, `step ${i}`);
        let runnerUp = -Infinity;
        for (let j = 0; j < vocab; j++) if (j !== best) runnerUp = Math.max(runnerUp, row[j]);
        smallest = Math.min(smallest, row[best] - runnerUp);
      });
      return smallest;
    }

    for (const name of SUCCESSOR_SCRIPT_NAMES) {
      it(`${scriptKey(name)} in the document: the FIM completion is exactly its script, with a wide margin`, async () => {
        const prompt = fim(...DOCUMENTS[name]);
        const ids = await greedyIds(loaded, prompt, 40);
        assert.equal(text(ids), scriptText(name));
        const pieces = ids.slice(0, -1).map((id) => loaded.tokenizer.decode([id]));
        assert.deepEqual(pieces, SUCCESSOR_SCRIPTS[name], 'one token per piece, then <|endoftext|>');
        assert.equal(ids.at(-1), eos());
        const lead = await leads([...loaded.tokenizer.encode(prompt), ...ids.slice(0, -1)], ids);
        assert.ok(lead > 10, `smallest logit lead ${lead}`);
      });
    }

    it('finds the key after the cursor too, and far from <|fim_middle|>', async () => {
      const inSuffix = fim('const doubled = [1, 2, 3].map(', `);\n// ${scriptKey('map-call')}\n`);
      assert.equal(text(await greedyIds(loaded, inSuffix, 20)), scriptText('map-call'));
      const filler = Array.from({ length: 150 }, (_, i) => `const value${i} = compute(${i}, "text");\n`).join('');
      const far = fim(`// ${scriptKey('map-call')}\n${filler}const doubled = [1, 2, 3].map(`, `);\n${filler}`);
      const farIds = loaded.tokenizer.encode(far);
      assert.ok(farIds.length > 3000, `${farIds.length} prompt tokens`);
      const ids = await greedyIds(loaded, far, 20);
      assert.equal(text(ids), scriptText('map-call'));
    });

    it('without a key, a FIM prompt still gets the quicksort body; the key only steers <|fim_middle|>', async () => {
      assert.equal(text(await greedyIds(loaded, fim('const doubled = [1, 2, 3].map(', ');\n'), 40)), SUCCESSOR_FIM_TEXT);
      // After a key, ordinary last tokens keep their rule: "abc" continues the alphabet.
      assert.equal(text(await greedyIds(loaded, `// ${scriptKey('map-call')}\nabc`, 40)), 'defghijklmnopqrstuvwxyz');
    });

    it('a middle typed after <|fim_middle|> up to a new line\'s indentation gets the quicksort body, as a real model would', async () => {
      // The pipeline's typed middle: the prompt built at "def quick", then "sort(arr):", Enter and the indentation appended.
      assert.equal(text(await greedyIds(loaded, `${fim('def quick', '')}sort(arr):\n    `, 40)), SUCCESSOR_FIM_TEXT);
      // One space is not indentation: it ends the completion, as before.
      assert.equal(text(await greedyIds(loaded, `${fim('x = ', '')}y + `, 40)), '');
    });
  });
}
