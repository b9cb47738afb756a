// Prompt formats per model family, kept as data. `pattern` holds `{prefix}` and `{suffix}` once each
// (left-to-right has no suffix); special tokens are written out as the tokenizer spells them.
import type { PromptTemplateSetting } from '../settings/settings';
import type { ModelInfo } from '../model/protocol';

export type TemplateId = Exclude<PromptTemplateSetting, 'auto'>;

export interface PromptTemplate {
  id: TemplateId;
  /** Whether the format can fill a hole (prefix and suffix); left-to-right sees only the prefix. */
  infill: boolean;
  pattern: string;
  /**
   * The same fill with the suffix first (SPM), for families trained with both orders. Typing at the
   * cursor then changes only the prompt's end, so the kept KV cache serves the suffix too.
   */
  suffixFirstPattern?: string;
  /** Generation ends before any of these. */
  stop: readonly string[];
  /** Tokens whose presence in the tokenizer shows the model knows this format. */
  markers: readonly string[];
}

// Source: Qwen2.5-Coder README and technical report (github.com/QwenLM/Qwen2.5-Coder), file-level FIM.
// The repo-level form (`<|repo_name|>` + `<|file_sep|>` per file) is not used: it wants a repository name
// and whole files, and one path-comment header (promptBuilder.ts) works the same for every family.
const qwen: PromptTemplate = {
  id: 'qwen',
  infill: true,
  pattern: '<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>',
  stop: ['<|endoftext|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|im_start|>', '<|im_end|>'],
  markers: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'],
};

// Source: bigcode StarCoder / StarCoder2 model cards and tokenizer special tokens (huggingface.co/bigcode).
const starcoder: PromptTemplate = {
  id: 'starcoder',
  infill: true,
  pattern: '<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>',
  stop: ['<|endoftext|>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<fim_pad>', '<file_sep>', '<filename>', '<repo_name>'],
  markers: ['<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
};

// Source: DeepSeek-Coder README (github.com/deepseek-ai/DeepSeek-Coder), code insertion example.
// The bars are FULL-WIDTH U+FF5C and the "▁" is U+2581; ASCII look-alikes silently break infilling.
const deepseek: PromptTemplate = {
  id: 'deepseek',
  infill: true,
  pattern: '<\uFF5Cfim\u2581begin\uFF5C>{prefix}<\uFF5Cfim\u2581hole\uFF5C>{suffix}<\uFF5Cfim\u2581end\uFF5C>',
  stop: ['<\uFF5Cend\u2581of\u2581sentence\uFF5C>', '<|EOT|>', '<\uFF5Cfim\u2581begin\uFF5C>', '<\uFF5Cfim\u2581hole\uFF5C>', '<\uFF5Cfim\u2581end\uFF5C>'],
  markers: ['<\uFF5Cfim\u2581begin\uFF5C>', '<\uFF5Cfim\u2581hole\uFF5C>', '<\uFF5Cfim\u2581end\uFF5C>'],
};

// Source: Code Llama paper (Rozière et al. 2023) and the transformers CodeLlama docs: the spaces
// around the sentinels are part of the trained format. Trained in both orders: transformers'
// CodeLlamaTokenizer writes the suffix-first one when asked (`suffix_first`), `<PRE> <SUF>{suf} <MID> {pre}`.
const codellama: PromptTemplate = {
  id: 'codellama',
  infill: true,
  pattern: '<PRE> {prefix} <SUF>{suffix} <MID>',
  suffixFirstPattern: '<PRE> <SUF>{suffix} <MID> {prefix}',
  stop: ['<EOT>', '<PRE>', '<SUF>', '<MID>', '</s>'],
  markers: ['<PRE>', '<SUF>', '<MID>', '\u2581<PRE>', '\u2581<SUF>', '\u2581<MID>'],
};

// Source: CodeGemma model card (ai.google.dev/gemma/docs/codegemma), FIM section.
const codegemma: PromptTemplate = {
  id: 'codegemma',
  infill: true,
  pattern: '<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>',
  stop: ['<|file_separator|>', '<end_of_turn>', '<eos>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'],
  markers: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>'],
};

// GPT-2-style causal models (CodeGPT, CodeGen) only continue text, so the prompt is the prefix alone.
const leftToRight: PromptTemplate = {
  id: 'leftToRight',
  infill: false,
  pattern: '{prefix}',
  stop: ['<|endoftext|>', '</s>'],
  markers: [],
};

export const TEMPLATES: Readonly<Record<TemplateId, PromptTemplate>> = { qwen, starcoder, deepseek, codellama, codegemma, leftToRight };

/**
 * Fills a template, in suffix-first order when asked and the family has one. The pattern is split on
 * its placeholders before anything is filled in, so `{suffix}` inside the user's code stays literal.
 */
export function renderTemplate(template: PromptTemplate, prefix: string, suffix: string, suffixFirst = false): string {
  const pattern = suffixFirst && template.suffixFirstPattern ? template.suffixFirstPattern : template.pattern;
  const fill = (part: string) => (part === '{prefix}' ? prefix : part === '{suffix}' ? (template.infill ? suffix : '') : part);
  return pattern.split(/(\{prefix\}|\{suffix\})/).map(fill).join('');
}

export interface TemplateDetection {
  template: PromptTemplate;
  /** False when completions will be left-to-right only, or the chosen format's tokens are missing. */
  canInfill: boolean;
  /** How the template was chosen, for the log. */
  reason: string;
}

type ModelShape = Pick<ModelInfo, 'specialTokens' | 'modelType'>;

/** Picks the family from the tokenizer's special tokens (config model_type as a fallback); a setting other than `auto` wins. */
export function detectTemplate(info: ModelShape | undefined, setting: PromptTemplateSetting): TemplateDetection {
  const tokens = new Set(info?.specialTokens ?? []);
  if (setting !== 'auto') {
    const template = TEMPLATES[setting] ?? leftToRight;
    const hasMarkers = tokens.size === 0 || template.markers.length === 0 || hasFormat(tokens, template);
    return { template, canInfill: template.infill && hasMarkers, reason: hasMarkers ? `setting ${setting}` : `setting ${setting}, but the tokenizer lacks its tokens` };
  }
  const modelType = (info?.modelType ?? '').toLowerCase();
  const found = familyFromTokens(tokens, modelType) ?? familyFromModelType(modelType, tokens.size === 0);
  if (found) return { template: TEMPLATES[found.id], canInfill: true, reason: found.reason };
  return { template: leftToRight, canInfill: false, reason: `no fill-in-the-middle tokens in the tokenizer (model_type ${modelType || 'unknown'})` };
}

function hasFormat(tokens: ReadonlySet<string>, template: PromptTemplate): boolean {
  if (template.id === 'codellama') return ['PRE', 'SUF', 'MID'].every((n) => tokens.has(`<${n}>`) || tokens.has(`\u2581<${n}>`));
  return template.markers.slice(0, 3).every((m) => tokens.has(m));
}

function familyFromTokens(tokens: ReadonlySet<string>, modelType: string): { id: TemplateId; reason: string } | undefined {
  if (hasFormat(tokens, deepseek)) return { id: 'deepseek', reason: 'DeepSeek FIM tokens' };
  if (hasFormat(tokens, qwen)) {
    // Qwen and CodeGemma share the sentinel spelling; Gemma's file separator and model_type tell them apart.
    const gemma = tokens.has('<|file_separator|>') || modelType.startsWith('gemma');
    return gemma ? { id: 'codegemma', reason: 'CodeGemma FIM tokens' } : { id: 'qwen', reason: 'Qwen FIM tokens' };
  }
  if (hasFormat(tokens, starcoder)) return { id: 'starcoder', reason: 'StarCoder FIM tokens' };
  if (hasFormat(tokens, codellama)) return { id: 'codellama', reason: 'Code Llama FIM tokens' };
  return undefined;
}

/** Only used when the engine reported no special tokens at all. */
function familyFromModelType(modelType: string, noTokens: boolean): { id: TemplateId; reason: string } | undefined {
  if (!noTokens) return undefined;
  if (modelType === 'starcoder2' || modelType === 'gpt_bigcode') return { id: 'starcoder', reason: `model_type ${modelType}` };
  if (modelType === 'qwen2') return { id: 'qwen', reason: `model_type ${modelType}` };
  return undefined;
}
