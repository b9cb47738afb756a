// Reads a GGUF header back (metadata and tensor infos, not the data): the writer's tests use it for
// a round trip, and the benchmark to check a cached file before handing it to llama.cpp.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { alignUp, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, ggmlTypeOf, VALUE_TYPE } from './ggufFormat';
import type { GgufValue } from './ggufFormat';
import type { TensorInfo } from './ggufEncode';

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: TensorInfo[];
  alignment: number;
  /** Where the data section starts. */
  dataOffset: number;
}

class Cursor {
  offset = 0;
  constructor(private readonly bytes: Buffer) {}

  private take(n: number): number {
    if (this.offset + n > this.bytes.length) throw new RangeError(`GGUF header runs past ${this.bytes.length} bytes`);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(): number { return this.bytes.readUInt8(this.take(1)); }
  u32(): number { return this.bytes.readUInt32LE(this.take(4)); }
  i32(): number { return this.bytes.readInt32LE(this.take(4)); }
  f32(): number { return this.bytes.readFloatLE(this.take(4)); }
  u64(): bigint { return this.bytes.readBigUInt64LE(this.take(8)); }
  /** A u64 that must fit a JavaScript number (counts, sizes, offsets). */
  size(): number { return Number(this.u64()); }

  string(): string {
    const length = this.size();
    const at = this.take(length);
    return this.bytes.toString('utf8', at, at + length);
  }
}

const typeName = (id: number): string => Object.entries(VALUE_TYPE).find(([, v]) => v === id)?.[0] ?? `type ${id}`;

function readNumber(cursor: Cursor, type: number): number {
  if (type === VALUE_TYPE.uint32) return cursor.u32();
  if (type === VALUE_TYPE.int32) return cursor.i32();
  if (type === VALUE_TYPE.float32) return cursor.f32();
  throw new Error(`Unsupported GGUF value type ${typeName(type)}`);
}

function readValue(cursor: Cursor, type: number): GgufValue {
  switch (type) {
    case VALUE_TYPE.uint32: return { type: 'uint32', value: cursor.u32() };
    case VALUE_TYPE.int32: return { type: 'int32', value: cursor.i32() };
    case VALUE_TYPE.float32: return { type: 'float32', value: cursor.f32() };
    case VALUE_TYPE.bool: return { type: 'bool', value: cursor.u8() !== 0 };
    case VALUE_TYPE.string: return { type: 'string', value: cursor.string() };
    case VALUE_TYPE.uint64: return { type: 'uint64', value: cursor.u64() };
    case VALUE_TYPE.array: {
      const itemType = cursor.u32();
      const count = cursor.size();
      if (itemType === VALUE_TYPE.string) return { type: 'array', itemType: 'string', value: Array.from({ length: count }, () => cursor.string()) };
      const name = typeName(itemType);
      if (name !== 'uint32' && name !== 'int32' && name !== 'float32') throw new Error(`Unsupported GGUF array of ${name}`);
      return { type: 'array', itemType: name, value: Array.from({ length: count }, () => readNumber(cursor, itemType)) };
    }
    default: throw new Error(`Unsupported GGUF value type ${typeName(type)}`);
  }
}

/** Parses a header from bytes that start at the file's beginning and hold at least the header. */
export function parseGgufHeader(bytes: Buffer): GgufHeader {
  if (bytes.toString('ascii', 0, 4) !== GGUF_MAGIC) throw new Error('Not a GGUF file (bad magic)');
  const cursor = new Cursor(bytes);
  cursor.offset = 4;
  const version = cursor.u32();
  const tensorCount = cursor.size();
  const metadataCount = cursor.size();
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < metadataCount; i++) {
    const key = cursor.string();
    metadata.set(key, readValue(cursor, cursor.u32()));
  }
  const tensors: TensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = cursor.string();
    const dims = Array.from({ length: cursor.u32() }, () => cursor.size());
    const typeId = cursor.u32();
    const type = ggmlTypeOf(typeId);
    if (!type) throw new Error(`Tensor ${name} has unsupported ggml type ${typeId}`);
    tensors.push({ name, dims, type, offset: cursor.size() });
  }
  const declared = metadata.get('general.alignment');
  const alignment = declared?.type === 'uint32' ? declared.value : GGUF_DEFAULT_ALIGNMENT;
  return { version, metadata, tensors, alignment, dataOffset: alignUp(cursor.offset, alignment) };
}

/** Reads the header of a file, growing the read until the whole header is in. */
export function readGgufHeader(path: string): GgufHeader {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    for (let want = Math.min(size, 1 << 20); ; want = Math.min(size, want * 4)) {
      const bytes = Buffer.alloc(want);
      readSync(fd, bytes, 0, want, 0);
      try {
        return parseGgufHeader(bytes);
      } catch (error) {
        if (!(error instanceof RangeError) || want === size) throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}
