// Reads the protobuf fields of an ONNX file from disk without loading it: a model file is hundreds
// of megabytes of initializers, and only the small node messages between them matter here.
import type { FileHandle } from 'node:fs/promises';

/** One field of a message: its number, wire type and, for length-delimited ones, where its bytes are. */
export interface Field {
  number: number;
  wireType: number;
  /** Where the field's tag starts. */
  start: number;
  /** Where its payload starts (after the length, for wire type 2). */
  valueStart: number;
  /** Where the field ends. */
  end: number;
}

export class OnnxFormatError extends Error {}

const MAX_VARINT_BYTES = 10;

/** A varint at `at` in `bytes`: its value (exact below 2^53) and where it ends. */
export function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (at + i >= bytes.length) throw new OnnxFormatError('a number runs past the end of the data');
    const byte = bytes[at + i]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
  }
  throw new OnnxFormatError('a number is longer than ten bytes');
}

export function encodeVarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 128) {
    bytes.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** The fields of a message held in memory (a node). */
export function fieldsIn(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  while (at < bytes.length) {
    const start = at;
    const tag = readVarint(bytes, at);
    const number = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    const { valueStart, end } = extent(wireType, tag.next, (from) => readVarint(bytes, from));
    if (end > bytes.length) throw new OnnxFormatError('a field runs past the end of its message');
    fields.push({ number, wireType, start, valueStart, end });
    at = end;
  }
  return fields;
}

/** The fields of the message in [from, to) of an open file, read a few bytes at a time. */
export async function* fieldsOnDisk(file: FileHandle, from: number, to: number): AsyncGenerator<Field> {
  const head = Buffer.alloc(2 * MAX_VARINT_BYTES);
  let at = from;
  while (at < to) {
    const { bytesRead } = await file.read(head, 0, Math.min(head.length, to - at), at);
    const window = head.subarray(0, bytesRead);
    const tag = readVarint(window, 0);
    const number = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (number === 0) throw new OnnxFormatError('a field has number 0');
    const local = extent(wireType, tag.next, (offset) => readVarint(window, offset));
    const field = { number, wireType, start: at, valueStart: at + local.valueStart, end: at + local.end };
    if (field.end > to) throw new OnnxFormatError('a field runs past the end of its message');
    yield field;
    at = field.end;
  }
}

/** Where a field's value starts and ends, relative to the buffer `varintAt` reads. */
function extent(wireType: number, afterTag: number, varintAt: (at: number) => { value: number; next: number }): { valueStart: number; end: number } {
  switch (wireType) {
    case 0: {
      const value = varintAt(afterTag);
      return { valueStart: afterTag, end: value.next };
    }
    case 1: return { valueStart: afterTag, end: afterTag + 8 };
    case 2: {
      const length = varintAt(afterTag);
      return { valueStart: length.next, end: length.next + length.value };
    }
    case 5: return { valueStart: afterTag, end: afterTag + 4 };
    default: throw new OnnxFormatError(`wire type ${wireType} is not used by ONNX`);
  }
}
