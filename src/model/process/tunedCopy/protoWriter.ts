// The onnx.proto field numbers the tuned copy reads, and the protobuf encoding of the few messages it
// adds or rewrites (nodes, an attribute, a graph input).
import { encodeVarint } from './onnxFields';

export const VARINT = 0;
export const LENGTH_DELIMITED = 2;

/** Field numbers from onnx.proto. */
export const ONNX = {
  modelGraph: 7,
  modelOpsetImport: 8,
  opsetDomain: 1,
  opsetVersion: 2,
  graphNode: 1,
  graphInitializer: 5,
  graphInput: 11,
  graphOutput: 12,
  nodeInput: 1,
  nodeOutput: 2,
  nodeName: 3,
  nodeOpType: 4,
  nodeAttribute: 5,
  nodeDomain: 7,
  attributeName: 1,
  attributeInt: 3,
  attributeInts: 8,
  attributeType: 20,
  valueInfoName: 1,
  valueInfoType: 2,
  typeTensor: 1,
  tensorTypeElement: 1,
  tensorTypeShape: 2,
  shapeDim: 1,
  dimValue: 1,
  dimParam: 2,
  tensorDims: 1,
  tensorName: 8,
  tensorRawData: 9,
  tensorExternalData: 13,
  tensorDataLocation: 14,
  entryKey: 1,
  entryValue: 2,
} as const;

/** TensorProto.DataLocation.EXTERNAL. */
export const EXTERNAL_LOCATION = 1;

/** AttributeProto.AttributeType values. */
const ATTRIBUTE_TYPE = { int: 2, ints: 7 } as const;
/** TensorProto.DataType.INT64. */
const INT64 = 7;

export function tag(number: number, wireType: number): Buffer {
  return encodeVarint(number * 8 + wireType);
}

export function lengthDelimited(number: number, payload: Buffer): Buffer {
  return Buffer.concat([tag(number, LENGTH_DELIMITED), encodeVarint(payload.length), payload]);
}

export function stringField(number: number, text: string): Buffer {
  return lengthDelimited(number, Buffer.from(text, 'utf8'));
}

export function varintField(number: number, value: number): Buffer {
  return Buffer.concat([tag(number, VARINT), encodeVarint(value)]);
}

export function intAttribute(name: string, value: number): Buffer {
  return Buffer.concat([stringField(ONNX.attributeName, name), varintField(ONNX.attributeInt, value), varintField(ONNX.attributeType, ATTRIBUTE_TYPE.int)]);
}

export function intsAttribute(name: string, values: readonly number[]): Buffer {
  return Buffer.concat([
    stringField(ONNX.attributeName, name),
    ...values.map((v) => Buffer.concat([tag(ONNX.attributeInts, VARINT), int64Varint(v)])),
    varintField(ONNX.attributeType, ATTRIBUTE_TYPE.ints),
  ]);
}

/** An int64 as protobuf writes it: a negative one as its 64-bit two's complement (ten bytes). */
function int64Varint(value: number): Buffer {
  if (value >= 0) return encodeVarint(value);
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, BigInt(value));
  while (rest >= 128n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Buffer.from(bytes);
}

export interface NewNode {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  /** Encoded AttributeProto payloads. */
  attributes?: readonly Buffer[];
}

/** A NodeProto of the default domain. */
export function nodeMessage(node: NewNode): Buffer {
  return Buffer.concat([
    ...node.inputs.map((i) => stringField(ONNX.nodeInput, i)),
    ...node.outputs.map((o) => stringField(ONNX.nodeOutput, o)),
    stringField(ONNX.nodeName, node.name),
    stringField(ONNX.nodeOpType, node.opType),
    ...(node.attributes ?? []).map((a) => lengthDelimited(ONNX.nodeAttribute, a)),
  ]);
}

/** A ValueInfoProto for an int64 scalar. */
export function int64ScalarInput(name: string): Buffer {
  const tensorType = Buffer.concat([varintField(ONNX.tensorTypeElement, INT64), lengthDelimited(ONNX.tensorTypeShape, Buffer.alloc(0))]);
  return Buffer.concat([stringField(ONNX.valueInfoName, name), lengthDelimited(ONNX.valueInfoType, lengthDelimited(ONNX.typeTensor, tensorType))]);
}

/** The fields a tensor gets when its bytes move to `location` at `offset`. */
export function externalDataFields(location: string, offset: number, length: number): Buffer {
  const entry = (key: string, value: string) => lengthDelimited(ONNX.tensorExternalData, Buffer.concat([stringField(ONNX.entryKey, key), stringField(ONNX.entryValue, value)]));
  return Buffer.concat([entry('location', location), entry('offset', String(offset)), entry('length', String(length)), varintField(ONNX.tensorDataLocation, EXTERNAL_LOCATION)]);
}
