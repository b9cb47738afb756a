import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGeneration, type DecodeContext, type DecodingModel } from '../../../src/model/process/decodeLoop';
import { KvCache } from '../../../src/model/process/kvCache';
import { loadModel, type OnnxModel } from '../../../src/model/process/modelLoader';
import type { GenerateResult, SamplingOptions } from '../../../src/model/protocol';
import { ensureTestModel, type TestModelDtype, type TestModelKind } from '../../../tools/makeModel/modelCache';
import { SUCCESSOR_FIM_TEXT } from '../../../tools/makeModel/successorScript';
import { localLoad, request } from './engineFixture';

// Prompts that repeat themselves (so prompt lookup finds drafts) and prompts that do not.
const LINES = [
  'def add(a, b):\n    return a + b\n',
  'for item in items:\n    total += item.price\n',
  'const x = [1, 2, 3].map((v) => v * 2);\n',
  'if (count > 0) {\n  log(count);\n}\n',
  'class Point:\n    def __init__(self, x, y):\n        self.x = x\n',
  'export function area(r: number): number {\n  return Math.PI * r * r;\n}\n',
  'while low <= high:\n    middle = (low + high) // 2\n',
  'The quick brown fox jumps over the lazy dog. ',
];

/** For the successor model, whose continuations are known: digits count up, a FIM prompt writes its chain. */
function successorPrompts(): string[] {
  const fim = (prefix: string) => `<|fim_prefix|>${prefix}<|fim_suffix|>\n<|fim_middle|>`;
  return [
    'n = 0123456789; m = 0123', // drafts the rest of the digits, then ";" where the model ends
    'a = 01239; b = 0123', // drafts "9", the model writes "4"
    'x = 3456; y = 012345; z = 34',
    'abc 0123456 abc 0123456 abc 01',
    fim(`def quicksort(arr):\n    ${SUCCESSOR_FIM_TEXT}\n\ndef quicksort(arr):\n    `),
    fim(`${SUCCESSOR_FIM_TEXT.slice(0, 40)}xyz\n`),
    'def f():\n    pass\n',
  ];
}

function prompts(): string[] {
  const list: string[] = [];
  for (let i = 0; i < LINES.length; i++) {
    const a = LINES[i];
    const b = LINES[(i + 3) % LINES.length];
    list.push(a, a + b + a.slice(0, 12), b + a + b + a.slice(0, a.length >> 1), `${a}${a}${a}`.slice(0, -5));
  }
  return list;
}

/** What each forward pass returned, and for each `afterPass` call, which earlier passes' key/values were still not let go. */
interface PassRecord {
  presents: { disposed: boolean }[][];
  heldAtAfterPass: number[][];
}

interface Harness {
  run(prompt: string, options?: { promptLookup?: boolean; prefillChunk?: number; sampling?: Partial<SamplingOptions>; cache?: KvCache; cancelAfterSteps?: number; passes?: PassRecord }): Promise<GenerateResult>;
  dispose(): Promise<void>;
}

async function harness(kind: TestModelKind, dtype: TestModelDtype): Promise<Harness> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'inkling-decode-'));
  const loaded: OnnxModel = await loadModel(localLoad(await ensureTestModel(kind, dtype), { dtype, cacheDir }), () => undefined);
  return {
    async run(prompt, options = {}) {
      let steps = 0;
      const model: DecodingModel = {
        forward: async (inputs) => {
          steps++;
          const outputs = await (loaded.model as unknown as DecodingModel).forward(inputs);
          if (options.passes) {
            const presents = Object.entries(outputs).filter(([name]) => name.startsWith('present')).map(([, tensor]) => {
              const record = { disposed: false };
              const dispose = tensor.dispose.bind(tensor);
              tensor.dispose = () => {
                record.disposed = true;
                dispose();
              };
              return record;
            });
            options.passes.presents.push(presents);
          }
          return outputs;
        },
      };
      const passes = options.passes;
      const ctx: DecodeContext = {
        model,
        tokenizer: {
          encode: (text) => loaded.tokenizer.encode(text, { add_special_tokens: false }),
          decode: (ids) => loaded.tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
        },
        eosIds: loaded.eosIds,
        cache: options.cache ?? new KvCache(),
        receivedAt: performance.now(),
        isCancelled: () => options.cancelAfterSteps !== undefined && steps >= options.cancelAfterSteps,
        onText: () => undefined,
        prefillChunk: options.prefillChunk ?? 1e9,
        ...(passes ? { afterPass: () => passes.heldAtAfterPass.push(passes.presents.slice(0, -1).flatMap((p, i) => (p.some((t) => !t.disposed) ? [i] : []))) } : {}),
      };
      return runGeneration(ctx, request(prompt, { maxNewTokens: 40, ...options.sampling }, { promptLookup: options.promptLookup }));
    },
    async dispose() {
      await loaded.model.dispose();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

// Through the real onnxruntime path, in this process: the decoding loop with drafts checked in one
// pass must write exactly what it writes one token at a time.
describe('decoding loop with prompt lookup', function () {
  this.timeout(120000);

  for (const [kind, dtype] of [['random', 'fp32'], ['random', 'q8'], ['random', 'q4'], ['successor', 'fp32'], ['successor', 'q8'], ['successor', 'q4']] as const) {
    it(`writes the same greedy text with and without drafts (${kind} ${dtype}), drafting and rejecting along the way`, async () => {
      const model = await harness(kind, dtype);
      try {
        let drafted = 0;
        let accepted = 0;
        let fewerSteps = 0;
        for (const prompt of kind === 'successor' ? successorPrompts() : prompts()) {
          const plain = await model.run(prompt, { promptLookup: false });
          const drafting = await model.run(prompt, { promptLookup: true });
          assert.equal(drafting.text, plain.text, `prompt ${JSON.stringify(prompt)}`);
          assert.equal(drafting.finishReason, plain.finishReason);
          assert.equal(drafting.generatedTokens, plain.generatedTokens);
          assert.equal(plain.draftedTokens, 0);
          drafted += drafting.draftedTokens ?? 0;
          accepted += drafting.acceptedDraftTokens ?? 0;
          if ((drafting.forwardSteps ?? 0) < (plain.forwardSteps ?? 0)) fewerSteps++;
        }
        assert.ok(accepted > 0, 'no draft was ever accepted: the test proves nothing');
        assert.ok(accepted < drafted, 'every draft was accepted: rejection and the cache roll-back went untested');
        assert.ok(fewerSteps > 0, 'accepted drafts never saved a forward pass');
      } finally {
        await model.dispose();
      }
    });
  }

  it('writes the successor model\'s completion in fewer passes when the prompt already holds it', async () => {
    const model = await harness('successor', 'q8');
    try {
      // The same function earlier in the file: the completion copies it.
      const prompt = `<|fim_prefix|>def quicksort(arr):\n    ${SUCCESSOR_FIM_TEXT}\n\n\ndef quicksort(arr):\n    <|fim_suffix|>\n<|fim_middle|>`;
      const plain = await model.run(prompt, { promptLookup: false, sampling: { maxNewTokens: 200 } });
      const drafting = await model.run(prompt, { promptLookup: true, sampling: { maxNewTokens: 200 } });
      assert.equal(plain.text, SUCCESSOR_FIM_TEXT);
      assert.equal(drafting.text, SUCCESSOR_FIM_TEXT);
      assert.ok((drafting.forwardSteps ?? 0) * 2 <= (plain.forwardSteps ?? 0), `${drafting.forwardSteps} passes with drafts vs ${plain.forwardSteps} without`);
    } finally {
      await model.dispose();
    }
  });

  it('keeps sampling seeded and within the candidates with drafts on', async () => {
    const model = await harness('random', 'fp32');
    try {
      const sampling = { temperature: 0.7, topK: 5, topP: 0.9, seed: 3 };
      const prompt = prompts()[3];
      const first = await model.run(prompt, { sampling });
      assert.equal((await model.run(prompt, { sampling })).text, first.text, 'a seeded draw repeats');
      assert.equal(first.generatedTokens, 40);
    } finally {
      await model.dispose();
    }
  });
});

describe('decoding loop: the prompt in chunks', function () {
  this.timeout(120000);
  let model: Harness;
  before(async () => {
    model = await harness('random', 'fp32');
  });
  after(() => model.dispose());

  it('writes the same text whatever the chunk size, in one pass per chunk', async () => {
    const prompt = prompts()[7];
    const whole = await model.run(prompt, { promptLookup: false });
    for (const chunk of [1, 7, 32]) {
      const chunked = await model.run(prompt, { promptLookup: false, prefillChunk: chunk });
      assert.equal(chunked.text, whole.text, `chunk ${chunk}`);
      const prefillPasses = Math.ceil(chunked.promptTokens / chunk);
      assert.equal(chunked.forwardSteps, prefillPasses + chunked.generatedTokens - (chunked.finishReason === 'eos' ? 0 : 1), `chunk ${chunk}`);
    }
  });

  it('after every pass, prompt chunks and drafts included, lets the pass before\'s key/values go, then runs afterPass', async () => {
    for (const [prompt, promptLookup] of [[prompts()[7], false], [prompts()[3], true]] as const) {
      const passes: PassRecord = { presents: [], heldAtAfterPass: [] };
      const result = await model.run(prompt, { promptLookup, prefillChunk: 8, passes });
      assert.ok((result.forwardSteps ?? 0) > 3);
      if (promptLookup) assert.ok((result.draftedTokens ?? 0) > 0, 'drafts were checked');
      assert.equal(passes.heldAtAfterPass.length, result.forwardSteps, 'once per pass');
      assert.deepEqual(passes.heldAtAfterPass, passes.heldAtAfterPass.map(() => []), 'no earlier pass\'s key/values still held');
    }
  });

  it('abandons a prompt between chunks when cancelled, and keeps its finished chunks for the next prompt', async () => {
    const cache = new KvCache();
    const prompt = prompts()[7];
    const cancelled = await model.run(prompt, { promptLookup: false, prefillChunk: 8, cache, cancelAfterSteps: 3 });
    assert.equal(cancelled.finishReason, 'cancelled');
    assert.equal(cancelled.generatedTokens, 0);
    assert.equal(cancelled.forwardSteps, 3, 'it stopped right after the third chunk');
    const next = await model.run(prompt, { promptLookup: false, prefillChunk: 8, cache });
    assert.equal(next.reusedPromptTokens, 24, 'the three finished chunks were reused');
    assert.equal(next.text, (await model.run(prompt, { promptLookup: false })).text);
  });
});
