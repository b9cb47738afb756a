// What Inkling knows about a model an inference server runs, from the settings alone: the
// fill-in-the-middle family (named, or told from the model's name) and whether it chats. The info
// lists the family's special tokens as a tokenizer would, so the completion pipeline picks the same
// prompt format for a served model as for a local one.
import type { ModelInfo } from '../protocol';
import type { PromptTemplateSetting } from '../../settings/settings';

export type ServedFamily = Exclude<PromptTemplateSetting, 'auto'>;

// The sentinel tokens of each family (their model cards; src/completion/templates.ts has the formats).
const FAMILY_TOKENS: Readonly<Record<ServedFamily, readonly string[]>> = {
  qwen: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|endoftext|>'],
  starcoder: ['<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<|endoftext|>'],
  deepseek: ['<\uFF5Cfim\u2581begin\uFF5C>', '<\uFF5Cfim\u2581hole\uFF5C>', '<\uFF5Cfim\u2581end\uFF5C>'],
  codellama: ['<PRE>', '<SUF>', '<MID>', '<EOT>'],
  codegemma: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>'],
  leftToRight: [],
};

/** Names as vLLM/TGI (repo ids), the llama.cpp server (file names) and Ollama (tags) spell them. */
const NAME_PATTERNS: ReadonlyArray<[RegExp, ServedFamily]> = [
  [/codegemma/i, 'codegemma'],
  [/qwen[\d.]*-?coder|codeqwen/i, 'qwen'],
  [/starcoder|star-coder/i, 'starcoder'],
  [/deepseek-?coder/i, 'deepseek'],
  [/code-?llama/i, 'codellama'],
];

export interface ServedModel {
  /** The family in use; undefined when `auto` could not tell it (completions then see only the prefix). */
  family: ServedFamily | undefined;
  chat: boolean;
  info: ModelInfo;
}

export function describeServedModel(name: string, setting: PromptTemplateSetting, host: string): ServedModel {
  const family = setting === 'auto' ? familyFromName(name) : setting;
  const chat = looksLikeChatModel(name);
  const info: ModelInfo = {
    model: `${name} at ${host}`,
    dtype: 'server',
    device: 'server',
    specialTokens: [...FAMILY_TOKENS[family ?? 'leftToRight']],
    modelType: family ? `served ${family}` : 'served, format unknown',
    ...(chat ? { chatTemplate: '(the server applies the model\'s chat template)' } : {}),
    eosTokens: [],
    loadMs: 0,
  };
  return { family, chat, info };
}

export function familyFromName(name: string): ServedFamily | undefined {
  return NAME_PATTERNS.find(([pattern]) => pattern.test(name))?.[1];
}

/** Instruct, chat and "-it" models answer /v1/chat/completions; base models get the plain prompt. */
export function looksLikeChatModel(name: string): boolean {
  if (/(^|[^a-z])base([^a-z]|$)/i.test(name)) return false;
  return /instruct|chat|(^|[-_.:/])it($|[-_.:])/i.test(name);
}
