// config.json and generation_config.json for a Qwen2ForCausalLM folder, in the shape HF writes them
// (Qwen2.5-0.5B's fields), plus the transformers.js_config block that announces external data.
import type { WeightDtype } from './linearOps';
import type { Qwen2Dims } from './qwen2Graph';

/** The ONNX file transformers.js 4.x looks for, per dtype. */
export const ONNX_FILE: Record<WeightDtype, string> = {
  fp32: 'model.onnx',
  q8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
};

export interface ConfigOptions {
  tied: boolean;
  bosId: number;
  eosIds: number[];
  maxPositions: number;
  /** Set when the weights sit in `<onnx file>_data`. */
  externalDataFor?: string;
}

export function configJson(dims: Qwen2Dims, options: ConfigOptions): object {
  const config: Record<string, unknown> = {
    architectures: ['Qwen2ForCausalLM'],
    attention_dropout: 0,
    bos_token_id: options.bosId,
    eos_token_id: options.eosIds[0],
    hidden_act: 'silu',
    hidden_size: dims.hidden,
    initializer_range: 0.02,
    intermediate_size: dims.intermediate,
    max_position_embeddings: options.maxPositions,
    max_window_layers: dims.layers,
    model_type: 'qwen2',
    num_attention_heads: dims.heads,
    num_hidden_layers: dims.layers,
    num_key_value_heads: dims.kvHeads,
    rms_norm_eps: dims.rmsEps,
    rope_theta: dims.ropeTheta,
    sliding_window: options.maxPositions,
    tie_word_embeddings: options.tied,
    torch_dtype: 'float32',
    use_cache: true,
    use_sliding_window: false,
    vocab_size: dims.vocab,
  };
  if (options.externalDataFor) {
    config['transformers.js_config'] = { use_external_data_format: { [options.externalDataFor]: 1 } };
  }
  return config;
}

export function generationConfigJson(options: ConfigOptions): object {
  return {
    bos_token_id: options.bosId,
    eos_token_id: options.eosIds,
    pad_token_id: options.eosIds[0],
  };
}
