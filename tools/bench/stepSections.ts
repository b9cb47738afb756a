// The step profile's measurements, each on a model loaded in this process (inProcessModel.ts):
// where one decoding step's time goes, what the prompt's chunk size costs, and what checking
// drafted tokens in one pass costs.
import { PerformanceObserver } from 'node:perf_hooks';
import { Tensor } from '@huggingface/transformers';
import type { GenerateRequest } from '../../src/model/protocol';
import { sampleToken, seededRandom } from '../../src/model/process/sampling';
import { TextStream } from '../../src/model/process/textStream';
import { summarize, type Summary } from './benchStats';
import type { InProcessModel } from './inProcessModel';

const greedy = { temperature: 0, topP: 1, topK: 0, repetitionPenalty: 1 };
/** The extension's completion defaults (src/settings/settingsTable.ts). */
export const completionSampling = { temperature: 0.1, topP: 0.95, topK: 40, repetitionPenalty: 1 };

function request(prompt: string, maxNewTokens: number): GenerateRequest {
  return { prompt, sampling: { ...greedy, maxNewTokens }, stop: [] };
}

export interface StepBreakdown {
  /** Decoding steps measured (one token each). */
  steps: number;
  /** From the end of one forward pass to the end of the next. */
  stepMs: Summary | undefined;
  forwardMs: Summary | undefined;
  /** onnxruntime's `run`, including its copies of the outputs into JavaScript memory. */
  runMs: Summary | undefined;
  /** transformers.js around `run`: input checks, position ids, wrapping the outputs. */
  wrapperMs: Summary | undefined;
  /** The loop between passes: sampling, the text stream, handing the cache over, yielding. */
  loopMs: Summary | undefined;
  contextTokens: number;
  /** Garbage collection during the rounds, per decoding step: pauses and their total. */
  gcPerStep: number;
  gcMsPerStep: number;
  /** The same with each major collection alone. */
  majorGcPerStep: number;
}

/** Runs `prompt` greedily `rounds` times from a cold cache and splits its decoding steps' time. */
export async function decodeBreakdown(model: InProcessModel, prompt: string, newTokens: number, rounds: number): Promise<StepBreakdown> {
  const step: number[] = [];
  const forward: number[] = [];
  const run: number[] = [];
  let contextTokens = 0;
  const pauses: { kind: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push({ kind: (entry.detail as { kind?: number } | undefined)?.kind ?? 0, ms: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  let passes = 0;
  for (let r = 0; r < rounds; r++) {
    const { result, forwards } = await model.generate(request(prompt, newTokens), { promptLookup: false });
    passes += forwards.length;
    contextTokens = result.promptTokens;
    // The first pass carries the prompt; the rest are one token each.
    for (let i = 2; i < forwards.length; i++) {
      step.push(forwards[i].endedAt - forwards[i - 1].endedAt);
      forward.push(forwards[i].endedAt - forwards[i].startedAt);
      run.push(forwards[i].runMs);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  // perf_hooks' kinds: 1 minor (scavenge), 2 and 4 major (mark-compact), 8 incremental marking, 16 weak callbacks.
  const major = pauses.filter((p) => p.kind === 2 || p.kind === 4);
  return {
    gcPerStep: pauses.length / passes,
    gcMsPerStep: pauses.reduce((a, p) => a + p.ms, 0) / passes,
    majorGcPerStep: major.length / passes,
    steps: step.length,
    stepMs: summarize(step),
    forwardMs: summarize(forward),
    runMs: summarize(run),
    wrapperMs: summarize(forward.map((f, i) => f - run[i])),
    loopMs: summarize(step.map((s, i) => s - forward[i])),
    contextTokens,
  };
}

/** A bare onnxruntime `run` of one new token after `pastLength` positions, feeds built once. */
export async function bareRunMs(model: InProcessModel, pastLength: number, width: number, repeats: number): Promise<Summary | undefined> {
  const feeds = decodeFeeds(model, pastLength, width);
  await model.session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await model.session.run(feeds);
    times.push(performance.now() - started);
  }
  return summarize(times);
}

function decodeFeeds(model: InProcessModel, pastLength: number, width: number): Record<string, unknown> {
  const config = model.loaded.model.config as unknown as Record<string, number>;
  const kvHeads = config.num_key_value_heads;
  const headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;
  const ort = (type: string, data: unknown, dims: number[]) => (new Tensor(type as never, data as never, dims) as unknown as { ort_tensor: unknown }).ort_tensor;
  const feeds: Record<string, unknown> = {
    input_ids: ort('int64', BigInt64Array.from({ length: width }, (_, i) => BigInt(300 + i)), [1, width]),
    attention_mask: ort('int64', new BigInt64Array(pastLength + width).fill(1n), [1, pastLength + width]),
    position_ids: ort('int64', BigInt64Array.from({ length: width }, (_, i) => BigInt(pastLength + i)), [1, width]),
    num_logits_to_keep: ort('int64', BigInt64Array.from([BigInt(width)]), []),
  };
  const random = seededRandom(1);
  for (const name of model.session.inputNames) {
    if (!name.startsWith('past_key_values.')) continue;
    feeds[name] = ort('float32', Float32Array.from({ length: kvHeads * pastLength * headDim }, () => random() - 0.5), [1, kvHeads, pastLength, headDim]);
  }
  for (const name of Object.keys(feeds)) if (!model.session.inputNames.includes(name)) delete feeds[name];
  return feeds;
}

export interface JsCosts {
  argmaxMs: Summary | undefined;
  sampleMs: Summary | undefined;
  streamPushMs: Summary | undefined;
}

/** The JavaScript a step runs besides the forward pass, on one real row of logits. */
export async function jsCosts(model: InProcessModel, prompt: string): Promise<JsCosts> {
  const inner = model.loaded.model as unknown as { forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>> };
  const ids = model.loaded.tokenizer.encode(prompt, { add_special_tokens: false }).slice(0, 64);
  const outputs = await inner.forward({
    input_ids: new Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), [1, ids.length]),
    attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
    num_logits_to_keep: new Tensor('int64', [1n], []),
  });
  const data = outputs.logits.data as Float32Array;
  const row = data.subarray(data.length - (outputs.logits.dims.at(-1) ?? 0));
  const time = (fn: () => void, repeats = 50): Summary | undefined => {
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      fn();
      times.push(performance.now() - started);
    }
    return summarize(times);
  };
  const random = seededRandom(2);
  const argmaxMs = time(() => sampleToken(row, greedy, [], random));
  const sampleMs = time(() => sampleToken(row, completionSampling, ids, random));
  const decode = (list: number[]) => model.loaded.tokenizer.decode(list, { skip_special_tokens: false });
  const streamPushMs = time(() => {
    const stream = new TextStream(decode, ['<|endoftext|>', '\n\n']);
    for (const id of ids.slice(0, 32)) stream.push(id);
  }, 20);
  return { argmaxMs, sampleMs, streamPushMs: streamPushMs && { ...streamPushMs, median: streamPushMs.median / 32, min: streamPushMs.min / 32, max: streamPushMs.max / 32 } };
}

export interface ChunkTiming {
  chunk: number;
  ttftMs: Summary | undefined;
  /** Median of per-round ratios to the whole prompt in one pass. */
  vsWhole: Summary | undefined;
}

/** Time to first token of a cold prompt with each chunk size, the sizes alternating within each round. */
export async function prefillChunks(model: InProcessModel, prompt: string, chunks: readonly number[], rounds: number): Promise<ChunkTiming[]> {
  const whole = Number.MAX_SAFE_INTEGER;
  const sizes = [whole, ...chunks];
  const times = new Map<number, number[]>(sizes.map((s) => [s, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? sizes : [...sizes].reverse();
    for (const chunk of order) {
      const { result } = await model.generate(request(prompt, 1), { promptLookup: false, prefillChunk: chunk });
      times.get(chunk)?.push(result.timeToFirstTokenMs);
    }
  }
  const base = times.get(whole) ?? [];
  return sizes.map((chunk) => ({
    chunk,
    ttftMs: summarize(times.get(chunk) ?? []),
    vsWhole: summarize((times.get(chunk) ?? []).map((t, i) => t / base[i])),
  }));
}

export interface WidthTiming {
  width: number;
  ms: Summary | undefined;
  vsOne: number | undefined;
}

/** One pass over `width` new tokens after `pastLength` positions (1 = a plain decoding step; 1 + k = checking k drafts). */
export async function verifyWidths(model: InProcessModel, pastLength: number, widths: readonly number[], repeats: number): Promise<WidthTiming[]> {
  const results: WidthTiming[] = [];
  for (const width of widths) results.push({ width, ms: await bareRunMs(model, pastLength, width, repeats), vsOne: undefined });
  const one = results.find((r) => r.width === 1)?.ms?.median;
  for (const r of results) r.vsOne = one && r.ms ? r.ms.median / one : undefined;
  return results;
}
