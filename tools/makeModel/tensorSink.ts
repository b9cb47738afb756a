// Where weight bytes go: straight into the model file (ModelFileSink) or into an external data file
// (ExternalSink; protobuf caps a file at 2 GB). Either way they are streamed in chunks, so memory
// stays flat however big the model is.
import { closeSync, openSync, writeSync } from 'node:fs';
import { DataType, initializerRecordHeader } from './onnxProto';
import type { DataTypeCode, TensorInit } from './onnxProto';

/** Calls `emit` with the tensor's little-endian bytes, in order, in as many pieces as it likes. */
export type TensorWriter = (emit: (bytes: Uint8Array) => void) => void;

export interface TensorSink {
  /**
   * Writes one tensor. Returns the initializer the graph must list, or undefined when the tensor
   * already sits in the model file as an initializer record of its own.
   */
  add(name: string, dataType: DataTypeCode, dims: readonly number[], write: TensorWriter): TensorInit | undefined;
  close(): void;
}

/** A protobuf message (the whole model file) may not reach 2 GB. */
const PROTOBUF_LIMIT = 2 ** 31 - 1;

class FileWriter {
  private fd: number | undefined;
  offset = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  put(bytes: Uint8Array): void {
    if (this.fd === undefined) throw new Error(`${this.path} is already closed`);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.offset += bytes.length;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function expectedBytes(dataType: DataTypeCode, dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1) * bytesPerElement(dataType);
}

/**
 * Streams tensors into the model (.onnx) file itself, each as an initializer record (see
 * onnxProto.initializerRecordHeader); `finish` appends the encoded rest of the model.
 */
export class ModelFileSink implements TensorSink {
  private readonly file: FileWriter;

  constructor(path: string) {
    this.file = new FileWriter(path);
  }

  add(name: string, dataType: DataTypeCode, dims: readonly number[], write: TensorWriter): undefined {
    const expected = expectedBytes(dataType, dims);
    this.checkLimit(expected);
    this.file.put(initializerRecordHeader({ name, dataType, dims }, expected));
    const start = this.file.offset;
    write((bytes) => this.file.put(bytes));
    const length = this.file.offset - start;
    if (length !== expected) throw new Error(`${name}: wrote ${length} bytes, expected ${expected}`);
    return undefined;
  }

  /** Appends the model's encoded ModelProto and closes the file. */
  finish(model: Uint8Array): void {
    this.checkLimit(model.length);
    this.file.put(model);
    this.close();
  }

  private checkLimit(more: number): void {
    if (this.file.offset + more > PROTOBUF_LIMIT) {
      throw new Error(`${this.file.path} would pass protobuf's 2 GB limit: put the weights in external data (--external-data)`);
    }
  }

  close(): void {
    this.file.close();
  }
}

/** Sends the tensors `toModelFile` picks to the model file and the rest to external data. */
export class SplitSink implements TensorSink {
  constructor(private readonly modelFile: TensorSink, private readonly external: TensorSink, private readonly toModelFile: (name: string) => boolean) {}

  add(name: string, dataType: DataTypeCode, dims: readonly number[], write: TensorWriter): TensorInit | undefined {
    return (this.toModelFile(name) ? this.modelFile : this.external).add(name, dataType, dims, write);
  }

  close(): void {
    this.external.close();
  }
}

// onnx's own saver aligns big tensors to page boundaries so they can be memory-mapped directly.
const BIG_TENSOR = 1 << 20;
const PAGE = 4096;
const SMALL_ALIGN = 16;

export class ExternalSink implements TensorSink {
  private readonly file: FileWriter;

  /** `location` is the data file's name as the model refers to it (relative to the model file). */
  constructor(path: string, private readonly location: string) {
    this.file = new FileWriter(path);
  }

  add(name: string, dataType: DataTypeCode, dims: readonly number[], write: TensorWriter): TensorInit {
    const expected = expectedBytes(dataType, dims);
    const align = expected >= BIG_TENSOR ? PAGE : SMALL_ALIGN;
    const padding = (align - (this.file.offset % align)) % align;
    if (padding > 0) this.file.put(new Uint8Array(padding));
    const start = this.file.offset;
    write((bytes) => this.file.put(bytes));
    const length = this.file.offset - start;
    if (length !== expected) throw new Error(`${name}: wrote ${length} bytes, expected ${expected}`);
    return { name, dataType, dims, external: { location: this.location, offset: start, length } };
  }

  close(): void {
    this.file.close();
  }
}

export function bytesPerElement(dataType: DataTypeCode): number {
  switch (dataType) {
    case DataType.float: case DataType.int32: return 4;
    case DataType.int64: return 8;
    default: return 1;
  }
}
