// The part of onnx.proto the maker writes, as a protobufjs schema. Field names and numbers are
// onnx.proto's (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto); enums are kept as int32.
// Repeated scalars are packed, which every ONNX reader accepts.
import { Root } from 'protobufjs/light';
import type { Type } from 'protobufjs/light';

const field = (id: number, type: string) => ({ id, type });
const repeated = (id: number, type: string) => ({ id, type, rule: 'repeated' });

const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: field(1, 'int64'),
            producer_name: field(2, 'string'),
            graph: field(7, 'GraphProto'),
            opset_import: repeated(8, 'OperatorSetIdProto'),
          },
        },
        OperatorSetIdProto: { fields: { domain: field(1, 'string'), version: field(2, 'int64') } },
        GraphProto: {
          fields: {
            node: repeated(1, 'NodeProto'),
            name: field(2, 'string'),
            initializer: repeated(5, 'TensorProto'),
            input: repeated(11, 'ValueInfoProto'),
            output: repeated(12, 'ValueInfoProto'),
          },
        },
        NodeProto: {
          fields: {
            input: repeated(1, 'string'),
            output: repeated(2, 'string'),
            name: field(3, 'string'),
            op_type: field(4, 'string'),
            attribute: repeated(5, 'AttributeProto'),
            domain: field(7, 'string'),
          },
        },
        AttributeProto: {
          fields: {
            name: field(1, 'string'),
            f: field(2, 'float'),
            i: field(3, 'int64'),
            s: field(4, 'bytes'),
            t: field(5, 'TensorProto'),
            ints: repeated(8, 'int64'),
            type: field(20, 'int32'),
          },
        },
        TensorProto: {
          fields: {
            dims: repeated(1, 'int64'),
            data_type: field(2, 'int32'),
            name: field(8, 'string'),
            raw_data: field(9, 'bytes'),
            external_data: repeated(13, 'StringStringEntryProto'),
            data_location: field(14, 'int32'),
          },
        },
        StringStringEntryProto: { fields: { key: field(1, 'string'), value: field(2, 'string') } },
        ValueInfoProto: { fields: { name: field(1, 'string'), type: field(2, 'TypeProto') } },
        TypeProto: {
          fields: { tensor_type: field(1, 'Tensor') },
          nested: { Tensor: { fields: { elem_type: field(1, 'int32'), shape: field(2, 'TensorShapeProto') } } },
        },
        TensorShapeProto: {
          fields: { dim: repeated(1, 'Dimension') },
          nested: { Dimension: { fields: { dim_value: field(1, 'int64'), dim_param: field(2, 'string') } } },
        },
      },
    },
  },
};

const root = Root.fromJSON(SCHEMA);

export const onnx = {
  ModelProto: root.lookupType('onnx.ModelProto'),
  GraphProto: root.lookupType('onnx.GraphProto'),
  TensorProto: root.lookupType('onnx.TensorProto'),
} satisfies Record<string, Type>;

