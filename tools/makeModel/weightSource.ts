// Logical weight values, produced chunk by chunk in row-major order. Random weights come from a
// counter-based hash (element i depends only on seed, tensor name and i), so any chunk can be made
// on its own, every dtype of a model shares the same underlying values, and nothing huge is held.

export interface WeightSource {
  readonly dims: readonly number[];
  /** Largest |value|: quantizers take their scale from it without an extra pass. */
  readonly absMax: number;
  /** Fills `out` with elements [start, start + out.length). */
  fill(start: number, out: Float32Array): void;
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function nameHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface RandomOptions {
  /** Columns from this index on are zero (vocabulary rows no token uses). */
  zeroColumnsFrom?: number;
}

/** Uniform in [-bound, bound). */
export function randomUniform(seed: number, name: string, dims: readonly number[], bound: number, options: RandomOptions = {}): WeightSource {
  const key = mix32(nameHash(name) ^ mix32(seed));
  const cols = dims[dims.length - 1];
  const zeroFrom = options.zeroColumnsFrom ?? cols;
  return {
    dims,
    absMax: bound,
    fill(start, out) {
      const scale = (2 * bound) / 4294967296;
      for (let i = 0; i < out.length; i++) {
        const index = start + i;
        out[i] = index % cols >= zeroFrom ? 0 : mix32(mix32(index) ^ key) * scale - bound;
      }
    },
  };
}

export function constant(dims: readonly number[], value: number): WeightSource {
  return { dims, absMax: Math.abs(value), fill: (_start, out) => out.fill(value) };
}

export function fromArray(dims: readonly number[], data: Float32Array): WeightSource {
  if (data.length !== elementCount(dims)) throw new Error(`fromArray: ${data.length} values for dims ${dims.join('x')}`);
  let absMax = 0;
  for (const v of data) absMax = Math.max(absMax, Math.abs(v));
  return { dims, absMax, fill: (start, out) => out.set(data.subarray(start, start + out.length)) };
}

/** Zero except at `entries` ([flat index, value], any order): one-hot tables of any size in little memory. */
export function sparse(dims: readonly number[], entries: readonly (readonly [number, number])[]): WeightSource {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  const at = Float64Array.from(sorted, (e) => e[0]);
  const values = Float32Array.from(sorted, (e) => e[1]);
  let absMax = 0;
  for (const v of values) absMax = Math.max(absMax, Math.abs(v));
  return {
    dims,
    absMax,
    fill(start, out) {
      out.fill(0);
      let lo = 0;
      let hi = at.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (at[mid] < start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < at.length && at[i] < start + out.length; i++) out[at[i] - start] += values[i];
    },
  };
}

/** The whole tensor in memory (for the transposes q4 packing needs; at most a few tens of MB). */
export function materialize(source: WeightSource): Float32Array {
  const out = new Float32Array(elementCount(source.dims));
  source.fill(0, out);
  return out;
}

/** Visits the tensor in chunks of whole rows, about `chunkElements` values at a time. */
export function forEachChunk(source: WeightSource, chunkElements: number, visit: (chunk: Float32Array) => void): void {
  const total = elementCount(source.dims);
  const cols = source.dims[source.dims.length - 1] ?? 1;
  const rowsPerChunk = Math.max(1, Math.floor(chunkElements / cols));
  const buffer = new Float32Array(Math.min(total, rowsPerChunk * cols));
  for (let start = 0; start < total; start += buffer.length) {
    const chunk = buffer.subarray(0, Math.min(buffer.length, total - start));
    source.fill(start, chunk);
    visit(chunk);
  }
}
