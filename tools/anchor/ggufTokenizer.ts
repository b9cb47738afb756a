// The tokenizer metadata llama.cpp's gpt2-style BPE needs (tokens, token types, merges, special ids),
// made from Inkling's own test tokenizer plan: with the same vocabulary and merges, llama.cpp splits
// the benchmark prompt into the same ids Inkling's engine sees.
import type { TokenizerPlan } from '../makeModel/tokenizerFiles';
import { bool, i32s, str, strings, u32 } from './ggufFormat';
import type { GgufMetadata } from './ggufFormat';

/** llama_token_type values. */
export const TOKEN_TYPE = { normal: 1, control: 3, userDefined: 4, unused: 5 } as const;

export interface GgufTokenizer {
  tokens: string[];
  types: number[];
  /** "left right" pairs of byte-level tokens, in merge order. */
  merges: string[];
  bosId: number;
  eosId: number;
  padId: number;
}

/**
 * `plan` padded to `vocabSize` rows with unused "[PAD<id>]" tokens, as HF's converter writes the
 * padding of Qwen2.5's embedding. Special added tokens become control tokens, the rest user-defined.
 */
export function tokenizerFromPlan(plan: TokenizerPlan, vocabSize: number, specialIds: { bos: string; eos: string; pad: string }): GgufTokenizer {
  if (vocabSize < plan.size) throw new RangeError(`vocabSize ${vocabSize} is below the tokenizer's ${plan.size} tokens`);
  const tokens = [...plan.vocab];
  const types: number[] = plan.vocab.map(() => TOKEN_TYPE.normal);
  for (const token of plan.added) {
    if (token.id !== tokens.length) throw new Error(`Added token ${token.content} has id ${token.id}, expected ${tokens.length}`);
    tokens.push(token.content);
    types.push(token.special ? TOKEN_TYPE.control : TOKEN_TYPE.userDefined);
  }
  while (tokens.length < vocabSize) {
    tokens.push(`[PAD${tokens.length}]`);
    types.push(TOKEN_TYPE.unused);
  }
  const idOf = (content: string): number => {
    const found = plan.added.find((t) => t.content === content);
    if (!found) throw new Error(`The tokenizer has no added token ${content}`);
    return found.id;
  };
  return {
    tokens,
    types,
    merges: plan.merges.map(([a, b]) => `${a} ${b}`),
    bosId: idOf(specialIds.bos),
    eosId: idOf(specialIds.eos),
    padId: idOf(specialIds.pad),
  };
}

export function tokenizerMetadata(tokenizer: GgufTokenizer): GgufMetadata {
  return [
    ['tokenizer.ggml.model', str('gpt2')],
    // Selects Qwen2's pre-tokenizer regex, the one Inkling's tokenizer.json uses.
    ['tokenizer.ggml.pre', str('qwen2')],
    ['tokenizer.ggml.tokens', strings(tokenizer.tokens)],
    ['tokenizer.ggml.token_type', i32s(tokenizer.types)],
    ['tokenizer.ggml.merges', strings(tokenizer.merges)],
    ['tokenizer.ggml.bos_token_id', u32(tokenizer.bosId)],
    ['tokenizer.ggml.eos_token_id', u32(tokenizer.eosId)],
    ['tokenizer.ggml.padding_token_id', u32(tokenizer.padId)],
    ['tokenizer.ggml.add_bos_token', bool(false)],
  ];
}
