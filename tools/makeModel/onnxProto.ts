// ONNX messages (onnx.proto3) encoded with our protobuf writer. Field numbers are from onnx.proto.
import { ProtoWriter } from './protobuf';

/** TensorProto.DataType values we use. */
export const DataType = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export interface ExternalRef {
  location: string;
  offset: number;
  length: number;
}

export interface TensorInit {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  /** Little-endian bytes, inline in the model file. */
  raw?: Uint8Array;
  /** Or: where the bytes sit in an external data file. */
  external?: ExternalRef;
}

export type Attribute =
  | { type: 'int'; value: number }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'float'; value: number }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: TensorInit };

export interface NodeInit {
  op: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  domain?: string;
  attributes?: Record<string, Attribute>;
}

/** A dimension is a fixed size or a symbolic name ("batch_size"). */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  elemType: DataTypeCode;
  dims: readonly Dim[];
}

export interface GraphInit {
  name: string;
  nodes: readonly NodeInit[];
  initializers: readonly TensorInit[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
}

export interface ModelInit {
  graph: GraphInit;
  opsets: Record<string, number>;
  producer: string;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_INTS = 7;
const DATA_LOCATION_EXTERNAL = 1;
const IR_VERSION = 8;

export function encodeTensor(t: TensorInit): ProtoWriter {
  const w = new ProtoWriter();
  if (t.dims.length > 0) w.packedVarints(1, t.dims);
  w.varint(2, t.dataType);
  w.string(8, t.name);
  if (t.raw) w.bytes(9, t.raw);
  if (t.external) {
    const entries: [string, string][] = [
      ['location', t.external.location],
      ['offset', String(t.external.offset)],
      ['length', String(t.external.length)],
    ];
    for (const [key, value] of entries) w.message(13, new ProtoWriter().string(1, key).string(2, value));
    w.varint(14, DATA_LOCATION_EXTERNAL);
  }
  return w;
}

function encodeAttribute(name: string, a: Attribute): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  switch (a.type) {
    case 'float': return w.float(2, a.value).varint(20, ATTR_FLOAT);
    case 'int': return w.varint(3, a.value).varint(20, ATTR_INT);
    case 'string': return w.string(4, a.value).varint(20, ATTR_STRING);
    case 'tensor': return w.message(5, encodeTensor(a.value)).varint(20, ATTR_TENSOR);
    case 'ints': return w.packedVarints(8, a.value).varint(20, ATTR_INTS);
  }
}

function encodeNode(n: NodeInit): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of n.inputs) w.string(1, input);
  for (const output of n.outputs) w.string(2, output);
  w.string(3, n.name).string(4, n.op);
  for (const [name, a] of Object.entries(n.attributes ?? {})) w.message(5, encodeAttribute(name, a));
  if (n.domain) w.string(7, n.domain);
  return w;
}

function encodeValueInfo(v: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    shape.message(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d));
  }
  const tensorType = new ProtoWriter().varint(1, v.elemType).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

export function encodeModel(m: ModelInit): Uint8Array {
  const g = new ProtoWriter();
  for (const n of m.graph.nodes) g.message(1, encodeNode(n));
  g.string(2, m.graph.name);
  for (const t of m.graph.initializers) g.message(5, encodeTensor(t));
  for (const v of m.graph.inputs) g.message(11, encodeValueInfo(v));
  for (const v of m.graph.outputs) g.message(12, encodeValueInfo(v));

  const model = new ProtoWriter().varint(1, IR_VERSION).string(2, m.producer).message(7, g);
  for (const [domain, version] of Object.entries(m.opsets)) {
    model.message(8, new ProtoWriter().string(1, domain).varint(2, version));
  }
  return model.finish();
}
