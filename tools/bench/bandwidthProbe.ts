// The machine's memory read bandwidth, measured in the same run as the engine: a decoding step reads
// every weight once, so bandwidth ÷ bytes of weights per token is the fastest decoding can go.
// Each thread scans its own buffer with memchr (Buffer.indexOf of a byte that is not there), the
// fastest plain read glibc has; all threads start together and the wall time covers all of them.
import { Worker } from 'node:worker_threads';

const scanner = `
const { parentPort, workerData } = require('node:worker_threads');
// Written first: a never-written buffer maps every page to the kernel's one zero page, and reading
// it measures the cache.
const buffer = Buffer.alloc(workerData.bytes, 7);
const gate = new Int32Array(workerData.gate);
Atomics.add(gate, 1, 1);
Atomics.wait(gate, 0, 0);
for (let i = 0; i < workerData.passes; i++) if (buffer.indexOf(1) !== -1) throw new Error('the buffer changed');
parentPort.postMessage('done');
`;

export interface BandwidthOptions {
  threads: number;
  /** Bytes per thread: far beyond the caches. */
  bytes: number;
  passes: number;
}

export const defaultBandwidth: BandwidthOptions = { threads: 2, bytes: 256 * 2 ** 20, passes: 6 };

/** One measurement, in bytes per second. */
export async function measureReadBandwidth(options: BandwidthOptions = defaultBandwidth): Promise<number> {
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const workers = Array.from({ length: options.threads }, () => new Worker(scanner, { eval: true, workerData: { bytes: options.bytes, passes: options.passes, gate: gate.buffer } }));
  try {
    const done = workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    }));
    while (Atomics.load(gate, 1) < options.threads) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    await Promise.all(done);
    const seconds = (performance.now() - started) / 1000;
    return (options.threads * options.bytes * options.passes) / seconds;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
