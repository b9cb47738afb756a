// The successor model as a GGUF, read back with @huggingface/gguf: llama.cpp's qwen2 names and
// shapes, the successor's tokenizer, and weights laid out the way ggml reads them — checked by
// following a token through the file's own embedding, final norm and output layer, which must
// pick the successor's next token.
import * as assert from 'node:assert/strict';
import { gguf } from '@huggingface/gguf';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelRecipe } from '../../makeModel/recipes';
import { FIM_MIDDLE } from '../../makeModel/specialTokens';
import { SUCCESSOR_FIM_TOKENS } from '../../makeModel/successorScript';
import { idOf } from '../../makeModel/tokenizerFiles';
import { writeSuccessorGguf } from '../successorGguf';

describe('the successor model as a GGUF (llama.cpp server recipe test)', function () {
  this.timeout(30_000);
  let dir: string;
  let path: string;
  let parsed: Awaited<ReturnType<typeof gguf>>;
  const { dims, plan } = modelRecipe('successor');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'inkling-successor-gguf-'));
    path = join(dir, 'successor.gguf');
    writeSuccessorGguf(path);
    parsed = await gguf(path, { allowLocalFile: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** One float32 row of a tensor (ggml's dims[0] values) straight from the file. */
  function row(name: string, index: number): Float32Array {
    const info = parsed.tensorInfos.find((t) => t.name === name);
    assert.ok(info, `no tensor ${name}`);
    const width = Number(info.shape[0]);
    const bytes = Buffer.alloc(width * 4);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, bytes, 0, bytes.length, parsed.tensorDataOffset + info.offset + BigInt(index * width * 4));
    } finally {
      closeSync(fd);
    }
    return new Float32Array(bytes.buffer, bytes.byteOffset, width);
  }

  it('has the qwen2 metadata llama.cpp reads, the successor tokenizer, and an untied output layer', () => {
    const meta = parsed.metadata as Record<string, unknown>;
    assert.equal(meta['general.architecture'], 'qwen2');
    assert.equal(meta['qwen2.block_count'], dims.layers);
    assert.equal(meta['qwen2.embedding_length'], dims.hidden);
    assert.equal(meta['qwen2.attention.head_count_kv'], dims.kvHeads);
    assert.equal((meta['tokenizer.ggml.tokens'] as string[]).length, plan.size);
    assert.equal(meta['tokenizer.ggml.pre'], 'qwen2');
    const names = parsed.tensorInfos.map((t) => t.name);
    assert.equal(names.length, 2 + 1 + dims.layers * 12);
    assert.ok(names.includes('output.weight'), 'the output layer is missing: llama.cpp would tie it to the embedding');
    const q = parsed.tensorInfos.find((t) => t.name === 'blk.0.attn_q.weight');
    assert.deepEqual(q?.shape.map(Number), [dims.hidden, dims.heads * dims.headDim]);
  });

  it('the file\'s own embedding, final norm and output rows turn <|fim_middle|> into the first token of the successor\'s completion', () => {
    // The layers barely move the residual stream (that is how the model is built), so embedding →
    // norm → output alone must already pick the next token; a transposed output layer would not.
    const embedding = row('token_embd.weight', idOf(plan, FIM_MIDDLE));
    const rms = Math.sqrt(embedding.reduce((sum, x) => sum + x * x, 0) / embedding.length + dims.rmsEps);
    const gain = row('output_norm.weight', 0);
    const hidden = embedding.map((x, i) => (x / rms) * gain[i]!);
    let best = -1;
    let bestLogit = -Infinity;
    for (let token = 0; token < dims.vocab; token++) {
      const weights = row('output.weight', token);
      const logit = hidden.reduce((sum, x, i) => sum + x * weights[i]!, 0);
      if (logit > bestLogit) [best, bestLogit] = [token, logit];
    }
    assert.equal(best, idOf(plan, SUCCESSOR_FIM_TOKENS[0]!));
  });
});
