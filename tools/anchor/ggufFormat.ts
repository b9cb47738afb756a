// The pieces of the GGUF v3 format that a llama.cpp model file needs: value types for metadata,
// ggml tensor types with their block sizes, and alignment. Little-endian throughout.

export const GGUF_MAGIC = 'GGUF';
export const GGUF_VERSION = 3;
/** llama.cpp's default when `general.alignment` is absent. */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Metadata value type ids, as `gguf_type` numbers them. */
export const VALUE_TYPE = {
  uint8: 0, int8: 1, uint16: 2, int16: 3, uint32: 4, int32: 5, float32: 6, bool: 7,
  string: 8, array: 9, uint64: 10, int64: 11, float64: 12,
} as const;

export type NumberItemType = 'uint32' | 'int32' | 'float32';

export type GgufValue =
  | { type: NumberItemType; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'uint64'; value: bigint }
  | { type: 'array'; itemType: 'string'; value: readonly string[] }
  | { type: 'array'; itemType: NumberItemType; value: readonly number[] };

export type GgufMetadata = ReadonlyArray<readonly [key: string, value: GgufValue]>;

export const u32 = (value: number): GgufValue => ({ type: 'uint32', value });
export const f32 = (value: number): GgufValue => ({ type: 'float32', value });
export const bool = (value: boolean): GgufValue => ({ type: 'bool', value });
export const str = (value: string): GgufValue => ({ type: 'string', value });
export const strings = (value: readonly string[]): GgufValue => ({ type: 'array', itemType: 'string', value });
export const i32s = (value: readonly number[]): GgufValue => ({ type: 'array', itemType: 'int32', value });

export type GgmlType = 'F32' | 'F16' | 'Q4_0' | 'Q8_0';

/** `ggml_type` ids. */
export const GGML_TYPE_ID: Record<GgmlType, number> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 };

/** Elements per block and bytes per block: quantized blocks are an fp16 scale then the quants. */
export const GGML_BLOCK: Record<GgmlType, { elements: number; bytes: number }> = {
  F32: { elements: 1, bytes: 4 },
  F16: { elements: 1, bytes: 2 },
  Q4_0: { elements: 32, bytes: 2 + 16 },
  Q8_0: { elements: 32, bytes: 2 + 32 },
};

/** `general.file_type` (llama_ftype) of a file whose large matrices are all of one type. */
export const FILE_TYPE: Record<GgmlType, number> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 7 };

export function ggmlTypeOf(id: number): GgmlType | undefined {
  return (Object.keys(GGML_TYPE_ID) as GgmlType[]).find((t) => GGML_TYPE_ID[t] === id);
}

/**
 * Bytes of a tensor. `dims` are in ggml order (dims[0] is the contiguous row); quantized rows must
 * hold whole blocks, which is why llama.cpp cannot K-quantize rows of 896.
 */
export function tensorBytes(type: GgmlType, dims: readonly number[]): number {
  const block = GGML_BLOCK[type];
  if (dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d < 1)) throw new RangeError(`Bad tensor dims [${dims.join(', ')}]`);
  if (dims[0] % block.elements !== 0) throw new RangeError(`${type} rows need a multiple of ${block.elements} elements, not ${dims[0]}`);
  const elements = dims.reduce((a, b) => a * b, 1);
  return (elements / block.elements) * block.bytes;
}

export function alignUp(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}
