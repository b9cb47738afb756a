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

/** Bytes read ahead: small neighbouring fields (nodes) come from one read; a large one is skipped. */
const WINDOW_BYTES = 64 * 1024;

/** The fields of the message in [from, to) of an open file, read through a window of WINDOW_BYTES. */
export async function* fieldsOnDisk(file: FileHandle, from: number, to: number): AsyncGenerator<Field> {
  const window = Buffer.alloc(WINDOW_BYTES);
  let windowStart = 0;
  let windowLength = 0;
  let at = from;
  while (at < to) {
    // A tag and a length take at most 20 bytes: read again when they might not all be in the window.
    if (at < windowStart || at + 2 * MAX_VARINT_BYTES > windowStart + windowLength) {
      windowStart = at;
      windowLength = (await file.read(window, 0, Math.min(WINDOW_BYTES, to - at), at)).bytesRead;
      if (windowLength === 0) throw new OnnxFormatError('the file ends inside a field');
    }
    const bytes = window.subarray(at - windowStart, windowLength);
    const tag = readVarint(bytes, 0);
    const number = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (number === 0) throw new OnnxFormatError('a field has number 0');
    const local = extent(wireType, tag.next, (offset) => readVarint(bytes, offset));
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
