// Writes a GGUF v3 file tensor by tensor: the header first, then each tensor's bytes as its producer
// emits them, so a 500 MB model never sits in memory. The file appears under its name only when
// complete (written beside it, then renamed).
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { encodeGgufHeader } from './ggufEncode';
import type { TensorInfo } from './ggufEncode';
import { alignUp, GGUF_DEFAULT_ALIGNMENT, tensorBytes, u32 } from './ggufFormat';
import type { GgmlType, GgufMetadata } from './ggufFormat';

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the contiguous row. */
  dims: readonly number[];
  type: GgmlType;
  /** Emits the tensor's bytes in order, in chunks of any size; the total must be exact. */
  produce(emit: (chunk: Uint8Array) => void): void;
}

export interface GgufFile {
  metadata: GgufMetadata;
  tensors: readonly GgufTensor[];
  /** Written as `general.alignment`; 32 (llama.cpp's default) when absent. */
  alignment?: number;
}

export interface GgufLayout {
  alignment: number;
  /** Where the data section starts (the header's padded length). */
  dataOffset: number;
  tensors: (TensorInfo & { bytes: number })[];
  fileBytes: number;
}

/** Offsets of every tensor in the data section, each aligned. */
export function layoutTensors(tensors: readonly Pick<GgufTensor, 'name' | 'dims' | 'type'>[], alignment: number): (TensorInfo & { bytes: number })[] {
  let offset = 0;
  return tensors.map((t) => {
    offset = alignUp(offset, alignment);
    const info = { name: t.name, dims: [...t.dims], type: t.type, offset, bytes: tensorBytes(t.type, t.dims) };
    offset += info.bytes;
    return info;
  });
}

function metadataWithAlignment(file: GgufFile, alignment: number): GgufMetadata {
  const rest = file.metadata.filter(([key]) => key !== 'general.alignment');
  // general.architecture must come first for some readers; alignment goes right after it.
  const at = rest.findIndex(([key]) => key === 'general.architecture') + 1;
  return [...rest.slice(0, at), ['general.alignment', u32(alignment)], ...rest.slice(at)];
}

export function writeGguf(path: string, file: GgufFile): GgufLayout {
  const alignment = file.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const tensors = layoutTensors(file.tensors, alignment);
  const header = encodeGgufHeader(metadataWithAlignment(file, alignment), tensors, alignment);
  const partial = `${path}.partial-${process.pid}`;
  const fd = openSync(partial, 'w');
  let open = true;
  let position = 0;
  const put = (bytes: Uint8Array): void => {
    for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
    position += bytes.length;
  };
  try {
    put(header);
    file.tensors.forEach((tensor, i) => {
      const info = tensors[i];
      put(new Uint8Array(header.length + info.offset - position));
      const start = position;
      tensor.produce((chunk) => {
        if (position + chunk.length - start > info.bytes) throw new Error(`Tensor ${tensor.name} produced more than its ${info.bytes} bytes`);
        put(chunk);
      });
      if (position - start !== info.bytes) throw new Error(`Tensor ${tensor.name} produced ${position - start} of its ${info.bytes} bytes`);
    });
    closeSync(fd);
    open = false;
    renameSync(partial, path);
  } catch (error) {
    if (open) closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
  return { alignment, dataOffset: header.length, tensors, fileBytes: position };
}
