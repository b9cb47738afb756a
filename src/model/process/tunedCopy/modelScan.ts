// One pass over an ONNX file on disk that keeps what a rewrite needs to decide — every node (a few
// hundred bytes each), the graph's input and output names, the opsets — and only the positions of
// the rest (the initializers: hundreds of megabytes, never read). A file may hold its graph in
// several `graph` fields (protobuf merges them); each is kept as a record of its own.
import type { FileHandle } from 'node:fs/promises';
import { fieldsIn, fieldsOnDisk, OnnxFormatError, readVarint, type Field } from './onnxFields';
import { EXTERNAL_LOCATION, LENGTH_DELIMITED, ONNX, VARINT } from './protoWriter';

/** A node message larger than this is not a plain operator node: the file is not what it seems. */
const MAX_MESSAGE_BYTES = 1 << 20;
/**
 * Fields read one by one from disk (a 7B model has some tens of thousands): a hostile file of
 * millions of tiny fields would otherwise hold the load for minutes.
 */
const MAX_FIELDS = 1_000_000;

export interface NodeInfo {
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributeNames: string[];
}

export interface GraphEntry {
  field: Field;
  /** A node: its bytes (the message's payload) and what they say. */
  node?: { bytes: Buffer; info: NodeInfo };
  /** A graph input's or output's name. */
  input?: string;
  output?: string;
  /** An output's dimensions: sizes, or names for the symbolic ones. */
  outputDims?: (number | string)[];
  /** An initializer's name, dimensions and where its raw bytes are (they are never read here). */
  initializer?: InitializerHeader;
}

export interface GraphRecord {
  field: Field;
  entries: GraphEntry[];
}

export interface InitializerHeader {
  name: string;
  dims: number[];
  /** The `raw_data` field, when the tensor keeps its bytes in it. */
  rawData?: Field;
  /** Whether it already points at an external data file. */
  external: boolean;
}

export interface ModelScan {
  /** The model's top-level fields in order; `graph` is set for the graph fields. */
  items: { field: Field; graph?: GraphRecord }[];
  /** Opset version per domain ('' is the default domain). */
  opsets: Map<string, number>;
}

/** Throws OnnxFormatError for a damaged or hostile file. */
export async function scanModel(file: FileHandle): Promise<ModelScan> {
  const { size } = await file.stat();
  const scan: ModelScan = { items: [], opsets: new Map() };
  const budget = { fields: MAX_FIELDS };
  for await (const field of counted(fieldsOnDisk(file, 0, size), budget)) {
    if (field.number === ONNX.modelGraph && field.wireType === LENGTH_DELIMITED) {
      scan.items.push({ field, graph: await scanGraph(file, field, budget) });
      continue;
    }
    if (field.number === ONNX.modelOpsetImport && field.wireType === LENGTH_DELIMITED) {
      const opset = opsetOf(await readMessage(file, field));
      scan.opsets.set(opset.domain, opset.version);
    }
    scan.items.push({ field });
  }
  return scan;
}

/** Every node of every graph record, in file order. */
export function* nodesOf(scan: ModelScan): Generator<{ entry: GraphEntry; info: NodeInfo }> {
  for (const item of scan.items) {
    for (const entry of item.graph?.entries ?? []) if (entry.node) yield { entry, info: entry.node.info };
  }
}

async function scanGraph(file: FileHandle, graph: Field, budget: { fields: number }): Promise<GraphRecord> {
  const record: GraphRecord = { field: graph, entries: [] };
  for await (const field of counted(fieldsOnDisk(file, graph.valueStart, graph.end), budget)) {
    const entry: GraphEntry = { field };
    if (field.wireType === LENGTH_DELIMITED) {
      if (field.number === ONNX.graphNode) {
        const bytes = await readMessage(file, field);
        entry.node = { bytes, info: nodeInfo(bytes) };
      } else if (field.number === ONNX.graphInput) {
        entry.input = valueName(await readMessage(file, field));
      } else if (field.number === ONNX.graphOutput) {
        const bytes = await readMessage(file, field);
        entry.output = valueName(bytes);
        entry.outputDims = valueDims(bytes);
      } else if (field.number === ONNX.graphInitializer) {
        entry.initializer = await initializerHeader(file, field, budget);
      }
    }
    record.entries.push(entry);
  }
  return record;
}

async function readMessage(file: FileHandle, field: Field): Promise<Buffer> {
  const length = field.end - field.valueStart;
  if (length > MAX_MESSAGE_BYTES) throw new OnnxFormatError(`a node or value description of ${length} bytes`);
  const bytes = Buffer.alloc(length);
  const { bytesRead } = await file.read(bytes, 0, length, field.valueStart);
  if (bytesRead !== length) throw new OnnxFormatError('the file ends inside a node');
  return bytes;
}

function nodeInfo(bytes: Buffer): NodeInfo {
  const info: NodeInfo = { opType: '', domain: '', inputs: [], outputs: [], attributeNames: [] };
  for (const field of fieldsIn(bytes)) {
    if (field.wireType !== LENGTH_DELIMITED) continue;
    const value = bytes.subarray(field.valueStart, field.end);
    switch (field.number) {
      case ONNX.nodeInput: info.inputs.push(value.toString('utf8')); break;
      case ONNX.nodeOutput: info.outputs.push(value.toString('utf8')); break;
      case ONNX.nodeOpType: info.opType = value.toString('utf8'); break;
      case ONNX.nodeDomain: info.domain = value.toString('utf8'); break;
      case ONNX.nodeAttribute: info.attributeNames.push(stringAt(value, ONNX.attributeName) ?? ''); break;
    }
  }
  return info;
}

function valueName(bytes: Buffer): string {
  return stringAt(bytes, ONNX.valueInfoName) ?? '';
}

/** A tensor value's dimensions (ValueInfoProto → TypeProto → tensor type → shape), or none said. */
function valueDims(bytes: Buffer): (number | string)[] | undefined {
  const type = messageAt(bytes, ONNX.valueInfoType);
  const tensor = type && messageAt(type, ONNX.typeTensor);
  const shape = tensor && messageAt(tensor, ONNX.tensorTypeShape);
  if (!shape) return undefined;
  return fieldsIn(shape).filter((f) => f.number === ONNX.shapeDim && f.wireType === LENGTH_DELIMITED).map((f) => {
    const dim = shape.subarray(f.valueStart, f.end);
    const value = fieldsIn(dim).find((d) => d.number === ONNX.dimValue && d.wireType === VARINT);
    return value ? readVarint(dim, value.valueStart).value : stringAt(dim, ONNX.dimParam) ?? '';
  });
}

/** An initializer's name and dimensions, read from the fields ahead of (and around) its data. */
async function initializerHeader(file: FileHandle, tensor: Field, budget: { fields: number }): Promise<InitializerHeader> {
  const header: InitializerHeader = { name: '', dims: [], external: false };
  for await (const field of counted(fieldsOnDisk(file, tensor.valueStart, tensor.end), budget)) {
    if (field.number === ONNX.tensorDims && field.wireType === VARINT) {
      header.dims.push(readVarint(await readMessage(file, field), 0).value);
    } else if (field.number === ONNX.tensorDims && field.wireType === LENGTH_DELIMITED) {
      const packed = await readMessage(file, field);
      for (let at = 0; at < packed.length;) {
        const dim = readVarint(packed, at);
        header.dims.push(dim.value);
        at = dim.next;
      }
    } else if (field.number === ONNX.tensorName && field.wireType === LENGTH_DELIMITED) {
      header.name = (await readMessage(file, field)).toString('utf8');
    } else if (field.number === ONNX.tensorRawData && field.wireType === LENGTH_DELIMITED) {
      header.rawData = field;
    } else if (field.number === ONNX.tensorExternalData) {
      header.external = true;
    } else if (field.number === ONNX.tensorDataLocation && field.wireType === VARINT) {
      header.external ||= readVarint(await readMessage(file, field), 0).value === EXTERNAL_LOCATION;
    }
  }
  return header;
}

function messageAt(message: Buffer, number: number): Buffer | undefined {
  const field = fieldsIn(message).find((f) => f.number === number && f.wireType === LENGTH_DELIMITED);
  return field ? message.subarray(field.valueStart, field.end) : undefined;
}

function opsetOf(bytes: Buffer): { domain: string; version: number } {
  const version = fieldsIn(bytes).find((f) => f.number === ONNX.opsetVersion && f.wireType === VARINT);
  return { domain: stringAt(bytes, ONNX.opsetDomain) ?? '', version: version ? readVarint(bytes, version.valueStart).value : 0 };
}

function stringAt(message: Buffer, number: number): string | undefined {
  return messageAt(message, number)?.toString('utf8');
}

async function* counted(fields: AsyncGenerator<Field>, budget: { fields: number }): AsyncGenerator<Field> {
  for await (const field of fields) {
    if (--budget.fields < 0) throw new OnnxFormatError(`more than ${MAX_FIELDS} fields`);
    yield field;
  }
}
