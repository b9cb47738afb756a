// One forward pass of the causal LM over new token ids after a cached prefix: the logits of the
// last positions asked for and the extended key/value cache.
import { Tensor } from '@huggingface/transformers';
import type { PastKeyValues } from './kvCache';

/** The slice of a transformers.js causal LM the decoding loop uses. */
export interface DecodingModel {
  forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
}

export interface StepResult {
  /** One row of vocabulary logits per kept position, in order; the last is the last input position. */
  logits: Float32Array[];
  past: PastKeyValues;
}

/**
 * Runs `ids` after `pastLength` cached positions and returns the logits of the last `keep`
 * positions (1 for plain decoding; 1 + drafts when verifying drafted tokens) with the new cache.
 */
export async function forwardStep(model: DecodingModel, ids: readonly number[], pastLength: number, past: PastKeyValues | undefined, keep = 1): Promise<StepResult> {
  const inputIds = new Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), [1, ids.length]);
  const attentionMask = new Tensor('int64', new BigInt64Array(pastLength + ids.length).fill(1n), [1, pastLength + ids.length]);
  // Models with `num_logits_to_keep` (Inkling's tuned copy of a download) then skip the vocabulary
  // projection for earlier positions; transformers.js drops it for a graph without it (Optimum's
  // exports), whose logits cover every position: the last `keep` rows are read.
  const keepTensor = new Tensor('int64', [BigInt(keep)], []);
  const outputs = await model.forward({ input_ids: inputIds, attention_mask: attentionMask, past_key_values: past, num_logits_to_keep: keepTensor });

  const nextPast: PastKeyValues = {};
  let logits: Float32Array[] | undefined;
  for (const [name, tensor] of Object.entries(outputs)) {
    if (name.startsWith('present')) {
      nextPast[name.replace('present', 'past_key_values')] = tensor;
    } else if (name === 'logits') {
      logits = lastPositions(tensor, Math.min(keep, ids.length));
      tensor.dispose();
    } else {
      tensor.dispose();
    }
  }
  inputIds.dispose();
  attentionMask.dispose();
  if (!logits) throw new Error('The model returned no logits.');
  return { logits, past: nextPast };
}

/** The last `count` positions' rows of [1, sequence, vocab] logits, as float32. */
function lastPositions(logits: Tensor, count: number): Float32Array[] {
  const [, seq, vocab] = logits.dims;
  const rows = Math.min(count, seq);
  const float = logits.type === 'float32' ? logits : logits.slice(null, [seq - rows, seq], null).to('float32');
  const data = float.data as Float32Array;
  const first = float === logits ? seq - rows : 0;
  // Views, not copies: the tensor's buffer is this step's own and nothing else writes to it.
  const result = Array.from({ length: rows }, (_, i) => data.subarray((first + i) * vocab, (first + i + 1) * vocab));
  if (float !== logits) float.dispose();
  return result;
}
