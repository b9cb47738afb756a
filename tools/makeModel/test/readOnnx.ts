// Reads a made model file back for structure checks. The maker streams big initializers as
// `graph` fields of their own ahead of the rest of the model; protobuf parsers (onnxruntime's
// included) merge repeated message fields, protobufjs' decoder replaces them, so the fields are
// walked here and the graphs merged by hand.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Reader } from 'protobufjs/light';
import { onnx } from '../onnxSchema';

export interface ReadTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** 'inline' when the bytes are in the file, else the external data file's name. */
  location: string;
  bytes: number;
  /** Where the bytes start in the external data file. */
  offset?: number;
  /** The bytes, when they are in the model file. */
  raw?: Uint8Array;
}

export interface ReadNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, number | number[] | undefined>;
}

export interface ReadModel {
  initializers: Map<string, ReadTensor>;
  nodes: ReadNode[];
  /** The graph's input names. */
  inputs: string[];
  /** How many `graph` fields the file holds (one per streamed initializer, plus the rest). */
  graphRecords: number;
}

interface GraphObject {
  input?: { name: string }[];
  node?: { op_type: string; input?: string[]; output?: string[]; attribute?: { name: string; i?: number; ints?: number[] }[] }[];
  initializer?: { name: string; dims?: number[]; data_type: number; raw_data?: Uint8Array; external_data?: { key: string; value: string }[] }[];
}

export function readOnnx(path: string): ReadModel {
  const reader = Reader.create(readFileSync(path));
  const graphField = onnx.ModelProto.fields.graph.id;
  const model: ReadModel = { initializers: new Map(), nodes: [], inputs: [], graphRecords: 0 };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 !== graphField) {
      reader.skipType(tag & 7);
      continue;
    }
    model.graphRecords++;
    const graph = onnx.GraphProto.toObject(onnx.GraphProto.decode(reader, reader.uint32()), { longs: Number }) as GraphObject;
    for (const t of graph.initializer ?? []) {
      const external = Object.fromEntries((t.external_data ?? []).map((e) => [e.key, e.value]));
      model.initializers.set(t.name, {
        name: t.name, dims: t.dims ?? [], dataType: t.data_type,
        location: external.location ?? 'inline', bytes: external.length ? Number(external.length) : t.raw_data?.length ?? 0,
        ...(external.offset !== undefined ? { offset: Number(external.offset) } : {}),
        ...(t.raw_data ? { raw: t.raw_data } : {}),
      });
    }
    for (const n of graph.node ?? []) {
      const attributes = Object.fromEntries((n.attribute ?? []).map((a) => [a.name, a.ints?.length ? a.ints : a.i]));
      model.nodes.push({ opType: n.op_type, inputs: n.input ?? [], outputs: n.output ?? [], attributes });
    }
    model.inputs.push(...(graph.input ?? []).map((i) => i.name));
  }
  return model;
}

/** The graph onnxruntime runs: `path` after every graph optimization, as its session saves it (fusions included). */
export async function readOptimized(path: string): Promise<ReadModel> {
  const dir = mkdtempSync(join(tmpdir(), 'inkling-optimized-'));
  try {
    const optimized = join(dir, 'optimized.onnx');
    await (await ort.InferenceSession.create(path, { graphOptimizationLevel: 'all', optimizedModelFilePath: optimized, logSeverityLevel: 3 })).release();
    return readOnnx(optimized);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
