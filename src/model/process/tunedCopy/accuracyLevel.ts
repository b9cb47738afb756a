// `accuracy_level` for 4-bit MatMulNBits nodes that have none. Without it onnxruntime computes those
// products in float; at level 4 it quantizes the activations to int8 and uses the CPU's integer dot
// products (measured here: decode 1.30×, first token 0.82×; bench/README.md). Hub exports leave it
// unset, and no session option sets it on existing nodes, so the tuned copy adds the attribute.
import type { NodeInfo } from './modelScan';
import { intAttribute } from './protoWriter';

/** int8 compute: the fast CPU path of MatMulNBits. */
export const INT8_ACCURACY_LEVEL = 4;

/** A 4-bit product (com.microsoft MatMulNBits) that says nothing about its accuracy level. */
export function needsAccuracyLevel(node: NodeInfo): boolean {
  return node.opType === 'MatMulNBits' && node.domain === 'com.microsoft' && !node.attributeNames.includes('accuracy_level');
}

/** The AttributeProto payload that sets the level. */
export function accuracyLevelAttribute(level = INT8_ACCURACY_LEVEL): Buffer {
  return intAttribute('accuracy_level', level);
}
