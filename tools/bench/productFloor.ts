// node esbuild.config.mjs --only=tests && node out/tools/bench/productFloor.js [--rounds 3] [--threads 2]
//
// The floor onnxruntime's kernels set under decoding and prompts: the model's matrix products alone
// (Qwen2.5-Coder-0.5B's shape, productGraph.ts), as the hub's q8 stores them, as the tuned copy of
// its q4 computes them, and as 8-bit blocks (an alternative for q8), timed with Inkling's session
// options beside a read-bandwidth probe. A step that does only its products can go no faster than
// this, whatever the rest of the engine does. Markdown to stdout, progress to stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { sessionOptionsFor } from '../../src/model/process/sessionOptions';
import { BENCH } from '../makeModel/recipes';
import { QWEN_VOCAB_SIZE } from '../makeModel/specialTokens';
import { measureReadBandwidth } from './bandwidthProbe';
import { formatNumber, markdownTable, summarize, type Summary } from './benchStats';
import { forEachFlag, positiveInt, runMain } from './flagValues';
import { formatLoad, machineInfo, sampleLoad } from './machineLoad';
import { PRODUCT_KINDS, writeProductGraph, type ProductKind, type ProductPart, type ProductShape } from './productGraph';

const SHAPE: ProductShape = { layers: BENCH.layers, hidden: BENCH.hidden, kvWidth: BENCH.kvHeads * BENCH.headDim, intermediate: BENCH.intermediate, vocab: QWEN_VOCAB_SIZE };
/** Inkling's prompt chunk: positions per pass. */
const CHUNK = 128;
const DECODE_RUNS = 20;
const CHUNK_RUNS = 3;

interface Timing {
  /** One position through the layers and the output layer: a decoding step's products (ms). */
  step: number;
  /** A prompt chunk through the layers, the output layer for its last position only, per position (ms). */
  promptPerToken: number;
}

async function median(session: ort.InferenceSession, positions: number, runs: number): Promise<number> {
  const x = new ort.Tensor('float32', Float32Array.from({ length: positions * SHAPE.hidden }, (_, i) => Math.sin(i) * 0.5), [1, positions, SHAPE.hidden]);
  await session.run({ x });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await session.run({ x });
    times.push(performance.now() - started);
  }
  return summarize(times)!.median;
}

async function timeKind(files: Record<ProductPart, string>, threads: number): Promise<Timing> {
  const options = sessionOptionsFor({ threads }) as ort.InferenceSession.SessionOptions;
  const layers = await ort.InferenceSession.create(files.layers, options);
  const head = await ort.InferenceSession.create(files.head, options);
  try {
    const headStep = await median(head, 1, DECODE_RUNS);
    const step = (await median(layers, 1, DECODE_RUNS)) + headStep;
    const chunk = (await median(layers, CHUNK, CHUNK_RUNS)) + headStep;
    return { step, promptPerToken: chunk / CHUNK };
  } finally {
    await layers.release();
    await head.release();
  }
}

async function main(argv: string[]): Promise<number> {
  let rounds = 3;
  let threads = 2;
  forEachFlag(argv, (name, value) => {
    if (name === '--rounds') rounds = positiveInt(name, value());
    else if (name === '--threads') threads = positiveInt(name, value());
    else throw new RangeError(`unknown flag ${name}`);
  });
  const loadBefore = sampleLoad();
  const dir = mkdtempSync(join(tmpdir(), 'inkling-products-'));
  try {
    const files = new Map<ProductKind, Record<ProductPart, string>>();
    const bytes = new Map<ProductKind, number>();
    for (const kind of PRODUCT_KINDS) {
      const paths = { layers: join(dir, `${kind}-layers.onnx`), head: join(dir, `${kind}-head.onnx`) };
      bytes.set(kind, writeProductGraph(paths.layers, kind, 'layers', SHAPE) + writeProductGraph(paths.head, kind, 'head', SHAPE));
      files.set(kind, paths);
      process.stderr.write(`${kind}: ${formatNumber(bytes.get(kind)! / 1e6)} MB of weights\n`);
    }
    const bandwidth: number[] = [];
    const timings = new Map<ProductKind, Timing[]>(PRODUCT_KINDS.map((k) => [k, []]));
    for (let round = 0; round < rounds; round++) {
      for (const kind of PRODUCT_KINDS) {
        const timing = await timeKind(files.get(kind)!, threads);
        timings.get(kind)!.push(timing);
        process.stderr.write(`round ${round + 1}/${rounds} ${kind}: step ${formatNumber(timing.step)} ms, prompt ${formatNumber(timing.promptPerToken)} ms a token\n`);
      }
      bandwidth.push(await measureReadBandwidth());
      process.stderr.write(`round ${round + 1}/${rounds} read bandwidth ${formatNumber(bandwidth.at(-1)! / 1e9)} GB/s\n`);
    }
    const gbs = summarize(bandwidth)!;
    const rows = PRODUCT_KINDS.map((kind) => {
      const samples = timings.get(kind)!;
      const step = summarize(samples.map((t) => t.step))!;
      const prompt = summarize(samples.map((t) => 1000 / t.promptPerToken))!;
      const mb = bytes.get(kind)! / 1e6;
      // Each round's rate against the bandwidth read right after it: the probe's reading moves between rounds.
      const vsCeiling = summarize(samples.map((t, i) => 1000 / t.step / ((bandwidth[i]! / 1e6) / mb)))!;
      return [kind, formatNumber(mb), range(step), formatNumber(1000 / step.median), formatNumber((gbs.median / 1e6) / mb),
        `${formatNumber(vsCeiling.median)}× (${formatNumber(vsCeiling.min)}×–${formatNumber(vsCeiling.max)}×)`, formatNumber(mb / step.median), range(prompt)];
    });
    const machine = machineInfo();
    process.stdout.write([
      `### Product floor, ${new Date().toISOString()}`,
      '',
      `Command: \`node out/tools/bench/productFloor.js ${argv.join(' ')}\`. ${rounds} rounds, ${threads} threads, Inkling's session options. Machine: ${machine.cores} cores (${machine.cpuModel}; ${machine.simd.join(', ')}). Load before: ${formatLoad(loadBefore)}; after: ${formatLoad(sampleLoad())}. Read bandwidth: ${range(summarize(bandwidth.map((b) => b / 1e9))!)} GB/s (one reading a round).`,
      '',
      `Qwen2.5-Coder-0.5B's products only: a decoding step is one position through the ${SHAPE.layers} layers and the output layer; a prompt chunk is ${CHUNK} positions through the layers and the output layer for the last one.`,
      '',
      markdownTable(['products', 'MB a step', 'step (ms)', 'tokens/s', 'ceiling (tokens/s, median reading)', 'vs ceiling, per round', 'GB/s read', 'prompt (tokens/s)'], rows),
      '',
    ].join('\n'));
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function range(summary: Summary): string {
  return `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
}

runMain(main);
