// How many bytes of weights one decoding step reads: every initializer but the token embedding,
// of which a step reads one row (the table a Gather reads from). For the hub's q4 export that
// leaves out a 545 MB float table; for its q8, a 136 MB int8 one beside the int8 output layer.
import { join } from 'node:path';
import { onnxFileFor } from '../../src/model/modelSource';
import type { Dtype } from '../../src/model/protocol';
import { readOnnx } from '../makeModel/test/readOnnx';

export interface WeightBytes {
  /** All initializers, in the model file or its external data. */
  total: number;
  /** The tables only gathered from (one row per token). */
  gathered: number;
  /** What a decoding step reads: total − gathered. */
  perToken: number;
}

export function weightBytes(folder: string, dtype: Dtype): WeightBytes {
  const model = readOnnx(join(folder, onnxFileFor(dtype)));
  const gatheredNames = new Set(model.nodes.filter((n) => n.opType === 'Gather').map((n) => n.inputs[0]));
  // A table that something besides Gather reads (a tied output layer) is read whole every step.
  for (const node of model.nodes) if (node.opType !== 'Gather') for (const input of node.inputs) gatheredNames.delete(input);
  let total = 0;
  let gathered = 0;
  for (const tensor of model.initializers.values()) {
    total += tensor.bytes;
    if (gatheredNames.has(tensor.name)) gathered += tensor.bytes;
  }
  return { total, gathered, perToken: total - gathered };
}

