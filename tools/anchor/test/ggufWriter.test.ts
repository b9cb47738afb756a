import * as assert from 'node:assert/strict';
import { gguf, GGMLQuantizationType, GGUFValueType } from '@huggingface/gguf';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alignUp, tensorBytes, type GgmlType, type GgufValue } from '../ggufFormat';
import { TOKEN_TYPE, tokenizerFromPlan, tokenizerMetadata } from '../ggufTokenizer';
import { writeGguf } from '../ggufWriter';
import { qwen2Metadata, qwen2Tensors } from '../qwen2Gguf';
import type { Qwen2Shape } from '../qwen2Gguf';
import { toHalfBits } from '../randomBlocks';
import type { TokenizerPlan } from '../../makeModel/tokenizerFiles';

const TINY: Qwen2Shape = { layers: 2, hidden: 64, heads: 4, kvHeads: 2, intermediate: 96, vocab: 48, contextLength: 512, ropeTheta: 1e6, rmsEps: 1e-6 };

// 8 byte-level tokens, one merge, two added tokens (one special), padded to TINY.vocab.
const plan: TokenizerPlan = {
  vocab: ['a', 'b', 'c', 'd', 'Ġ', 'e', 'f', 'ab'],
  merges: [['a', 'b']],
  added: [{ content: '<|endoftext|>', special: true, id: 8 }, { content: '<|fim_prefix|>', special: false, id: 9 }],
  size: 10,
};

function readBytes(path: string, position: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, bytes, 0, length, position);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

interface ReadHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: { name: string; dims: number[]; type: GgmlType; offset: number }[];
  alignment: number;
  dataOffset: number;
}

const valueTypeName = (type: GGUFValueType): string => GGUFValueType[type]!.toLowerCase();

/**
 * Reads a GGUF file back with Hugging Face's GGUF parser (not ours): what the writer wrote is what a
 * well-kept reader sees. Values come in the writer's own shape ({ type, value } / { itemType }).
 */
async function readHeader(path: string): Promise<ReadHeader> {
  const parsed = await gguf(path, { allowLocalFile: true, typedMetadata: true });
  const metadata = new Map<string, GgufValue>();
  for (const [key, entry] of Object.entries(parsed.typedMetadata)) {
    if (key === 'version' || key === 'tensor_count' || key === 'kv_count') continue;
    const typed = entry as { value: unknown; type: GGUFValueType; subType?: GGUFValueType };
    metadata.set(key, (typed.type === GGUFValueType.ARRAY
      ? { type: 'array', itemType: valueTypeName(typed.subType!), value: typed.value }
      : { type: valueTypeName(typed.type), value: typed.value }) as GgufValue);
  }
  const alignment = Number((parsed.typedMetadata as Record<string, { value: unknown }>)['general.alignment']?.value ?? 32);
  return {
    version: Number(parsed.metadata.version),
    metadata,
    tensors: parsed.tensorInfos.map((t) => ({ name: t.name, dims: t.shape.map(Number), type: GGMLQuantizationType[t.dtype] as GgmlType, offset: Number(t.offset) })),
    alignment,
    dataOffset: Number(parsed.tensorDataOffset),
  };
}

describe('GGUF writer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkling-gguf-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a tiny qwen2 model: header, metadata, tensor infos, aligned offsets and file size', async () => {
    const path = join(dir, 'tiny.gguf');
    const tokenizer = tokenizerFromPlan(plan, TINY.vocab, { bos: '<|endoftext|>', eos: '<|endoftext|>', pad: '<|endoftext|>' });
    const tensors = qwen2Tensors(TINY, 'Q8_0', 7);
    const layout = writeGguf(path, { metadata: [...qwen2Metadata(TINY, 'Q8_0', 'tiny'), ...tokenizerMetadata(tokenizer)], tensors });
    const header = await readHeader(path);

    assert.equal(header.version, 3);
    const keys = [...header.metadata.keys()];
    assert.deepEqual(keys.slice(0, 2), ['general.architecture', 'general.alignment']);
    assert.deepEqual(header.metadata.get('general.architecture'), { type: 'string', value: 'qwen2' });
    assert.deepEqual(header.metadata.get('general.alignment'), { type: 'uint32', value: 32 });
    assert.deepEqual(header.metadata.get('general.file_type'), { type: 'uint32', value: 7 });
    assert.deepEqual(header.metadata.get('qwen2.attention.head_count_kv'), { type: 'uint32', value: 2 });
    assert.deepEqual(header.metadata.get('qwen2.rope.freq_base'), { type: 'float32', value: 1e6 });
    assert.deepEqual(header.metadata.get('tokenizer.ggml.pre'), { type: 'string', value: 'qwen2' });
    assert.deepEqual(header.metadata.get('tokenizer.ggml.merges'), { type: 'array', itemType: 'string', value: ['a b'] });
    assert.deepEqual(header.metadata.get('tokenizer.ggml.eos_token_id'), { type: 'uint32', value: 8 });
    const tokens = header.metadata.get('tokenizer.ggml.tokens');
    assert.ok(tokens?.type === 'array' && tokens.itemType === 'string');
    assert.equal(tokens.value.length, TINY.vocab);

    // 1 embedding + 12 per layer + output norm; no output.weight: the embedding is tied.
    assert.equal(header.tensors.length, 1 + 12 * TINY.layers + 1);
    assert.deepEqual(header.tensors.map(({ name, dims, type, offset }) => ({ name, dims, type, offset })),
      layout.tensors.map(({ name, dims, type, offset }) => ({ name, dims, type, offset })));
    const byName = new Map(header.tensors.map((t) => [t.name, t]));
    assert.deepEqual(byName.get('token_embd.weight')?.dims, [64, 48]);
    assert.deepEqual(byName.get('blk.1.attn_k.weight')?.dims, [64, 32]);
    assert.deepEqual(byName.get('blk.0.ffn_down.weight')?.dims, [96, 64]);
    assert.equal(byName.get('blk.0.attn_q.bias')?.type, 'F32');
    assert.equal(byName.has('output.weight'), false);

    assert.equal(header.dataOffset, layout.dataOffset);
    assert.equal(header.dataOffset % 32, 0);
    let end = 0;
    for (const t of header.tensors) {
      assert.equal(t.offset, alignUp(end, 32), `${t.name} starts at the next aligned offset`);
      end = t.offset + tensorBytes(t.type, t.dims);
    }
    assert.equal(statSync(path).size, header.dataOffset + end);
    assert.equal(layout.fileBytes, statSync(path).size);
  });

  it('writes Q8_0 blocks as an fp16 scale and 32 int8 quants, and norms as F32 ones', async () => {
    const path = join(dir, 'tiny.gguf');
    writeGguf(path, { metadata: qwen2Metadata(TINY, 'Q8_0', 'tiny'), tensors: qwen2Tensors(TINY, 'Q8_0', 7) });
    const header = await readHeader(path);
    const embed = header.tensors.find((t) => t.name === 'token_embd.weight');
    const norm = header.tensors.find((t) => t.name === 'output_norm.weight');
    assert.ok(embed && norm);
    const block = readBytes(path, header.dataOffset + embed.offset, 34 * 4);
    for (let b = 0; b < 4; b++) {
      assert.equal(block.readUInt16LE(b * 34), toHalfBits((0.02 * Math.sqrt(3)) / 127));
      const quants = new Int8Array(block.buffer, block.byteOffset + b * 34 + 2, 32);
      assert.ok(quants.every((q) => q >= -127 && q <= 127));
    }
    assert.ok(new Set(new Int8Array(block.buffer, block.byteOffset + 2, 32)).size > 8, 'quants look random');
    const ones = readBytes(path, header.dataOffset + norm.offset, 4 * TINY.hidden);
    for (let i = 0; i < TINY.hidden; i++) assert.equal(ones.readFloatLE(i * 4), 1);
  });

  it('writes F16 and Q4_0 files whose sizes match their layouts', async () => {
    for (const type of ['F16', 'Q4_0'] as const) {
      const path = join(dir, `${type}.gguf`);
      const layout = writeGguf(path, { metadata: qwen2Metadata(TINY, type, 'tiny'), tensors: qwen2Tensors(TINY, type, 7) });
      const tensors = (await readHeader(path)).tensors;
      // The tied embedding stays 8-bit in a 4-bit file, as llama-quantize leaves it for this shape.
      assert.equal(tensors.find((t) => t.name === 'token_embd.weight')?.type, type === 'Q4_0' ? 'Q8_0' : type);
      assert.equal(tensors.find((t) => t.name === 'blk.0.ffn_up.weight')?.type, type);
      assert.equal(statSync(path).size, layout.fileBytes);
    }
  });

  it('pads every tensor to a custom alignment with zeros', async () => {
    const path = join(dir, 'aligned.gguf');
    const floats = (name: string, values: number[]) => ({
      name, dims: [values.length], type: 'F32' as const,
      produce: (emit: (chunk: Uint8Array) => void) => emit(new Uint8Array(new Float32Array(values).buffer)),
    });
    const layout = writeGguf(path, { metadata: [['general.architecture', { type: 'string', value: 'test' }]], tensors: [floats('a', [1, 2, 3]), floats('b', [4])], alignment: 64 });
    const header = await readHeader(path);
    assert.equal(header.alignment, 64);
    assert.equal(header.dataOffset % 64, 0);
    assert.deepEqual(header.tensors.map((t) => t.offset), [0, 64]);
    assert.deepEqual(layout.tensors.map((t) => t.bytes), [12, 4]);
    const data = readBytes(path, header.dataOffset, 68);
    assert.equal(data.readFloatLE(8), 3);
    assert.ok(data.subarray(12, 64).every((b) => b === 0), 'padding is zero');
    assert.equal(data.readFloatLE(64), 4);
  });

  it('refuses a producer that writes the wrong number of bytes, and leaves no file behind', () => {
    const path = join(dir, 'short.gguf');
    const short = { name: 'x', dims: [4], type: 'F32' as const, produce: (emit: (chunk: Uint8Array) => void) => emit(new Uint8Array(12)) };
    assert.throws(() => writeGguf(path, { metadata: [], tensors: [short] }), /produced 12 of its 16 bytes/);
    const long = { ...short, produce: (emit: (chunk: Uint8Array) => void) => emit(new Uint8Array(20)) };
    assert.throws(() => writeGguf(path, { metadata: [], tensors: [long] }), /more than its 16 bytes/);
    assert.equal(existsSync(path), false);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('rejects quantized rows that are not whole blocks, and repeated metadata keys', () => {
    assert.throws(() => tensorBytes('Q8_0', [48, 2]), /multiple of 32/);
    assert.equal(tensorBytes('Q4_0', [896, 2]), (896 * 2 / 32) * 18);
    const tensor = { name: 'x', dims: [1], type: 'F32' as const, produce: (emit: (chunk: Uint8Array) => void) => emit(new Uint8Array(4)) };
    assert.throws(() => writeGguf(join(dir, 'dup.gguf'), { metadata: [['k', { type: 'uint32', value: 1 }], ['k', { type: 'uint32', value: 2 }]], tensors: [tensor] }), /appears twice/);
  });

  it('pads the tokenizer to the embedding rows with unused tokens and marks added tokens', () => {
    const tokenizer = tokenizerFromPlan(plan, 12, { bos: '<|endoftext|>', eos: '<|endoftext|>', pad: '<|endoftext|>' });
    assert.deepEqual(tokenizer.tokens.slice(8), ['<|endoftext|>', '<|fim_prefix|>', '[PAD10]', '[PAD11]']);
    assert.deepEqual(tokenizer.types.slice(6), [TOKEN_TYPE.normal, TOKEN_TYPE.normal, TOKEN_TYPE.control, TOKEN_TYPE.userDefined, TOKEN_TYPE.unused, TOKEN_TYPE.unused]);
    assert.equal(tokenizer.bosId, 8);
    assert.throws(() => tokenizerFromPlan(plan, 9, { bos: '<|endoftext|>', eos: '<|endoftext|>', pad: '<|endoftext|>' }), /below/);
  });

  it('converts floats to half precision bits', () => {
    assert.equal(toHalfBits(1), 0x3c00);
    assert.equal(toHalfBits(-2), 0xc000);
    assert.equal(toHalfBits(0.5), 0x3800);
    assert.equal(toHalfBits(65504), 0x7bff);
    assert.equal(toHalfBits(1e9), 0x7c00);
    assert.equal(toHalfBits(0), 0);
  });
});
