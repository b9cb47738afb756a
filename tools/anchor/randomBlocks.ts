// Random tensor bytes written straight in the target format: quantized blocks get random quants and
// one scale, so a 500M-parameter file takes seconds and never exists as floats. Speed, not model
// quality, is what the anchor measures; like Inkling's bench model the values have a standard
// deviation of about 0.02.
import { GGML_BLOCK } from './ggufFormat';
import type { GgmlType } from './ggufFormat';

const BOUND = 0.02 * Math.sqrt(3);
/** About 1 MB of output per chunk. */
const CHUNK_BLOCKS = 1 << 15;

/** xorshift32 seeded from the seed and the tensor's name, so each tensor is reproducible on its own. */
export function seededRandom(seed: number, name: string): () => number {
  let state = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < name.length; i++) state = Math.imul(state ^ name.charCodeAt(i), 0x01000193) >>> 0;
  if (state === 0) state = 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>>= 0);
  };
}

/** IEEE half-precision bits of `value` (round to nearest; no subnormal outputs needed here). */
export function toHalfBits(value: number): number {
  const f = new Float32Array([value]);
  const bits = new Uint32Array(f.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  const mantissa = bits & 0x7fffff;
  const half = sign | (exponent << 10) | (mantissa >>> 13);
  return mantissa & 0x1000 ? half + 1 : half;
}

/** A producer of `elements` random values of `type`, for GgufTensor.produce. */
export function randomTensorBytes(type: GgmlType, elements: number, seed: number, name: string): (emit: (chunk: Uint8Array) => void) => void {
  return (emit) => {
    const next = seededRandom(seed, name);
    const { elements: perBlock, bytes: blockBytes } = GGML_BLOCK[type];
    const blocks = elements / perBlock;
    for (let done = 0; done < blocks; done += CHUNK_BLOCKS) {
      const count = Math.min(CHUNK_BLOCKS, blocks - done);
      const chunk = Buffer.alloc(count * blockBytes);
      fillChunk(type, chunk, count, next);
      emit(chunk);
    }
  };
}

function fillChunk(type: GgmlType, chunk: Buffer, count: number, next: () => number): void {
  switch (type) {
    case 'F32':
      for (let i = 0; i < count; i++) chunk.writeFloatLE(uniform(next), i * 4);
      return;
    case 'F16':
      for (let i = 0; i < count; i++) chunk.writeUInt16LE(toHalfBits(uniform(next)), i * 2);
      return;
    case 'Q8_0': {
      const scale = toHalfBits(BOUND / 127);
      for (let b = 0; b < count; b++) {
        const at = b * 34;
        chunk.writeUInt16LE(scale, at);
        // Quants in -127..127, four per random draw.
        for (let j = 0; j < 32; j += 4) {
          const r = next();
          for (let k = 0; k < 4; k++) chunk[at + 2 + j + k] = ((((r >>> (8 * k)) & 0xff) % 255) - 127) & 0xff;
        }
      }
      return;
    }
    case 'Q4_0': {
      // value = (nibble - 8) * scale, so nibbles 0..15 span [-8, 7] scales.
      const scale = toHalfBits(BOUND / 8);
      for (let b = 0; b < count; b++) {
        const at = b * 18;
        chunk.writeUInt16LE(scale, at);
        for (let j = 0; j < 16; j += 4) chunk.writeUInt32LE(next(), at + 2 + j);
      }
    }
  }
}

function uniform(next: () => number): number {
  return (next() / 4294967296) * 2 * BOUND - BOUND;
}
