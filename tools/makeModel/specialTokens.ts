// Qwen2.5's added tokens in id order, with the flags its tokenizer files carry. Note that the FIM,
// repo and tool-call tokens are added tokens but *not* special there (special: false): code that
// looks for FIM support must search the added tokens, not only the special ones.

export interface AddedTokenSpec {
  content: string;
  special: boolean;
}

/** The id Qwen2.5 gives its first added token (<|endoftext|>). */
export const QWEN_FIRST_ADDED_ID = 151643;
/** Qwen2.5-0.5B's embedding rows: more than its 151665 tokens (padded for speed). */
export const QWEN_VOCAB_SIZE = 151936;

export const QWEN_ADDED_TOKENS: readonly AddedTokenSpec[] = [
  { content: '<|endoftext|>', special: true },
  { content: '<|im_start|>', special: true },
  { content: '<|im_end|>', special: true },
  { content: '<|object_ref_start|>', special: true },
  { content: '<|object_ref_end|>', special: true },
  { content: '<|box_start|>', special: true },
  { content: '<|box_end|>', special: true },
  { content: '<|quad_start|>', special: true },
  { content: '<|quad_end|>', special: true },
  { content: '<|vision_start|>', special: true },
  { content: '<|vision_end|>', special: true },
  { content: '<|vision_pad|>', special: true },
  { content: '<|image_pad|>', special: true },
  { content: '<|video_pad|>', special: true },
  { content: '<tool_call>', special: false },
  { content: '</tool_call>', special: false },
  { content: '<|fim_prefix|>', special: false },
  { content: '<|fim_middle|>', special: false },
  { content: '<|fim_suffix|>', special: false },
  { content: '<|fim_pad|>', special: false },
  { content: '<|repo_name|>', special: false },
  { content: '<|file_sep|>', special: false },
];

export const ENDOFTEXT = '<|endoftext|>';
export const IM_START = '<|im_start|>';
export const IM_END = '<|im_end|>';
export const FIM_PREFIX = '<|fim_prefix|>';
export const FIM_MIDDLE = '<|fim_middle|>';
export const FIM_SUFFIX = '<|fim_suffix|>';

/**
 * ChatML as Qwen2.5 writes it, minus tool calling: a default system turn when the conversation has
 * none, and `<|im_start|>assistant\n` as the generation prompt.
 */
export const CHATML_TEMPLATE = [
  "{%- for message in messages -%}",
  "{%- if loop.first and message['role'] != 'system' -%}",
  "{{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' -}}",
  "{%- endif -%}",
  "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}",
  "{%- endfor -%}",
  "{%- if add_generation_prompt -%}",
  "{{- '<|im_start|>assistant\\n' -}}",
  "{%- endif -%}",
].join('\n');
