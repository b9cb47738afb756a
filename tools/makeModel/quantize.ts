// Weight encodings for the three dtypes: fp32 as is, q8 as symmetric int8 with one scale per tensor
// (what MatMulInteger consumes), q4 as MatMulNBits blocks of 32 along K with a scale per block.
import type { TensorWriter } from './tensorSink';
import { elementCount, forEachChunk, materialize } from './weightSource';
import type { WeightSource } from './weightSource';

const CHUNK = 1 << 20;

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

export function writeFloat32(source: WeightSource): TensorWriter {
  return (emit) => forEachChunk(source, CHUNK, (chunk) => emit(bytesOf(chunk)));
}

/** The q8 scale: |w| <= 127 * scale. An all-zero tensor gets 1 so nothing divides by zero. */
export function int8Scale(source: WeightSource): number {
  return source.absMax > 0 ? source.absMax / 127 : 1;
}

export function writeInt8(source: WeightSource): TensorWriter {
  const scale = int8Scale(source);
  return (emit) => forEachChunk(source, CHUNK, (chunk) => {
    const q = new Int8Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(chunk[i] / scale)));
    emit(bytesOf(q));
  });
}

export const Q4_BLOCK = 32;

export interface Q4Packed {
  /** [N, blocks, 16] bytes, two 4-bit values a byte, the lower k in the low nibble. */
  blob: Uint8Array;
  /** [N * blocks], one per block. */
  scales: Float32Array;
  blocks: number;
}

/** Packs W [K, N] for com.microsoft MatMulNBits; values are stored as q + 8 (the default zero point). */
export function packQ4(source: WeightSource): Q4Packed {
  const [k, n] = source.dims;
  const w = materialize(source);
  const blocks = Math.ceil(k / Q4_BLOCK);
  const blobSize = Q4_BLOCK / 2;
  const blob = new Uint8Array(n * blocks * blobSize);
  const scales = new Float32Array(n * blocks);
  const q = new Uint8Array(Q4_BLOCK);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < blocks; b++) {
      const k0 = b * Q4_BLOCK;
      let absMax = 0;
      for (let i = 0; i < Q4_BLOCK && k0 + i < k; i++) absMax = Math.max(absMax, Math.abs(w[(k0 + i) * n + col]));
      const scale = absMax > 0 ? absMax / 7 : 1;
      scales[col * blocks + b] = scale;
      for (let i = 0; i < Q4_BLOCK; i++) {
        const v = k0 + i < k ? w[(k0 + i) * n + col] : 0;
        q[i] = Math.max(0, Math.min(15, Math.round(v / scale) + 8));
      }
      const base = (col * blocks + b) * blobSize;
      for (let j = 0; j < blobSize; j++) blob[base + j] = q[2 * j] | (q[2 * j + 1] << 4);
    }
  }
  return { blob, scales, blocks };
}

export function writeBytes(data: ArrayBufferView): TensorWriter {
  return (emit) => emit(bytesOf(data));
}

export function checkMatrix(source: WeightSource): [number, number] {
  if (source.dims.length !== 2) throw new Error(`expected a matrix, got dims ${source.dims.join('x')} (${elementCount(source.dims)} values)`);
  return [source.dims[0], source.dims[1]];
}
