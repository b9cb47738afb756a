// `num_logits_to_keep` for a causal LM graph that has none. Optimum's exports (the hub's) project
// every input position onto the vocabulary: a 128-token prompt chunk computes 128 rows of 152k
// logits, ~78 MB, of which the decoding loop reads one (measured: a cold prompt takes 1.44–1.59× as
// long at q8; bench/README.md). The tuned copy gives the graph the input transformers.js knows and
// slices the projection's activation to its last `num_logits_to_keep` positions (0 keeps all).
import { nodesOf, type GraphEntry, type ModelScan, type NodeInfo } from './modelScan';
import { int64ScalarInput, intsAttribute, nodeMessage } from './protoWriter';

export const LOGITS_TO_KEEP_INPUT = 'num_logits_to_keep';
const LOGITS_OUTPUT = 'logits';
/** Constant's `value_ints` needs opset 12 and Slice's inputs 10; hub exports use 14 and later. */
const MIN_OPSET = 12;
/**
 * Operators a vocabulary projection is made of, in float, 8-bit and 4-bit exports; the activation is
 * their first input, positions on its second-to-last axis, and the weight their second input. (Gemm
 * and FusedMatMul may transpose their first input, so they are not taken.)
 */
const PRODUCTS = new Set(['MatMul', 'MatMulInteger', 'MatMulIntegerToFloat', 'DynamicQuantizeMatMul', 'MatMulNBits']);
/** What may stand between the projection and `logits`: casts, the 8-bit scales, a bias, a soft cap. */
const EPILOGUE = new Set(['Identity', 'Cast', 'Mul', 'Add', 'Div', 'Tanh']);
/** What may stand between a weight initializer and the product reading it. */
const WEIGHT_STEPS = new Set(['DequantizeLinear', 'Transpose', 'Cast', 'Reshape', 'Identity']);
/** Nodes walked back from `logits` before giving up: the projection is a few nodes from the output. */
const MAX_WALK = 8;
const PREFIX = '/inkling/logits_to_keep';

export interface LogitsToKeepPlan {
  /** The projection; in the copy it reads the sliced activation. */
  consumer: GraphEntry;
  hidden: string;
  sliced: string;
  /** NodeProto payloads that go right before the consumer. */
  nodes: Buffer[];
  /** The new graph input's ValueInfoProto payload. */
  input: Buffer;
}

/** The rewrite, or undefined when the graph has the input already or is not a shape this knows. */
export function planLogitsToKeep(scan: ModelScan): LogitsToKeepPlan | undefined {
  if ((scan.opsets.get('') ?? scan.opsets.get('ai.onnx') ?? 0) < MIN_OPSET) return undefined;
  const names = new Set<string>();
  const producers = new Map<string, Producer>();
  const initializers = new Map<string, number[]>();
  let vocab: number | string | undefined;
  for (const item of scan.items) {
    for (const entry of item.graph?.entries ?? []) {
      if (entry.input !== undefined) names.add(entry.input);
      if (entry.output === LOGITS_OUTPUT) vocab = entry.outputDims?.at(-1);
      if (entry.initializer) initializers.set(entry.initializer.name, entry.initializer.dims);
    }
  }
  if (names.has(LOGITS_TO_KEEP_INPUT) || typeof vocab !== 'number' || vocab <= 0) return undefined;
  for (const node of nodesOf(scan)) {
    for (const output of node.info.outputs) {
      names.add(output);
      producers.set(output, node);
    }
  }
  const projection = findProjection(producers, initializers, vocab);
  if (!projection) return undefined;
  // An 8-bit projection reads its activation quantized over every position; the slice comes after
  // the quantizer, so the kept rows' logits are exactly the original's.
  const hidden = projection.info.inputs[0];
  if (!hidden || !producers.has(hidden)) return undefined;
  const name = (part: string) => `${PREFIX}/${part}`;
  if ([...names].some((n) => n.startsWith(PREFIX))) return undefined;

  const sliced = name('hidden');
  const nodes = [
    { name: name('shape'), opType: 'Constant', inputs: [], outputs: [name('shape')], attributes: [intsAttribute('value_ints', [1])] },
    { name: name('keep'), opType: 'Reshape', inputs: [LOGITS_TO_KEEP_INPUT, name('shape')], outputs: [name('keep')] },
    // Slice from -keep to the end of the positions axis (the second to last): 0 keeps every position.
    { name: name('start'), opType: 'Neg', inputs: [name('keep')], outputs: [name('start')] },
    { name: name('end'), opType: 'Constant', inputs: [], outputs: [name('end')], attributes: [intsAttribute('value_ints', [Number.MAX_SAFE_INTEGER])] },
    { name: name('axis'), opType: 'Constant', inputs: [], outputs: [name('axis')], attributes: [intsAttribute('value_ints', [-2])] },
    { name: name('slice'), opType: 'Slice', inputs: [hidden, name('start'), name('end'), name('axis')], outputs: [sliced] },
  ].map(nodeMessage);
  return { consumer: projection.entry, hidden, sliced, nodes, input: int64ScalarInput(LOGITS_TO_KEEP_INPUT) };
}

type Producer = { entry: GraphEntry; info: NodeInfo };

/**
 * The vocabulary projection: the product met walking back from `logits` through its epilogue only,
 * whose weight (an initializer, perhaps dequantized or transposed) has the vocabulary's size, as
 * `logits`' last dimension says. Anything else — a lookup, a product of another size — is not
 * sliced: a slice in the wrong place would broadcast into wrong logits without an error.
 */
function findProjection(producers: Map<string, Producer>, initializers: Map<string, number[]>, vocab: number): Producer | undefined {
  const queue = [LOGITS_OUTPUT];
  const seen = new Set<Producer>();
  while (queue.length > 0 && seen.size < MAX_WALK) {
    const node = producers.get(queue.shift()!);
    if (!node || seen.has(node)) continue;
    seen.add(node);
    if (PRODUCTS.has(node.info.opType)) return weightDims(node.info.inputs[1], producers, initializers)?.includes(vocab) ? node : undefined;
    if (EPILOGUE.has(node.info.opType)) queue.push(...node.info.inputs);
  }
  return undefined;
}

function weightDims(name: string | undefined, producers: Map<string, Producer>, initializers: Map<string, number[]>, depth = 0): number[] | undefined {
  if (name === undefined || depth > 3) return undefined;
  const dims = initializers.get(name);
  if (dims) return dims;
  const step = producers.get(name);
  return step && WEIGHT_STEPS.has(step.info.opType) ? weightDims(step.info.inputs[0], producers, initializers, depth + 1) : undefined;
}
