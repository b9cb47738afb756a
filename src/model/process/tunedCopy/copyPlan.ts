// What the tuned copy of a model file changes, as a list of byte ranges of the original and new
// bytes, and the writing of it. Changed nodes are written anew (the lengths of the graph record
// around them grow by as much); everything else — the initializers above all — is copied byte for byte.
import { open, type FileHandle } from 'node:fs/promises';
import { accuracyLevelAttribute, needsAccuracyLevel } from './accuracyLevel';
import { planLogitsToKeep, type LogitsToKeepPlan } from './logitsToKeep';
import { scanModel, type GraphEntry, type GraphRecord } from './modelScan';
import { encodeVarint, fieldsIn, OnnxFormatError } from './onnxFields';
import { lengthDelimited, LENGTH_DELIMITED, ONNX, stringField, tag } from './protoWriter';

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
}

export interface CopyOptions {
  /** The level for 4-bit products without one; none is set when absent. */
  accuracyLevel?: number;
}

/** What writing the copy would change (nothing at all: both counts zero). Throws OnnxFormatError for a damaged file. */
export async function planTunedCopy(path: string, options: CopyOptions = {}): Promise<CopyPlan> {
  const file = await open(path, 'r');
  try {
    const scan = await scanModel(file);
    const logits = planLogitsToKeep(scan);
    const plan: CopyPlan = { accuracyLevelNodes: 0, logitsToKeep: logits !== undefined, size: 0, segments: [] };
    for (const item of scan.items) {
      if (item.graph) planGraph(item.graph, options, logits, plan);
      else plan.segments.push({ from: item.field.start, to: item.field.end });
    }
    plan.size = bytesIn(plan.segments);
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

/** Writes the planned copy of `source` to `target` (created or replaced). */
export async function writePlanned(source: string, target: string, plan: CopyPlan): Promise<void> {
  const input = await open(source, 'r');
  try {
    const output = await open(target, 'w');
    try {
      const chunk = Buffer.alloc(COPY_CHUNK);
      let at = 0;
      for (const segment of plan.segments) {
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
      if (at !== plan.size) throw new OnnxFormatError(`wrote ${at} bytes, planned ${plan.size}`);
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
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
