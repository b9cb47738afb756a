// A model's config.json decides how much the model process allocates before onnxruntime reads a
// byte (one cache entry per layer, buffers per head): numbers that are not positive whole numbers in
// a sane range are refused up front, and the layer count must match the ONNX graph it describes.
import type { EngineErrorPayload } from '../protocol';
import { PayloadError } from './modelErrors';

interface Limit {
  field: string;
  max: number;
  required?: boolean;
}

/** Far beyond any model a CPU runs (Qwen2.5-72B: 80 layers, 8192 wide, 152k tokens, 128k context). */
const LIMITS: Limit[] = [
  { field: 'num_hidden_layers', max: 512, required: true },
  { field: 'hidden_size', max: 65_536, required: true },
  { field: 'num_attention_heads', max: 1024, required: true },
  { field: 'num_key_value_heads', max: 1024 },
  { field: 'vocab_size', max: 2_097_152, required: true },
  { field: 'intermediate_size', max: 1_048_576 },
  { field: 'head_dim', max: 4096 },
  { field: 'max_position_embeddings', max: 4_194_304 },
];

function unusable(model: string, why: string): PayloadError {
  const payload: EngineErrorPayload = {
    code: 'invalid-request',
    message: `The model ${model} cannot be loaded: ${why}. It is damaged or not a model Inkling can run; choose another model.`,
  };
  return new PayloadError(payload);
}

/** Throws, naming the field and the range, when a size in config.json is missing or out of range. */
export function checkConfig(model: string, config: Record<string, unknown>): void {
  for (const { field, max, required } of LIMITS) {
    const value = config[field];
    if (value === undefined || value === null) {
      if (required) throw unusable(model, `its config.json has no ${field}`);
      continue;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
      throw unusable(model, `its config.json says ${field} is ${JSON.stringify(value)}, but it must be a whole number from 1 to ${max.toLocaleString('en')}`);
    }
  }
  const heads = config.num_attention_heads as number;
  const kvHeads = config.num_key_value_heads;
  if (typeof kvHeads === 'number' && kvHeads > heads) throw unusable(model, `its config.json has more key/value heads (${kvHeads}) than attention heads (${heads})`);
}

/** The context length to keep prompts within, from a config that passed checkConfig. */
export function contextLengthOf(config: Record<string, unknown>): number | undefined {
  const value = config.max_position_embeddings;
  return typeof value === 'number' ? value : undefined;
}

/** The ONNX graph takes one past key and value per layer: it must have as many layers as config.json says. */
export function checkLayers(model: string, config: Record<string, unknown>, inputNames: readonly string[], onnxFile: string): void {
  const layers = new Set(inputNames.map((name) => /^past_key_values\.(\d+)\.key$/.exec(name)?.[1]).filter((n) => n !== undefined)).size;
  if (layers > 0 && layers !== config.num_hidden_layers) {
    throw unusable(model, `its config.json says ${String(config.num_hidden_layers)} layers, but ${onnxFile} has ${layers}: the files do not belong together`);
  }
}
