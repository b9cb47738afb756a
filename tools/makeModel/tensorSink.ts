// Where weight bytes go: inline in the model file (tiny models) or streamed into an external data
// file (big models: protobuf caps a message at 2 GB, and streaming keeps memory flat).
import { closeSync, openSync, writeSync } from 'node:fs';
import { DataType } from './onnxProto';
import type { DataTypeCode, TensorInit } from './onnxProto';

/** Calls `emit` with the tensor's little-endian bytes, in order, in as many pieces as it likes. */
export type TensorWriter = (emit: (bytes: Uint8Array) => void) => void;

export interface TensorSink {
  add(name: string, dataType: DataTypeCode, dims: readonly number[], write: TensorWriter): TensorInit;
  close(): void;
}

export class InlineSink implements TensorSink {
  add(name: string, dataType: DataTypeCode, dims: readonly number[], write: TensorWriter): TensorInit {
    const pieces: Uint8Array[] = [];
    let total = 0;
    write((bytes) => {
      pieces.push(bytes.slice());
      total += bytes.length;
    });
    const raw = new Uint8Array(total);
    let offset = 0;
    for (const p of pieces) {
      raw.set(p, offset);
      offset += p.length;
    }
    return { name, dataType, dims, raw };
  }

  close(): void {}
}

// onnx's own saver aligns big tensors to page boundaries so they can be memory-mapped directly.
const BIG_TENSOR = 1 << 20;
const PAGE = 4096;
const SMALL_ALIGN = 16;

export class ExternalSink implements TensorSink {
  private readonly fd: number;
  private offset = 0;

  /** `location` is the data file's name as the model refers to it (relative to the model file). */
  constructor(path: string, private readonly location: string) {
    this.fd = openSync(path, 'w');
  }

  add(name: string, dataType: DataTypeCode, dims: readonly number[], write: TensorWriter): TensorInit {
    const expected = dims.reduce((a, b) => a * b, 1) * bytesPerElement(dataType);
    const align = expected >= BIG_TENSOR ? PAGE : SMALL_ALIGN;
    const padding = (align - (this.offset % align)) % align;
    if (padding > 0) this.put(new Uint8Array(padding));
    const start = this.offset;
    write((bytes) => this.put(bytes));
    const length = this.offset - start;
    if (length !== expected) throw new Error(`${name}: wrote ${length} bytes, expected ${expected}`);
    return { name, dataType, dims, external: { location: this.location, offset: start, length } };
  }

  close(): void {
    closeSync(this.fd);
  }

  private put(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.offset += bytes.length;
  }
}

export function bytesPerElement(dataType: DataTypeCode): number {
  switch (dataType) {
    case DataType.float: case DataType.int32: return 4;
    case DataType.int64: return 8;
    default: return 1;
  }
}
