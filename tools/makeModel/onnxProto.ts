// ONNX messages: the maker's description of a model, turned into onnx.proto messages and encoded
// with protobufjs (schema in onnxSchema.ts).
import { Writer } from 'protobufjs/light';
import { onnx } from './onnxSchema';

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

const utf8 = new TextEncoder();

/** A TensorProto as a plain message (raw_data only when the bytes are inline). */
export function tensorMessage(t: TensorInit): Record<string, unknown> {
  const message: Record<string, unknown> = { dims: t.dims, data_type: t.dataType, name: t.name };
  if (t.raw) message.raw_data = t.raw;
  if (t.external) {
    message.external_data = [
      { key: 'location', value: t.external.location },
      { key: 'offset', value: String(t.external.offset) },
      { key: 'length', value: String(t.external.length) },
    ];
    message.data_location = DATA_LOCATION_EXTERNAL;
  }
  return message;
}

function attributeMessage(name: string, a: Attribute): Record<string, unknown> {
  switch (a.type) {
    case 'float': return { name, f: a.value, type: ATTR_FLOAT };
    case 'int': return { name, i: a.value, type: ATTR_INT };
    case 'string': return { name, s: utf8.encode(a.value), type: ATTR_STRING };
    case 'tensor': return { name, t: tensorMessage(a.value), type: ATTR_TENSOR };
    case 'ints': return { name, ints: a.value, type: ATTR_INTS };
  }
}

function nodeMessage(n: NodeInit): Record<string, unknown> {
  const message: Record<string, unknown> = {
    input: n.inputs,
    output: n.outputs,
    name: n.name,
    op_type: n.op,
    attribute: Object.entries(n.attributes ?? {}).map(([name, a]) => attributeMessage(name, a)),
  };
  if (n.domain) message.domain = n.domain;
  return message;
}

function valueInfoMessage(v: ValueInfo): Record<string, unknown> {
  const dim = v.dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name: v.name, type: { tensor_type: { elem_type: v.elemType, shape: { dim } } } };
}

export function modelMessage(m: ModelInit): Record<string, unknown> {
  return {
    ir_version: IR_VERSION,
    producer_name: m.producer,
    graph: {
      node: m.graph.nodes.map(nodeMessage),
      name: m.graph.name,
      initializer: m.graph.initializers.map(tensorMessage),
      input: m.graph.inputs.map(valueInfoMessage),
      output: m.graph.outputs.map(valueInfoMessage),
    },
    opset_import: Object.entries(m.opsets).map(([domain, version]) => ({ domain, version })),
  };
}

export function encodeModel(m: ModelInit): Uint8Array {
  return onnx.ModelProto.encode(modelMessage(m)).finish();
}

const LENGTH_DELIMITED = 2;

function lengthHeader(field: number, length: number): Uint8Array {
  return Writer.create().uint32((field << 3) | LENGTH_DELIMITED).uint32(length).finish();
}

/**
 * The bytes that start one initializer written straight into a model file, before its
 * `rawLength` raw bytes: a ModelProto `graph` field holding a GraphProto with that one
 * `initializer`, whose `raw_data` is left open for the bytes that follow. Protobuf merges a
 * message field that occurs several times, so a file made of such records followed by the encoded
 * rest of the model reads as one model whose initializers include them all; the tensor bytes never
 * have to sit in one message in memory. This framing is the only part protobufjs cannot do for us:
 * it encodes whole messages only.
 */
export function initializerRecordHeader(t: Omit<TensorInit, 'raw' | 'external'>, rawLength: number): Uint8Array {
  const meta = onnx.TensorProto.encode(tensorMessage(t)).finish();
  const raw = lengthHeader(onnx.TensorProto.fields.raw_data.id, rawLength);
  const tensorLength = meta.length + raw.length + rawLength;
  const initializer = lengthHeader(onnx.GraphProto.fields.initializer.id, tensorLength);
  const graph = lengthHeader(onnx.ModelProto.fields.graph.id, initializer.length + tensorLength);
  return Buffer.concat([graph, initializer, meta, raw]);
}
