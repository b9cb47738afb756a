// Collects nodes, inputs, outputs and initializers while a graph is described op by op. Node and
// value names are generated; weights go through a TensorSink, small constants stay inline.
import { DataType } from './onnxProto';
import type { Attribute, DataTypeCode, Dim, ModelInit, NodeInit, TensorInit, ValueInfo } from './onnxProto';
import type { TensorSink, TensorWriter } from './tensorSink';

export const attr = {
  int: (value: number): Attribute => ({ type: 'int', value }),
  ints: (value: readonly number[]): Attribute => ({ type: 'ints', value }),
  float: (value: number): Attribute => ({ type: 'float', value }),
  string: (value: string): Attribute => ({ type: 'string', value }),
  tensor: (value: TensorInit): Attribute => ({ type: 'tensor', value }),
};

export interface OpOptions {
  /** Output count (generated names) or explicit output names (graph outputs need fixed names). */
  outputs?: number | readonly string[];
  domain?: string;
}

export class GraphBuilder {
  private readonly nodes: NodeInit[] = [];
  private readonly initializers: TensorInit[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly constants = new Map<string, string>();
  private counter = 0;
  /** Prefix for generated names, so a dumped graph reads like "/layers.3/attn/MatMul_12". */
  scope = '';

  constructor(private readonly sink: TensorSink) {}

  input(name: string, elemType: DataTypeCode, dims: readonly Dim[]): string {
    this.inputs.push({ name, elemType, dims });
    return name;
  }

  output(name: string, elemType: DataTypeCode, dims: readonly Dim[]): void {
    this.outputs.push({ name, elemType, dims });
  }

  op(op: string, inputs: readonly string[], attributes?: Record<string, Attribute>, options: OpOptions = {}): string[] {
    const name = `${this.scope}/${op}_${this.counter++}`;
    const spec = options.outputs ?? 1;
    const outputs = typeof spec === 'number' ? Array.from({ length: spec }, (_, i) => `${name}_out${i}`) : [...spec];
    this.nodes.push({ op, name, inputs, outputs, attributes, domain: options.domain });
    return outputs;
  }

  /** One-output op. */
  one(op: string, inputs: readonly string[], attributes?: Record<string, Attribute>, options: OpOptions = {}): string {
    return this.op(op, inputs, attributes, options)[0];
  }

  weight(name: string, dataType: DataTypeCode, dims: readonly number[], write: TensorWriter): string {
    const init = this.sink.add(name, dataType, dims, write);
    if (init) this.initializers.push(init);
    return name;
  }

  /** A cached int64 constant; `scalar` gives it rank 0. */
  int64s(values: readonly number[], scalar = false): string {
    const raw = new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer);
    return this.constant(DataType.int64, scalar ? [] : [values.length], raw);
  }

  /** A cached int8 constant (a zero point); `scalar` gives it rank 0. */
  int8s(values: readonly number[], scalar = false): string {
    return this.constant(DataType.int8, scalar ? [] : [values.length], new Uint8Array(Int8Array.from(values).buffer));
  }

  float32s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(DataType.float, dims, new Uint8Array(Float32Array.from(values).buffer));
  }

  build(graphName: string, opsets: Record<string, number>, producer: string): ModelInit {
    const graph = { name: graphName, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
    return { graph, opsets, producer };
  }

  private constant(dataType: DataTypeCode, dims: readonly number[], raw: Uint8Array): string {
    const key = `${dataType}:${dims.join('x')}:${Buffer.from(raw).toString('base64')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = `const_${this.constants.size}`;
    this.initializers.push({ name, dataType, dims, raw });
    this.constants.set(key, name);
    return name;
  }
}
