// Where the tuned copy slices the hidden state for `num_logits_to_keep`, on graphs described node by
// node: the projection's first node in float, 8-bit and 4-bit exports, and the graphs it leaves alone.
import * as assert from 'node:assert/strict';
import { planLogitsToKeep } from '../../../src/model/process/tunedCopy/logitsToKeep';
import type { GraphEntry, ModelScan } from '../../../src/model/process/tunedCopy/modelScan';

const field = { number: 1, wireType: 2, start: 0, valueStart: 0, end: 0 };

type NodeSpec = [opType: string, inputs: string[], outputs: string[]];

const VOCAB = 1000;
const WEIGHTS: Record<string, number[]> = {
  embed: [VOCAB, 64], w0: [64, 64], norm_w: [64], lm_head: [64, VOCAB], lm_head_int8: [64, VOCAB], lm_head_q4: [VOCAB, 2, 16], table: [VOCAB, 64],
};

/** A one-record graph: its inputs, initializers, the nodes in order and a `logits` output [batch, sequence, VOCAB]. */
function scanOf(nodes: NodeSpec[], options: { inputs?: string[]; opset?: number; outputs?: string[] } = {}): ModelScan {
  const entries: GraphEntry[] = [
    ...(options.inputs ?? ['input_ids', 'attention_mask', 'position_ids']).map((input) => ({ field, input })),
    ...Object.entries(WEIGHTS).map(([name, dims]) => ({ field, initializer: { name, dims, external: false } })),
    ...nodes.map(([opType, inputs, outputs]) => ({ field, node: { bytes: Buffer.alloc(0), info: { opType, domain: opType === 'MatMulNBits' ? 'com.microsoft' : '', inputs, outputs, attributeNames: [] } } })),
    ...(options.outputs ?? ['logits']).map((output) => ({ field, output, outputDims: ['batch_size', 'sequence_length', VOCAB] })),
  ];
  return { items: [{ field, graph: { field, entries } }], opsets: new Map([['', options.opset ?? 14]]) };
}

const LAYERS: NodeSpec[] = [
  ['Gather', ['embed', 'input_ids'], ['h0']],
  ['MatMul', ['h0', 'w0'], ['h1']],
  ['SimplifiedLayerNormalization', ['h1', 'norm_w'], ['normed']],
];

function consumerOf(scan: ModelScan): string | undefined {
  return planLogitsToKeep(scan)?.consumer.node?.info.opType;
}

describe('num_logits_to_keep in the tuned copy', () => {
  it('float: the projection reads the slice of the final norm', () => {
    const scan = scanOf([...LAYERS, ['MatMul', ['normed', 'lm_head'], ['logits']]]);
    const plan = planLogitsToKeep(scan);
    assert.equal(plan?.hidden, 'normed');
    assert.equal(consumerOf(scan), 'MatMul');
    assert.equal(plan?.nodes.length, 6);
  });

  it('8-bit: the product reads the slice of its quantized activation, found back through the scale multiply', () => {
    const scan = scanOf([
      ...LAYERS,
      ['DynamicQuantizeLinear', ['normed'], ['q', 'q_scale', 'q_zero']],
      ['MatMulInteger', ['q', 'lm_head_int8', 'q_zero'], ['acc']],
      ['Cast', ['acc'], ['acc_f']],
      ['Mul', ['q_scale', 'lm_scale'], ['scale']],
      ['Mul', ['acc_f', 'scale'], ['logits_raw']],
      ['Identity', ['logits_raw'], ['logits']],
    ]);
    assert.equal(planLogitsToKeep(scan)?.hidden, 'q');
    assert.equal(consumerOf(scan), 'MatMulInteger');
  });

  it('4-bit: MatMulNBits reads the slice', () => {
    const scan = scanOf([...LAYERS, ['MatMulNBits', ['normed', 'lm_head_q4', 'scales'], ['logits']]]);
    assert.equal(consumerOf(scan), 'MatMulNBits');
  });

  it('a tied table: the projection reads the embedding through a Transpose', () => {
    assert.equal(consumerOf(scanOf([...LAYERS, ['Transpose', ['embed'], ['embed_t']], ['MatMul', ['normed', 'embed_t'], ['logits']]])), 'MatMul');
  });

  it('leaves alone a graph that has the input, has no logits, is too old, or whose projection it cannot be sure of', () => {
    const projection: NodeSpec = ['MatMul', ['normed', 'lm_head'], ['logits']];
    assert.equal(planLogitsToKeep(scanOf([...LAYERS, projection], { inputs: ['input_ids', 'num_logits_to_keep'] })), undefined);
    assert.equal(planLogitsToKeep(scanOf([...LAYERS, ['MatMul', ['normed', 'lm_head'], ['scores']]], { outputs: ['scores'] })), undefined);
    assert.equal(planLogitsToKeep(scanOf([...LAYERS, projection], { opset: 11 })), undefined);
    // A lookup: the walk does not go past it to the layers' products (a slice there would broadcast into wrong logits).
    assert.equal(planLogitsToKeep(scanOf([...LAYERS, ['Gather', ['table', 'normed'], ['logits']]])), undefined);
    // A product that may transpose its activation.
    assert.equal(planLogitsToKeep(scanOf([...LAYERS, ['Gemm', ['normed', 'lm_head'], ['logits']]])), undefined);
    // A product whose weight is not vocabulary-sized.
    assert.equal(planLogitsToKeep(scanOf([...LAYERS, ['MatMul', ['normed', 'w0'], ['logits']]])), undefined);
    // A weight computed from an input, not stored.
    assert.equal(planLogitsToKeep(scanOf([...LAYERS, ['MatMul', ['normed', 'h1'], ['logits']]])), undefined);
    // The activation is a graph input, not something computed.
    assert.equal(planLogitsToKeep(scanOf([['MatMul', ['input_ids', 'lm_head'], ['logits']]])), undefined);
  });
});
