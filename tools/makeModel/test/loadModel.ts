// Loads a made model with transformers.js the way the engine does: local files only, no hub.
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import type { TestModelDtype } from '../modelCache';

env.allowRemoteModels = false;

export interface Loaded {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
}

export async function loadTokenizer(dir: string): Promise<PreTrainedTokenizer> {
  return AutoTokenizer.from_pretrained(dir, { local_files_only: true });
}

export async function loadModel(dir: string, dtype: TestModelDtype): Promise<Loaded> {
  const tokenizer = await loadTokenizer(dir);
  const model = await AutoModelForCausalLM.from_pretrained(dir, { local_files_only: true, dtype, device: 'cpu' });
  return { tokenizer, model };
}

/** Greedy generation; returns the new token ids (prompt stripped). */
export async function greedyIds(loaded: Loaded, prompt: string, maxNewTokens: number, minNewTokens = 0): Promise<number[]> {
  const inputs = loaded.tokenizer(prompt);
  const output = (await loaded.model.generate({
    ...inputs, max_new_tokens: maxNewTokens, min_new_tokens: minNewTokens, do_sample: false,
  })) as Tensor;
  const row = (output.tolist() as bigint[][])[0];
  return row.slice(inputs.input_ids.dims[1]).map(Number);
}
