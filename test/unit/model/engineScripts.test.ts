import * as assert from 'node:assert/strict';
import type { ModelEngine } from '../../../src/model/host/modelEngine';
import { scriptKey, scriptText, SUCCESSOR_FIM_TEXT, SUCCESSOR_SCRIPT_NAMES, SUCCESSOR_SCRIPTS } from '../../../tools/makeModel/successorScript';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';
import { localLoad, newEngine, request } from './engineFixture';

const fim = (prefix: string, suffix: string) => `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`;
const DOCUMENT = ['function run(items) {\n  const doubled = items.map(', ');\n  return doubled;\n}\n'] as const;
const keyed = (name: string, typed = '') => fim(`// ${scriptKey(name)}\n${DOCUMENT[0]}${typed}`, DOCUMENT[1]);

describe('ModelEngine with the successor model: scripted completions (q8)', function () {
  this.timeout(30000);
  let engine: ModelEngine;

  before(async () => {
    ({ engine } = newEngine());
    await engine.load(localLoad(await ensureTestModel('successor', 'q8'), { dtype: 'q8' }));
  });
  after(() => engine.dispose());

  it('writes each script exactly, streaming one piece per token, and ends at the end-of-text token', async () => {
    for (const name of SUCCESSOR_SCRIPT_NAMES) {
      const pieces: string[] = [];
      const result = await engine.generate(request(keyed(name)), { onToken: (text) => pieces.push(text) });
      assert.equal(result.text, scriptText(name), name);
      assert.equal(result.finishReason, 'eos', name);
      assert.deepEqual(pieces, SUCCESSOR_SCRIPTS[name], name);
    }
  });

  it('stays right when the kept key/value cache holds the key, and when the key changes after it', async () => {
    assert.equal((await engine.generate(request(keyed('map-call')))).text, scriptText('map-call'));
    const typed = await engine.generate(request(keyed('map-call', 'x')));
    assert.ok(typed.reusedPromptTokens > 0, 'the cache was reused');
    assert.equal(typed.text, scriptText('map-call'));
    assert.equal((await engine.generate(request(keyed('jsx-prop')))).text, scriptText('jsx-prop'));
    assert.equal((await engine.generate(request(fim(...DOCUMENT)))).text, SUCCESSOR_FIM_TEXT, 'no key: quicksort');
  });
});
