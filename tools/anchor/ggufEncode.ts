// Encodes a GGUF header: magic, version, counts, metadata key/values and tensor infos, padded to the
// alignment so that the tensor data can follow directly.
import { alignUp, GGML_TYPE_ID, GGUF_MAGIC, GGUF_VERSION, VALUE_TYPE } from './ggufFormat';
import type { GgmlType, GgufMetadata, GgufValue, NumberItemType } from './ggufFormat';

export interface TensorInfo {
  name: string;
  /** ggml order: dims[0] is the contiguous row. */
  dims: readonly number[];
  type: GgmlType;
  /** Bytes from the start of the data section; a multiple of the alignment. */
  offset: number;
}

// Collects small pieces; the header of a 151k-token vocabulary is a few MB, fine to hold.
class ByteList {
  private readonly parts: Buffer[] = [];
  length = 0;

  private push(part: Buffer): void {
    this.parts.push(part);
    this.length += part.length;
  }

  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }

  u64(value: number | bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }

  number(type: NumberItemType, value: number): void {
    const b = Buffer.alloc(4);
    if (type === 'uint32') b.writeUInt32LE(value);
    else if (type === 'int32') b.writeInt32LE(value);
    else b.writeFloatLE(value);
    this.push(b);
  }

  string(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }

  raw(bytes: Buffer): void {
    this.push(bytes);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts, this.length);
  }
}

function writeValue(out: ByteList, value: GgufValue): void {
  switch (value.type) {
    case 'uint32': case 'int32': case 'float32':
      out.u32(VALUE_TYPE[value.type]);
      out.number(value.type, value.value);
      return;
    case 'bool':
      out.u32(VALUE_TYPE.bool);
      out.raw(Buffer.from([value.value ? 1 : 0]));
      return;
    case 'string':
      out.u32(VALUE_TYPE.string);
      out.string(value.value);
      return;
    case 'uint64':
      out.u32(VALUE_TYPE.uint64);
      out.u64(value.value);
      return;
    case 'array':
      out.u32(VALUE_TYPE.array);
      out.u32(VALUE_TYPE[value.itemType]);
      out.u64(value.value.length);
      if (value.itemType === 'string') for (const item of value.value) out.string(item);
      else for (const item of value.value) out.number(value.itemType, item);
  }
}

/** The header bytes, zero-padded to `alignment`; the data section starts right after them. */
export function encodeGgufHeader(metadata: GgufMetadata, tensors: readonly TensorInfo[], alignment: number): Buffer {
  const keys = new Set<string>();
  const out = new ByteList();
  out.raw(Buffer.from(GGUF_MAGIC, 'ascii'));
  out.u32(GGUF_VERSION);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    if (keys.has(key)) throw new Error(`Metadata key ${key} appears twice`);
    keys.add(key);
    out.string(key);
    writeValue(out, value);
  }
  for (const tensor of tensors) {
    if (tensor.offset % alignment !== 0) throw new Error(`Tensor ${tensor.name} is not aligned to ${alignment}`);
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const d of tensor.dims) out.u64(d);
    out.u32(GGML_TYPE_ID[tensor.type]);
    out.u64(tensor.offset);
  }
  out.raw(Buffer.alloc(alignUp(out.length, alignment) - out.length));
  return out.toBuffer();
}
