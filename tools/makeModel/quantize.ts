// Weight encodings for the three dtypes: fp32 as is, q8 as symmetric int8 with one scale per tensor
// (what MatMulInteger consumes), q4 as MatMulNBits blocks of 32 along K with a scale per block.
import type { TensorWriter } from './tensorSink';
import { elementCount, forEachChunk } from './weightSource';
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

/**
 * MatMulNBits packing of W [K, N]: blob [N, blocks, 16] (two 4-bit values a byte, the lower k in
 * the low nibble, stored as q + 8, the default zero point) and one scale per block. Packed a band of
 * columns at a time, so even a 151936-wide lm_head never sits in memory as floats. The blob is
 * streamed; the scales (N × blocks floats) are kept, and can be written once the blob has been.
 */
export class Q4Packer {
  readonly k: number;
  readonly n: number;
  readonly blocks: number;
  private scales?: Float32Array;

  constructor(private readonly source: WeightSource) {
    [this.k, this.n] = checkMatrix(source);
    this.blocks = Math.ceil(this.k / Q4_BLOCK);
  }

  readonly writeBlob: TensorWriter = (emit) => {
    const { k, n, blocks } = this;
    const blobSize = Q4_BLOCK / 2;
    const scales = new Float32Array(n * blocks);
    const band = Math.max(1, Math.min(n, Math.floor(CHUNK / k)));
    const w = new Float32Array(k * band);
    const q = new Uint8Array(Q4_BLOCK);
    for (let c0 = 0; c0 < n; c0 += band) {
      const width = Math.min(band, n - c0);
      for (let r = 0; r < k; r++) this.source.fill(r * n + c0, w.subarray(r * width, (r + 1) * width));
      const blob = new Uint8Array(width * blocks * blobSize);
      for (let col = 0; col < width; col++) {
        for (let b = 0; b < blocks; b++) {
          const k0 = b * Q4_BLOCK;
          let absMax = 0;
          for (let i = 0; i < Q4_BLOCK && k0 + i < k; i++) absMax = Math.max(absMax, Math.abs(w[(k0 + i) * width + col]));
          const scale = absMax > 0 ? absMax / 7 : 1;
          scales[(c0 + col) * blocks + b] = scale;
          for (let i = 0; i < Q4_BLOCK; i++) {
            const v = k0 + i < k ? w[(k0 + i) * width + col] : 0;
            q[i] = Math.max(0, Math.min(15, Math.round(v / scale) + 8));
          }
          const base = (col * blocks + b) * blobSize;
          for (let j = 0; j < blobSize; j++) blob[base + j] = q[2 * j] | (q[2 * j + 1] << 4);
        }
      }
      emit(blob);
    }
    this.scales = scales;
  };

  readonly writeScales: TensorWriter = (emit) => {
    if (!this.scales) throw new Error('write the q4 blob before its scales');
    emit(bytesOf(this.scales));
  };
}

export function writeBytes(data: ArrayBufferView): TensorWriter {
  return (emit) => emit(bytesOf(data));
}

export function checkMatrix(source: WeightSource): [number, number] {
  if (source.dims.length !== 2) throw new Error(`expected a matrix, got dims ${source.dims.join('x')} (${elementCount(source.dims)} values)`);
  return [source.dims[0], source.dims[1]];
}
