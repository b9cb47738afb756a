// Copies an ONNX file with `accuracy_level` set on every 4-bit MatMulNBits node that has none.
// Without it onnxruntime computes those products in float; at level 4 it quantizes the activations
// to int8 and uses the CPU's integer dot products (measured here: decode 1.33×, first token 0.81×;
// bench/README.md). Hub exports leave it unset, and no session option sets it on existing nodes, so
// the nodes are rewritten: each gets one more attribute field, and the lengths of the node and of the
// graph around it grow by that much. Everything else — initializers included — is copied byte for byte.
import { open, type FileHandle } from 'node:fs/promises';
import { encodeVarint, fieldsIn, fieldsOnDisk, OnnxFormatError, type Field } from './onnxFields';

/** int8 compute: the fast CPU path of MatMulNBits. */
export const INT8_ACCURACY_LEVEL = 4;

// Field numbers from onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const NODE_DOMAIN = 7;
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_INT = 3;
const ATTRIBUTE_TYPE = 20;
const ATTRIBUTE_TYPE_INT = 2;
const LENGTH_DELIMITED = 2;

/** A node message larger than this is not a plain operator node: the file is not what it seems. */
const MAX_NODE_BYTES = 1 << 20;
/**
 * Fields read one by one from disk (a 7B model has some tens of thousands): a hostile file of
 * millions of tiny fields would otherwise hold the load for minutes.
 */
const MAX_FIELDS = 1_000_000;
const COPY_CHUNK = 8 << 20;

type Segment = { from: number; to: number } | Buffer;

export interface AccuracyPlan {
  /** MatMulNBits nodes that get the attribute. */
  nodes: number;
  /** The rewritten file's size. */
  size: number;
  segments: Segment[];
}

/** What writing the copy would change; `nodes` is 0 when nothing needs it. Throws OnnxFormatError for a damaged file. */
export async function planAccuracyLevel(path: string, level = INT8_ACCURACY_LEVEL): Promise<AccuracyPlan> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const plan: AccuracyPlan = { nodes: 0, size: 0, segments: [] };
    const budget = { fields: MAX_FIELDS };
    for await (const field of counted(fieldsOnDisk(file, 0, size), budget)) {
      if (field.number === MODEL_GRAPH && field.wireType === LENGTH_DELIMITED) await planGraph(file, field, level, plan, budget);
      else plan.segments.push({ from: field.start, to: field.end });
    }
    plan.size = bytesIn(plan.segments);
    return plan;
  } finally {
    await file.close();
  }
}

/** Writes the planned copy of `source` to `target` (created or replaced). */
export async function writePlanned(source: string, target: string, plan: AccuracyPlan): Promise<void> {
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

async function* counted(fields: AsyncGenerator<Field>, budget: { fields: number }): AsyncGenerator<Field> {
  for await (const field of fields) {
    if (--budget.fields < 0) throw new OnnxFormatError(`more than ${MAX_FIELDS} fields`);
    yield field;
  }
}

async function planGraph(file: FileHandle, graph: Field, level: number, plan: AccuracyPlan, budget: { fields: number }): Promise<void> {
  const inner: Segment[] = [];
  let changed = 0;
  for await (const field of counted(fieldsOnDisk(file, graph.valueStart, graph.end), budget)) {
    if (field.number === GRAPH_NODE && field.wireType === LENGTH_DELIMITED) {
      const length = field.end - field.valueStart;
      if (length > MAX_NODE_BYTES) throw new OnnxFormatError(`a node of ${length} bytes`);
      const node = Buffer.alloc(length);
      await file.read(node, 0, length, field.valueStart);
      if (needsLevel(node)) {
        inner.push(lengthDelimited(GRAPH_NODE, Buffer.concat([node, lengthDelimited(NODE_ATTRIBUTE, levelAttribute(level))])));
        changed++;
        continue;
      }
    }
    const last = inner.at(-1);
    if (last && !Buffer.isBuffer(last) && last.to === field.start) last.to = field.end;
    else inner.push({ from: field.start, to: field.end });
  }
  if (changed === 0) {
    plan.segments.push({ from: graph.start, to: graph.end });
    return;
  }
  const length = bytesIn(inner);
  plan.segments.push(Buffer.concat([tag(MODEL_GRAPH, LENGTH_DELIMITED), encodeVarint(length)]), ...inner);
  plan.nodes += changed;
}

/** A 4-bit product (com.microsoft MatMulNBits) that says nothing about its accuracy level. */
function needsLevel(node: Buffer): boolean {
  let opType = '';
  let domain = '';
  let hasLevel = false;
  for (const field of fieldsIn(node)) {
    if (field.wireType !== LENGTH_DELIMITED) continue;
    const value = node.subarray(field.valueStart, field.end);
    if (field.number === NODE_OP_TYPE) opType = value.toString('utf8');
    else if (field.number === NODE_DOMAIN) domain = value.toString('utf8');
    else if (field.number === NODE_ATTRIBUTE && attributeName(value) === 'accuracy_level') hasLevel = true;
  }
  return opType === 'MatMulNBits' && domain === 'com.microsoft' && !hasLevel;
}

function attributeName(attribute: Buffer): string | undefined {
  const name = fieldsIn(attribute).find((f) => f.number === ATTRIBUTE_NAME && f.wireType === LENGTH_DELIMITED);
  return name ? attribute.subarray(name.valueStart, name.end).toString('utf8') : undefined;
}

function levelAttribute(level: number): Buffer {
  return Buffer.concat([
    lengthDelimited(ATTRIBUTE_NAME, Buffer.from('accuracy_level', 'utf8')),
    tag(ATTRIBUTE_INT, 0), encodeVarint(level),
    tag(ATTRIBUTE_TYPE, 0), encodeVarint(ATTRIBUTE_TYPE_INT),
  ]);
}

function lengthDelimited(number: number, payload: Buffer): Buffer {
  return Buffer.concat([tag(number, LENGTH_DELIMITED), encodeVarint(payload.length), payload]);
}

function tag(number: number, wireType: number): Buffer {
  return encodeVarint(number * 8 + wireType);
}
