// What the tuned copy of a model file changes, as a list of byte ranges of the original and new
// bytes, and the writing of it. Changed nodes are written anew (the lengths of the graph record
// around them grow by as much); the initializers' bytes are copied as they are, into the model
// file or (with `externalData`) into a data file beside it, which onnxruntime opens faster.
import { open, type FileHandle } from 'node:fs/promises';
import { accuracyLevelAttribute, needsAccuracyLevel } from './accuracyLevel';
import { planLogitsToKeep, type LogitsToKeepPlan } from './logitsToKeep';
import { scanModel, type GraphEntry, type GraphRecord } from './modelScan';
import { encodeVarint, fieldsIn, OnnxFormatError } from './onnxFields';
import { externalDataFields, lengthDelimited, LENGTH_DELIMITED, ONNX, stringField, tag } from './protoWriter';

const COPY_CHUNK = 8 << 20;

type Segment = { from: number; to: number } | Buffer;

export interface CopyChanges {
  /** 4-bit products given an accuracy level. */
  accuracyLevelNodes: number;
  /** Whether the graph gained `num_logits_to_keep`. */
  logitsToKeep: boolean;
}

export interface CopyPlan extends CopyChanges {
  /** The rewritten file's size. */
  size: number;
  segments: Segment[];
  /** The data file, when initializers moved into one. */
  data?: { tensors: number; size: number; segments: Segment[] };
}

export interface CopyOptions {
  /** The level for 4-bit products without one; none is set when absent. */
  accuracyLevel?: number;
  /** Move the initializers' raw bytes into this file beside the model file (its name, as the tensors will say). */
  externalData?: string;
}

/** Smaller tensors stay in the model file (onnxruntime's own exporter draws the line at 1 KiB too). */
const MIN_EXTERNAL_BYTES = 1024;
/** Each tensor's bytes start at a multiple of this in the data file. */
const DATA_ALIGNMENT = 64;

/** What writing the copy would change (nothing at all: both counts zero). Throws OnnxFormatError for a damaged file. */
export async function planTunedCopy(path: string, options: CopyOptions = {}): Promise<CopyPlan> {
  const file = await open(path, 'r');
  try {
    const scan = await scanModel(file);
    const logits = planLogitsToKeep(scan);
    const plan: CopyPlan = { accuracyLevelNodes: 0, logitsToKeep: logits !== undefined, size: 0, segments: [] };
    if (options.externalData !== undefined) plan.data = { tensors: 0, size: 0, segments: [] };
    for (const item of scan.items) {
      if (item.graph) planGraph(item.graph, options, logits, plan);
      else plan.segments.push({ from: item.field.start, to: item.field.end });
    }
    plan.size = bytesIn(plan.segments);
    if (plan.data?.tensors === 0) plan.data = undefined;
    return plan;
  } finally {
    await file.close();
  }
}

export function changesIn(plan: CopyChanges): number {
  return plan.accuracyLevelNodes + (plan.logitsToKeep ? 1 : 0);
}

/** The changes in words, for the log. */
export function describeChanges(plan: CopyChanges): string {
  const parts = [
    ...(plan.accuracyLevelNodes > 0 ? [`int8 compute on ${plan.accuracyLevelNodes} 4-bit products`] : []),
    ...(plan.logitsToKeep ? ['logits for the last positions only'] : []),
  ];
  return parts.join(', ') || 'nothing to change';
}

function planGraph(graph: GraphRecord, options: CopyOptions, logits: LogitsToKeepPlan | undefined, plan: CopyPlan): void {
  const inner: Segment[] = [];
  let changed = false;
  const holdsConsumer = logits !== undefined && graph.entries.includes(logits.consumer);
  for (const entry of graph.entries) {
    const moved = options.externalData !== undefined && plan.data ? moveData(entry, options.externalData, plan.data) : undefined;
    if (moved) {
      inner.push(...moved);
      changed = true;
      continue;
    }
    const rewritten = rewriteNode(entry, options, logits);
    if (rewritten) {
      if (entry === logits?.consumer) inner.push(...logits.nodes.map((n) => lengthDelimited(ONNX.graphNode, n)));
      if (entry.node && options.accuracyLevel !== undefined && needsAccuracyLevel(entry.node.info)) plan.accuracyLevelNodes++;
      inner.push(lengthDelimited(ONNX.graphNode, rewritten));
      changed = true;
      continue;
    }
    const last = inner.at(-1);
    if (last && !Buffer.isBuffer(last) && last.to === entry.field.start) last.to = entry.field.end;
    else inner.push({ from: entry.field.start, to: entry.field.end });
  }
  if (logits && holdsConsumer) inner.push(lengthDelimited(ONNX.graphInput, logits.input));
  if (!changed) {
    plan.segments.push({ from: graph.field.start, to: graph.field.end });
    return;
  }
  plan.segments.push(Buffer.concat([tag(ONNX.modelGraph, LENGTH_DELIMITED), encodeVarint(bytesIn(inner))]), ...inner);
}

/**
 * An initializer whose bytes go to the data file: its other fields stay as they are, followed by
 * where the bytes are now. Returns the graph's new segments for it, or undefined to keep it whole.
 */
function moveData(entry: GraphEntry, location: string, data: NonNullable<CopyPlan['data']>): Segment[] | undefined {
  const tensor = entry.initializer;
  const raw = tensor?.rawData;
  if (!tensor || !raw || tensor.external || raw.end - raw.valueStart < MIN_EXTERNAL_BYTES) return undefined;
  const padding = (DATA_ALIGNMENT - (data.size % DATA_ALIGNMENT)) % DATA_ALIGNMENT;
  if (padding > 0) data.segments.push(Buffer.alloc(padding));
  const offset = data.size + padding;
  const length = raw.end - raw.valueStart;
  data.segments.push({ from: raw.valueStart, to: raw.end });
  data.size = offset + length;
  data.tensors++;
  const where = externalDataFields(location, offset, length);
  const { field } = entry;
  const payload = raw.start - field.valueStart + (field.end - raw.end) + where.length;
  return [
    Buffer.concat([tag(ONNX.graphInitializer, LENGTH_DELIMITED), encodeVarint(payload)]),
    { from: field.valueStart, to: raw.start },
    { from: raw.end, to: field.end },
    where,
  ];
}

/** The node's new payload, or undefined when it stays as it is. */
function rewriteNode(entry: GraphEntry, options: CopyOptions, logits: LogitsToKeepPlan | undefined): Buffer | undefined {
  if (!entry.node) return undefined;
  const { bytes, info } = entry.node;
  const addLevel = options.accuracyLevel !== undefined && needsAccuracyLevel(info);
  const slice = logits && entry === logits.consumer ? logits : undefined;
  if (!addLevel && !slice) return undefined;
  const parts: Buffer[] = [];
  for (const field of fieldsIn(bytes)) {
    const readsHidden = slice !== undefined && field.number === ONNX.nodeInput && field.wireType === LENGTH_DELIMITED
      && bytes.subarray(field.valueStart, field.end).toString('utf8') === slice.hidden;
    parts.push(readsHidden ? stringField(ONNX.nodeInput, slice.sliced) : bytes.subarray(field.start, field.end));
  }
  if (addLevel) parts.push(lengthDelimited(ONNX.nodeAttribute, accuracyLevelAttribute(options.accuracyLevel)));
  return Buffer.concat(parts);
}

/** Writes the planned copy of `source` to `target`, and its data file to `dataTarget` when it has one (created or replaced). */
export async function writePlanned(source: string, target: string, plan: CopyPlan, dataTarget?: string): Promise<void> {
  if (plan.data && dataTarget === undefined) throw new Error('the plan moves weights into a data file, and none was named');
  const input = await open(source, 'r');
  try {
    const chunk = Buffer.alloc(COPY_CHUNK);
    await writeSegments(input, target, plan.segments, plan.size, chunk);
    if (plan.data && dataTarget !== undefined) await writeSegments(input, dataTarget, plan.data.segments, plan.data.size, chunk);
  } finally {
    await input.close();
  }
}

async function writeSegments(input: FileHandle, target: string, segments: readonly Segment[], size: number, chunk: Buffer): Promise<void> {
  const output = await open(target, 'w');
  try {
    let at = 0;
    for (const segment of segments) {
      if (Buffer.isBuffer(segment)) {
        at += await writeAll(output, segment, at);
        continue;
      }
      let from = segment.from;
      while (from < segment.to) {
        const { bytesRead } = await input.read(chunk, 0, Math.min(COPY_CHUNK, segment.to - from), from);
        if (bytesRead === 0) throw new OnnxFormatError('the model file got shorter while it was copied');
        at += await writeAll(output, chunk.subarray(0, bytesRead), at);
        from += bytesRead;
      }
    }
    if (at !== size) throw new OnnxFormatError(`wrote ${at} bytes, planned ${size}`);
  } finally {
    await output.close();
  }
}

function bytesIn(segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + (Buffer.isBuffer(s) ? s.length : s.to - s.from), 0);
}

async function writeAll(output: FileHandle, bytes: Buffer, at: number): Promise<number> {
  let written = 0;
  while (written < bytes.length) written += (await output.write(bytes, written, bytes.length - written, at + written)).bytesWritten;
  return written;
}
