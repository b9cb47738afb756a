// The ONNX encoder (protobufjs with onnx.proto's field numbers): exact wire bytes for a small
// message, and a whole model decodes back to what was described. That the models it writes load
// and compute the right logits is shown by qwen2Graph.test.ts and the successor tests.
import { strict as assert } from 'node:assert';
import { attr } from '../graphBuilder';
import { DataType, encodeModel } from '../onnxProto';
import type { ModelInit } from '../onnxProto';
import { onnx } from '../onnxSchema';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const MODEL: ModelInit = {
  producer: 'test',
  opsets: { '': 17, 'com.microsoft': 1 },
  graph: {
    name: 'g',
    nodes: [
      { op: 'Gather', name: 'n0', inputs: ['w', 'ids'], outputs: ['y'], attributes: { axis: attr.int(1) } },
      {
        op: 'Custom', name: 'n1', inputs: ['y'], outputs: ['z'], domain: 'com.microsoft',
        attributes: { axes: attr.ints([-1, 2]), alpha: attr.float(0.5), mode: attr.string('fast'), value: attr.tensor({ name: 'c', dataType: DataType.int64, dims: [], raw: new Uint8Array(8) }) },
      },
    ],
    initializers: [
      { name: 'w', dataType: DataType.float, dims: [2, 3], raw: new Uint8Array(24).fill(1) },
      { name: 'big', dataType: DataType.int8, dims: [4096, 4096], external: { location: 'model.onnx_data', offset: 4096, length: 4096 * 4096 } },
    ],
    inputs: [{ name: 'ids', elemType: DataType.int64, dims: ['batch_size', 7] }],
    outputs: [{ name: 'z', elemType: DataType.float, dims: ['batch_size', 7, 3] }],
  },
};

describe('ONNX encoding', () => {
  it('writes the wire bytes onnx.proto defines (packed dims, fields in number order)', () => {
    const bytes = onnx.TensorProto.encode({ dims: [2, 3], data_type: DataType.float, name: 'w', raw_data: Uint8Array.of(1, 2) }).finish();
    // 0a 02 02 03: dims (1), packed; 10 01: data_type (2) = FLOAT; 42 01 77: name (8) "w"; 4a 02 01 02: raw_data (9).
    assert.equal(hex(bytes), '0a020203' + '1001' + '420177' + '4a020102');
  });

  it('writes a negative int64 attribute as a ten-byte varint', () => {
    const model = encodeModel({ ...MODEL, graph: { ...MODEL.graph, nodes: [MODEL.graph.nodes[1]], initializers: [] } });
    assert.ok(hex(model).includes('ffffffffffffffffff01'), 'two\'s complement -1');
  });

  it('decodes back to the model it describes', () => {
    const decoded = onnx.ModelProto.toObject(onnx.ModelProto.decode(encodeModel(MODEL)), { longs: Number, bytes: Array, defaults: false }) as {
      ir_version: number; producer_name: string; opset_import: { domain?: string; version: number }[];
      graph: {
        name: string;
        node: { op_type: string; domain?: string; input: string[]; attribute: { name: string; type: number; i?: number; ints?: number[]; f?: number; s?: number[]; t?: { name: string } }[] }[];
        initializer: { name: string; dims: number[]; data_type: number; raw_data?: number[]; external_data?: { key: string; value: string }[]; data_location?: number }[];
        input: { name: string; type: { tensor_type: { elem_type: number; shape: { dim: { dim_value?: number; dim_param?: string }[] } } } }[];
      };
    };
    assert.equal(decoded.ir_version, 8);
    assert.equal(decoded.producer_name, 'test');
    assert.deepEqual(decoded.opset_import.map((o) => [o.domain ?? '', o.version]), [['', 17], ['com.microsoft', 1]]);
    const [gather, custom] = decoded.graph.node;
    assert.deepEqual([gather.op_type, gather.input, gather.attribute[0]], ['Gather', ['w', 'ids'], { name: 'axis', i: 1, type: 2 }]);
    assert.equal(custom.domain, 'com.microsoft');
    const attributes = Object.fromEntries(custom.attribute.map((a) => [a.name, a]));
    assert.deepEqual(attributes.axes.ints, [-1, 2]);
    assert.equal(attributes.alpha.f, 0.5);
    assert.equal(Buffer.from(attributes.mode.s ?? []).toString(), 'fast');
    assert.equal(attributes.value.t?.name, 'c');
    const [w, big] = decoded.graph.initializer;
    assert.deepEqual([w.name, w.dims, w.data_type, w.raw_data?.length], ['w', [2, 3], DataType.float, 24]);
    assert.deepEqual(big.external_data, [
      { key: 'location', value: 'model.onnx_data' }, { key: 'offset', value: '4096' }, { key: 'length', value: String(4096 * 4096) },
    ]);
    assert.equal(big.data_location, 1);
    assert.equal(big.raw_data, undefined);
    assert.deepEqual(decoded.graph.input[0].type.tensor_type.shape.dim, [{ dim_param: 'batch_size' }, { dim_value: 7 }]);
  });
});
